/**
 * Where the signature block is: the "CHỦ TRÌ" / "THƯ KÝ" headings near the end of the minutes and
 * the name written below each. The ink detector looks for a signature between a heading and its
 * name; deciding whether one is there is not the parser's job.
 */
import type { Box, OcrLine, OcrPage, OcrWord } from "../ocr-page.ts";
import { linesFromPages } from "./document.ts";
import { Findings } from "./findings.ts";
import { findTitle } from "./header.ts";
import { readName } from "./names.ts";
import { readRoles } from "./people.ts";
import { reflow } from "./reflow.ts";
import { fold } from "./text.ts";

export interface SignatureSlot {
  pageNumber: number;
  heading: Box;
  name?: Box;
  /** the heading was not read: its place was inferred from the name row below it */
  inferred?: true;
}

export interface SignatureBlock {
  chair?: SignatureSlot;
  secretary?: SignatureSlot;
}

type Role = "chair" | "secretary";

/** Headings as sequences of folded words. Longer ones first so "T/M CHI BỘ" wins over "CHI BỘ". */
const HEADINGS: readonly { words: readonly string[]; role: Role }[] = [
  { words: ["nguoi", "ghi", "bien", "ban"], role: "secretary" },
  { words: ["thu", "ky", "hoi", "nghi"], role: "secretary" },
  { words: ["chu", "tri", "hoi", "nghi"], role: "chair" },
  { words: ["t/m", "chi", "uy"], role: "chair" },
  { words: ["t/m", "chi", "bo"], role: "chair" },
  { words: ["tm.", "chi", "bo"], role: "chair" },
  { words: ["tm", "chi", "bo"], role: "chair" },
  { words: ["tm.", "chi", "uy"], role: "chair" },
  { words: ["tm", "chi", "uy"], role: "chair" },
  { words: ["thu", "ky"], role: "secretary" },
  { words: ["chu", "tri"], role: "chair" },
  { words: ["chu", "toa"], role: "chair" },
];

/** Lines under a heading that are not the name: "(đã ký)", "(Ký, ghi rõ họ tên)", "Bí thư". */
const NOT_A_NAME = /^\(|^(da ky|ky|ky ten|bi thu|pho bi thu|chi uy vien|ky, ghi ro ho ten)\b/;

interface HeadingHit {
  role: Role;
  pageNumber: number;
  lineIndex: number;
  box: Box;
}

export function findSignatureBlock(pages: readonly OcrPage[]): SignatureBlock {
  const hits: HeadingHit[] = [];
  const ordered = [...pages].sort((a, b) => a.pageNumber - b.pageNumber);
  for (const page of ordered) {
    page.lines.forEach((line, lineIndex) => {
      // a body line "Chủ trì: đồng chí …" is not a heading
      if (line.text.includes(":") || line.words.length === 0 || line.words.length > 10) return;
      for (const h of headingsIn(line)) hits.push({ ...h, pageNumber: page.pageNumber, lineIndex });
    });
  }
  const block: SignatureBlock = {};
  for (const role of ["chair", "secretary"] as const) {
    // the last heading of the role in the document: the block is at the end
    const hit = hits.filter((h) => h.role === role).at(-1);
    if (!hit) continue;
    const page = ordered.find((p) => p.pageNumber === hit.pageNumber);
    if (!page) continue;
    const sameLine = hits.filter((h) => h.pageNumber === hit.pageNumber && h.lineIndex === hit.lineIndex && h !== hit);
    const name = nameBelow(page, hit, sameLine);
    block[role] = name ? { pageNumber: hit.pageNumber, heading: hit.box, name } : { pageNumber: hit.pageNumber, heading: hit.box };
  }
  // Handwriting or a signature crossing it often makes the OCR lose a heading ("CHỦ TRÌ THƯ KÝ"
  // read as "`\" ~"). The names typed or written under the signatures are still there: anchor on
  // the name of the chair / minute-taker the minutes gave.
  if (!block.chair || !block.secretary) {
    const named = namesOfRoles(ordered);
    for (const role of ["chair", "secretary"] as const) {
      const name = named[role];
      if (block[role] || name === null) continue;
      const slot = slotFromNameRow(ordered, name);
      if (slot) block[role] = slot;
    }
  }
  return withSiblingNames(block);
}

/**
 * The two names stand on one row under the two headings. When the OCR read one name and not the
 * other, the unread one is where the read one is, relative to its own heading (a tilted photo keeps
 * that offset): without it, the space under a heading would run down over the unread name itself,
 * and its letters would pass for a signature.
 */
export function withSiblingNames(anchors: SignatureBlock): SignatureBlock {
  const { chair, secretary } = anchors;
  if (!chair || !secretary || chair.pageNumber !== secretary.pageNumber) return anchors;
  const infer = (self: SignatureSlot, other: SignatureSlot): SignatureSlot => {
    if (self.name !== undefined || other.name === undefined) return self;
    const top = self.heading.top + (other.name.top - other.heading.top);
    return { ...self, name: { left: self.heading.left, top, width: self.heading.width, height: other.name.height } };
  };
  return { chair: infer(chair, secretary), secretary: infer(secretary, chair) };
}

/**
 * Where the synthetic heading goes above a name, as a fraction of the page. A real heading sits
 * 0.08–0.09 above its name (measured on typed pages); the lost heading's own ink is still on the
 * page, unmasked, so the search region must start below it: 0.072 (seed 104: 7/7 slots right,
 * 0.085 took the unread heading for a signature once).
 */
const HEADING_TO_NAME = 0.072;

function namesOfRoles(pages: readonly OcrPage[]): Record<Role, string | null> {
  try {
    const physical = linesFromPages(pages);
    return readRoles(reflow(physical, findTitle(physical)), undefined, new Findings());
  } catch {
    return { chair: null, secretary: null };
  }
}

/**
 * The last row of names (capitalised words only, no colon) holding this name; the heading is
 * placed where it would be above it.
 */
function slotFromNameRow(pages: readonly OcrPage[], name: string): SignatureSlot | undefined {
  const target = fold(name).split(" ");
  for (const page of [...pages].reverse()) {
    for (const line of [...page.lines].reverse()) {
      if (line.text.includes(":")) continue;
      const words = [...line.words].sort((a, b) => a.box.left - b.box.left);
      if (words.length < target.length || !words.every((w) => /^[\p{Lu}(]/u.test(w.text))) continue;
      const folded = words.map((w) => fold(w.text).replace(/[.,;]+$/u, ""));
      for (let i = 0; i + target.length <= words.length; i++) {
        if (!target.every((t, k) => folded[i + k] === t)) continue;
        const box = union(words.slice(i, i + target.length).map((w) => w.box));
        const heading = { left: box.left, top: Math.max(0, box.top - HEADING_TO_NAME), width: box.width, height: box.height };
        return { pageNumber: page.pageNumber, heading, name: box, inferred: true };
      }
    }
  }
  return undefined;
}

function headingsIn(line: OcrLine): { role: Role; box: Box }[] {
  const words = [...line.words].sort((a, b) => a.box.left - b.box.left);
  const folded = words.map((w) => fold(w.text).replace(/[.,;:'"‘’“”]+$/u, "").replace(/^['"‘’“”]+/u, ""));
  const out: { role: Role; box: Box }[] = [];
  const used = new Set<number>();
  for (let i = 0; i < words.length; i++) {
    if (used.has(i)) continue;
    for (const h of HEADINGS) {
      if (!h.words.every((w, k) => folded[i + k] === w || (w === "t/m" && /^t\s*\/?\s*m\.?$/.test(folded[i + k] ?? "")))) continue;
      const span = words.slice(i, i + h.words.length);
      span.forEach((_, k) => used.add(i + k));
      out.push({ role: h.role, box: union(span.map((w) => w.box)) });
      i += h.words.length - 1;
      break;
    }
  }
  return out;
}

/** Below this, a "word" under a signature heading is more likely ink than a written name. */
const NAME_WORD_CONFIDENCE = 0.6;

function nameBelow(page: OcrPage, hit: HeadingHit, neighbours: readonly HeadingHit[]): Box | undefined {
  const centre = hit.box.left + hit.box.width / 2;
  // The column of this heading: halfway to the neighbouring heading on the same line, or a
  // generous band around it when it stands alone.
  let lo = Math.max(0, hit.box.left - hit.box.width * 1.5);
  let hi = Math.min(1, hit.box.left + hit.box.width * 2.5);
  for (const n of neighbours) {
    const nc = n.box.left + n.box.width / 2;
    const mid = (centre + nc) / 2;
    if (nc > centre) hi = Math.min(hi, mid);
    else lo = Math.max(lo, mid);
  }
  const maxDrop = 0.35;
  for (const line of page.lines.slice(hit.lineIndex + 1)) {
    if (line.box.top > hit.box.top + maxDrop) break;
    const inColumn = line.words.filter((w) => {
      const c = w.box.left + w.box.width / 2;
      return c >= lo && c <= hi;
    });
    if (inColumn.length === 0) continue;
    const sorted = [...inColumn].sort((a, b) => a.box.left - b.box.left);
    const text = sorted.map((w) => w.text).join(" ");
    if (NOT_A_NAME.test(fold(text))) continue;
    const r = readName(text);
    if (!r || r.partial) continue;
    const nameWords = wordsCovering(sorted, r.end);
    // A signature's strokes are often "read" as short capitalised words ("TU No C"): a name row
    // is at least two words of two or more letters, each read with some confidence.
    if (nameWords.length < 2 || !nameWords.every((w) => w.confidence >= NAME_WORD_CONFIDENCE && (w.text.match(/\p{L}/gu) ?? []).length >= 2)) continue;
    return union(nameWords.map((w) => w.box));
  }
  return undefined;
}

/** The words whose text makes up the first `chars` characters of their space-joined text. */
function wordsCovering(words: readonly OcrWord[], chars: number): OcrWord[] {
  const out: OcrWord[] = [];
  let pos = 0;
  for (const w of words) {
    if (pos >= chars) break;
    out.push(w);
    pos += w.text.length + 1;
  }
  return out;
}

function union(boxes: readonly Box[]): Box {
  const left = Math.min(...boxes.map((b) => b.left));
  const top = Math.min(...boxes.map((b) => b.top));
  const right = Math.max(...boxes.map((b) => b.left + b.width));
  const bottom = Math.max(...boxes.map((b) => b.top + b.height));
  return { left, top, width: right - left, height: bottom - top };
}
