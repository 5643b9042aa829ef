/**
 * Finding labels ("Chủ trì:", "Có mặt", "Vắng có lý do") in OCR lines, exactly on the folded text
 * or approximately when OCR dropped or changed a letter of the label.
 */
import type { DocLine } from "./document.ts";
import { fuzzyPrefix } from "./text.ts";

export interface LabelHit {
  line: DocLine;
  /** index where the label starts in the line (same in text, folded and numeric) */
  start: number;
  /** index just after the label */
  end: number;
  /** 1 for an exact label, lower for an approximate one */
  certainty: number;
}

/** Certainty given to a label read with a small edit distance. */
export const FUZZY_LABEL_CERTAINTY = 0.85;

export interface LabelSpec {
  /** applied to DocLine.numeric (folded, digit-repaired); must be global-free */
  exact: RegExp;
  /** folded labels tried at the start of a line when `exact` did not match */
  fuzzy?: readonly string[];
  /** reject a hit when the line (folded) matches this */
  unless?: RegExp;
}

const BULLET = /^[\s\-+•*–—.]*(?:\d{1,2}[.)]\s*)?(?:[a-z][.)]\s+)?/;

export function findLabel(lines: readonly DocLine[], spec: LabelSpec): LabelHit[] {
  const hits: LabelHit[] = [];
  for (const line of lines) {
    if (spec.unless?.test(line.numeric)) continue;
    const m = spec.exact.exec(line.numeric);
    if (m) {
      hits.push({ line, start: m.index, end: m.index + m[0].length, certainty: 1 });
      continue;
    }
    if (!spec.fuzzy) continue;
    const lead = BULLET.exec(line.numeric)?.[0].length ?? 0;
    const rest = line.numeric.slice(lead);
    for (const label of spec.fuzzy) {
      const maxDist = label.length >= 12 ? 2 : label.length >= 6 ? 1 : 0;
      if (maxDist === 0) continue;
      const f = fuzzyPrefix(rest, label, maxDist);
      if (f) {
        hits.push({ line, start: lead, end: lead + f.end, certainty: f.dist === 0 ? 1 : FUZZY_LABEL_CERTAINTY });
        break;
      }
    }
  }
  return hits;
}

/** Text after a label, skipping ":" "-" and spaces; returns the offset where the value starts. */
export function valueStart(line: DocLine, from: number): number {
  const m = /^[\s:=\-–—.]*/.exec(line.text.slice(from));
  return from + (m?.[0].length ?? 0);
}
