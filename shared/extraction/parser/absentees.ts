/**
 * Who was absent, read from the absence sentence wherever it is written:
 * "vắng 8 đồng chí (có lý do: 8; không lý do: 0): đồng chí Quách Công Tùng – nghỉ sinh; Đ/c Nguyễn
 * Công Quân, lý do: trực cơ quan", "Vắng có lý do: 4 đồng chí (đồng chí A (ốm), B (nằm viện))",
 * "Vắng không lý do: đ/c C".
 *
 * A name is a run of capitalised words after an honorific or a list separator; its reason is what
 * follows it up to the next name. Whether the absence is excused is said by the nearest list label
 * before the name ("có lý do:" / "không lý do:"), not by labels that only break down a count
 * ("(có lý do: 8; không lý do: 0)").
 */
import type { Absentee } from "../../meeting/schema.ts";
import type { DocLine } from "./document.ts";
import { spanConfidence } from "./document.ts";
import { HONORIFIC_SOURCE, readName } from "./names.ts";
import { finishName } from "./people.ts";
import { fold } from "./text.ts";

const ABSENCE_WORD = /(^|[^a-z])vang(\s*mat)?\b/;
/** "không lý do" / "có lý do" used as a list label (not followed by a count). */
const SECTION = /(khong\s*(co\s*)?|co\s*)(ly|li)\s*do\b(?!\s*:?\s*(\d+|khong|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi)\b)/g;
/** Where a name may start: after an honorific, a list separator, or a label colon. */
const NAME_START = new RegExp(String.raw`(?:${HONORIFIC_SOURCE}\.?\s*:?\s*|[,;(:]\s*|\bgồm\s*:?\s*|\bgom\s*:?\s*|\s[-–]\s)`, "giu");

export interface AbsenteesRead {
  names: Absentee[];
  confidence: number;
}

export function readAbsentees(lines: readonly DocLine[], members: readonly string[] | undefined): AbsenteesRead {
  const names: Absentee[] = [];
  let confidence = 1;
  for (const line of lines) {
    const first = ABSENCE_WORD.exec(line.numeric);
    // An opinion ("Đ/c X: phê bình đồng chí vắng …") is not the attendance record.
    if (!first || /^[\s\-+•*]*(dong chi|d\s*\/\s*c|dc)\s/.test(line.numeric)) continue;
    const from = first.index + first[0].length;
    const sections = [...line.numeric.matchAll(SECTION)].filter((m) => m.index >= from - 20);
    const found: { name: string; partial: boolean; start: number; end: number; conf: number }[] = [];
    NAME_START.lastIndex = from;
    for (const m of line.text.matchAll(NAME_START)) {
      if (m.index < from) continue;
      const at = m.index + m[0].length;
      if (found.some((f) => at < f.end)) continue;
      const honorific = new RegExp(`^${HONORIFIC_SOURCE}`, "iu").test(m[0].trim());
      const r = readName(line.text.slice(at));
      if (!r) continue;
      // Without an honorific only a full name counts: "(Ốm)" or "Hà Nội" after a comma is not a person.
      if (!honorific && (r.partial || !looksLikeFullName(r.name))) continue;
      found.push({ name: r.name, partial: r.partial, start: at, end: at + r.end, conf: spanConfidence(line, at, at + r.end) });
    }
    for (const [k, f] of found.entries()) {
      const nextStart = found[k + 1]?.start ?? line.text.length;
      const reasonRaw = line.text.slice(f.end, nextStart);
      const reason = cleanReason(reasonRaw);
      const section = sections.filter((s) => s.index < f.start).at(-1);
      let excused = section ? !/^khong/.test(section[0]) : true;
      let why = reason;
      if (why !== null) {
        const w = fold(why);
        if (/^(vang\s*)?khong\s*(co\s*)?(ly|li)\s*do$/.test(w)) [excused, why] = [false, null];
        else if (/^co\s*(ly|li)\s*do$/.test(w)) [excused, why] = [true, null];
        else {
          // "đi học có lý do", "bỏ họp không lý do": the reason, then whether it was accepted
          const tail = /\s+(khong\s*(co\s*)?|co\s*)(ly|li)\s*do$/.exec(w);
          if (tail && w.length === why.length) [excused, why] = [!/^\s*khong/.test(tail[0]), why.slice(0, tail.index).trim()];
        }
      }
      const p = finishName(f.name, f.partial, f.conf, members);
      if (names.some((n) => n.name === p.name)) continue;
      names.push({ name: p.name, excused, reason: why === null ? null : why.slice(0, 500) });
      confidence = Math.min(confidence, p.confidence);
    }
  }
  // Excused first, then unexcused, each in the order written (the order the minutes list them in).
  return { names: [...names.filter((n) => n.excused), ...names.filter((n) => !n.excused)], confidence };
}

/** Two to five capitalised words, the first a plausible family name shape (not a title). */
function looksLikeFullName(name: string): boolean {
  const words = name.split(" ");
  return words.length >= 2 && words.length <= 5;
}

/** "– nghỉ sinh; " / ", lý do: trực cơ quan" / " (ốm)), " → the reason, or null. */
function cleanReason(raw: string): string | null {
  let s = raw;
  // Stop at the next honorific (the next name's) or at a new clause of the sentence.
  const hon = new RegExp(`(^|[\\s,;(])${HONORIFIC_SOURCE}\\.?(\\s|$)`, "iu").exec(s);
  if (hon) s = s.slice(0, hon.index);
  s = s.replace(/^[\s\-–—:,;]+/u, "");
  s = s.replace(/^(lý do|ly do|li do)\s*[:\-–]?\s*/iu, "");
  const paren = /^\(([^()]*)\)?/u.exec(s);
  if (paren) s = paren[1] ?? "";
  else s = s.split(/[;()]/u)[0] ?? "";
  s = s
    .replace(/[\s,.;:\-–]+$/u, "")
    .replace(/\s+(và|va)$/iu, "")
    .trim();
  if (s.length < 2 || /^\p{Lu}[\p{Ll}]*(\s+\p{Lu}[\p{Ll}]*)+$/u.test(s)) return null;
  return s;
}
