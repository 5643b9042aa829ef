/**
 * People's names in minutes: "đồng chí Nguyễn Văn An – Bí thư chi bộ" → "Nguyễn Văn An".
 * A Vietnamese full name is 2–5 capitalised words; the honorific before it and the title after
 * it (after a dash or comma, or straight after when OCR lost the dash) are not part of it.
 */
import { editDistance, fold } from "./text.ts";

/** "đồng chí", "đ/c", "Đ/c", "ĐC", "d/c", "đ.c", "đ/ c" — with or without diacritics. */
export const HONORIFIC_SOURCE = String.raw`(?:đồng\s*chí|dong\s*chi|đ\s*[/.]\s*c|d\s*[/.]\s*c|đc|dc|đ[íìịi]c|d[íìịi]c)`;
/**
 * The mark before a list item: a dash, plus, bullet or star, and what OCR makes of a handwritten
 * dash ("~", "—", "·", "°"), sometimes two of them ("-~").
 */
export const BULLET_SOURCE = String.raw`[-+•*–—~·°]`;
const LEADING_HONORIFIC = new RegExp(String.raw`^\s*(?:${BULLET_SOURCE}\s*){0,2}${HONORIFIC_SOURCE}\.?\s*:?\s*`, "iu");

/** Capitalised word: an upper-case letter then lower-case letters (or an all-caps word). */
const NAME_WORD = /^\p{Lu}[\p{Ll}\p{M}]*$|^\p{Lu}[\p{Lu}\p{M}]*$/u;

/** Two-word sequences (folded) that start a title, not a name. */
const TITLE_STARTS = new Set([
  "bi thu", "pho bi", "chi uy", "dang uy", "uy vien", "chu tich", "chu tri", "thu ky", "truong ban", "hieu truong",
  "pho chu", "pho hieu", "truong thon", "truong ap", "bi", "to truong", "cap uy", "ban chi", "chi bo", "dai bieu",
]);
/** Single title words (with diacritics, so "Trưởng" stops but the surname "Trương" does not). */
const TITLE_WORDS = new Set(["Bí", "Phó", "Ủy", "Uỷ", "Chủ", "Trưởng", "Hiệu", "Giám", "Tổ", "Đảng", "Chi", "Cấp", "Đại", "Ban"]);

export interface NameMatch {
  name: string;
  /** index in the given text just after the name */
  end: number;
  /** the name had fewer than two words or looked odd */
  partial: boolean;
}

/**
 * Read a name at the start of `text` (an honorific first is skipped). Returns null when the first
 * word is not capitalised or is a title.
 */
export function readName(text: string, requireHonorific = false): NameMatch | null {
  const hon = LEADING_HONORIFIC.exec(text);
  if (requireHonorific && !hon) return null;
  let pos = hon ? hon[0].length : /^\s*/.exec(text)?.[0].length ?? 0;
  const words: string[] = [];
  let end = pos;
  const wordRe = /[\p{L}\p{M}]+/uy;
  while (words.length < 5) {
    const ws = /^[ \t]*/.exec(text.slice(pos));
    const p = pos + (ws?.[0].length ?? 0);
    wordRe.lastIndex = p;
    const m = wordRe.exec(text);
    if (!m) break;
    // OCR often reads the pen's first stroke as "I", "l" or "|": "IĐặng" → "Đặng".
    const w = /^[Il](?=\p{Lu}\p{Ll})/u.test(m[0]) ? m[0].slice(1) : m[0];
    const skipped = m[0].length - w.length;
    if (!NAME_WORD.test(w)) break;
    const next = /^[ \t]*([\p{L}\p{M}]+)/u.exec(text.slice(p + skipped + w.length))?.[1] ?? "";
    if (TITLE_WORDS.has(w) && words.length >= 1) break;
    if (TITLE_STARTS.has(`${fold(w)} ${fold(next)}`) && words.length >= 1) break;
    if (words.length === 0 && (TITLE_WORDS.has(w) || TITLE_STARTS.has(`${fold(w)} ${fold(next)}`))) return null;
    words.push(w);
    pos = p + skipped + w.length;
    end = pos;
  }
  if (words.length === 0) return null;
  const name = words.map(normaliseCase).join(" ");
  return { name, end, partial: words.length < 2 };
}

/** "NGUYỄN VĂN AN" → "Nguyễn Văn An"; "Nguyễn" unchanged. */
function normaliseCase(w: string): string {
  if (w.length > 1 && w === w.toLocaleUpperCase("vi")) {
    return w.charAt(0) + w.slice(1).toLocaleLowerCase("vi");
  }
  return w;
}

/**
 * Restore a name OCR mangled from the cell's member list: exact match without diacritics, or a
 * small edit distance, or a single given name; only when exactly one member fits.
 */
export function restoreName(name: string, members: readonly string[] | undefined): { name: string; restored: boolean; matched: boolean } {
  if (!members || members.length === 0) return { name, restored: false, matched: false };
  const f = fold(name);
  const folded = members.map((m) => ({ m: m.normalize("NFC").trim(), f: fold(m) })).filter((x) => x.f.length > 0);
  const exact = folded.filter((x) => x.m === name.normalize("NFC"));
  if (exact.length === 1 && exact[0]) return { name: exact[0].m, restored: false, matched: true };
  const same = folded.filter((x) => x.f === f);
  if (same.length === 1 && same[0]) return { name: same[0].m, restored: same[0].m !== name, matched: true };
  if (same.length > 1) return { name, restored: false, matched: false };
  if (!f.includes(" ")) {
    // "Đ/c Tuấn": a given name alone; unique last word among members.
    const byGiven = folded.filter((x) => x.f.split(" ").at(-1) === f);
    if (byGiven.length === 1 && byGiven[0]) return { name: byGiven[0].m, restored: true, matched: true };
    return { name, restored: false, matched: false };
  }
  const maxDist = Math.max(1, Math.floor(f.length / 7));
  let best: { m: string; d: number } | null = null;
  let tie = false;
  for (const x of folded) {
    const d = editDistance(f, x.f, maxDist);
    if (d > maxDist) continue;
    if (best === null || d < best.d) {
      best = { m: x.m, d };
      tie = false;
    } else if (d === best.d && x.m !== best.m) {
      tie = true;
    }
  }
  if (best !== null && !tie) return { name: best.m, restored: true, matched: true };
  return { name, restored: false, matched: false };
}

/** Split a list "đ/c A (ốm), đ/c B - đi công tác; C" at commas/semicolons outside parentheses. */
export function splitList(text: string): { part: string; offset: number }[] {
  const out: { part: string; offset: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if ((c === "," || c === ";") && depth === 0) {
      out.push({ part: text.slice(start, i), offset: start });
      start = i + 1;
    }
  }
  out.push({ part: text.slice(start), offset: start });
  return out.filter((p) => p.part.trim() !== "");
}

/** Every "đồng chí <Name>" in a text, in order. */
export function namesAfterHonorifics(text: string): { name: string; start: number; end: number; partial: boolean }[] {
  const re = new RegExp(HONORIFIC_SOURCE, "giu");
  const out: { name: string; start: number; end: number; partial: boolean }[] = [];
  for (const m of text.matchAll(re)) {
    const at = m.index;
    // The honorific must stand as a word.
    if (at > 0 && /[\p{L}]/u.test(text.charAt(at - 1))) continue;
    const after = at + m[0].length;
    if (/^[\p{L}]/u.test(text.slice(after))) continue;
    const r = readName(text.slice(after));
    if (r) out.push({ name: r.name, start: at, end: after + r.end, partial: r.partial });
  }
  return out;
}
