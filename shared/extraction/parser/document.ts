/**
 * The parser's view of the minutes: every OCR line of every page, in reading order, with its
 * folded form and a way to ask "how sure was the OCR about the characters from i to j".
 */
import type { OcrPage, OcrWord } from "../ocr-page.ts";
import { fixOcrDigits, foldAligned } from "./text.ts";

export interface DocLine {
  /** position in the whole document (all pages) */
  index: number;
  pageNumber: number;
  /** NFC text; side-by-side columns separated by at least three spaces */
  text: string;
  /** index-aligned folded text (no diacritics, lower-case) */
  folded: string;
  /** folded text with digit look-alikes repaired inside numeric tokens */
  numeric: string;
  /** which characters of `numeric` were repaired */
  repaired: readonly boolean[];
  confidence: number;
  /** per character OCR confidence (word confidence, or the line's) */
  charConfidence: readonly number[];
}

/** Gap between two words, in multiples of the line height, that means two columns merged. */
const COLUMN_GAP_LINE_HEIGHTS = 2.5;
const COLUMN_SEPARATOR = "   ";

function makeLine(index: number, pageNumber: number, raw: string, confidence: number, charConf: number[] | null): DocLine {
  const { text, folded } = foldAligned(raw);
  const { text: numeric, changed } = fixOcrDigits(folded);
  const conf = clamp01(confidence);
  const charConfidence = charConf !== null && charConf.length === text.length ? charConf : new Array<number>(text.length).fill(conf);
  return { index, pageNumber, text, folded, numeric, repaired: changed, confidence: conf, charConfidence };
}

function clamp01(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}

/**
 * One logical line from two physical ones (a wrapped sentence): the texts joined by a space, each
 * character keeping its own confidence, the line's confidence the character-weighted mean, the
 * page number of the first part.
 */
export function joinLines(a: DocLine, b: DocLine): DocLine {
  const left = a.text.trimEnd();
  const right = b.text.trimStart();
  const leftConf = a.charConfidence.slice(0, left.length);
  const rightConf = b.charConfidence.slice(b.text.length - right.length);
  const spaceConf = Math.min(a.confidence, b.confidence);
  const conf = [...leftConf, spaceConf, ...rightConf];
  const n = left.length + right.length;
  const mean = n === 0 ? a.confidence : (a.confidence * left.length + b.confidence * right.length) / n;
  return makeLine(a.index, a.pageNumber, `${left} ${right}`, mean, conf);
}

/** Lines of plain text, each with confidence 1 (tests, `check`-style tools). */
export function linesFromText(text: string): DocLine[] {
  return text.split(/\r\n|\r|\n/).map((l, i) => makeLine(i, 1, l, 1, null));
}

/**
 * Lines of OCR pages. When the engine gave word boxes, the text is rebuilt from the words so that
 * a wide gap (two columns of the header, "THƯ KÝ … CHỦ TRÌ") becomes a visible column separator,
 * and each character carries its word's confidence.
 */
export function linesFromPages(pages: readonly OcrPage[]): DocLine[] {
  const out: DocLine[] = [];
  const ordered = [...pages].sort((a, b) => a.pageNumber - b.pageNumber);
  for (const page of ordered) {
    for (const line of page.lines) {
      const built = lineTextFromWords(line.words, line.box.height);
      if (built === null) {
        out.push(makeLine(out.length, page.pageNumber, line.text, line.confidence, null));
      } else {
        const nfcLen = built.text.normalize("NFC").length;
        out.push(
          makeLine(out.length, page.pageNumber, built.text, line.confidence, nfcLen === built.conf.length ? built.conf : null),
        );
      }
    }
  }
  return out;
}

function lineTextFromWords(words: readonly OcrWord[], lineHeight: number): { text: string; conf: number[] } | null {
  if (words.length === 0) return null;
  const sorted = [...words].sort((a, b) => a.box.left - b.box.left);
  const h = lineHeight > 0 ? lineHeight : Math.max(...sorted.map((w) => w.box.height), 0);
  let text = "";
  const conf: number[] = [];
  let prevRight: number | null = null;
  for (const w of sorted) {
    const wordText = w.text.normalize("NFC");
    if (wordText.trim() === "") continue;
    if (prevRight !== null) {
      const gap = w.box.left - prevRight;
      const sep = h > 0 && gap > COLUMN_GAP_LINE_HEIGHTS * h ? COLUMN_SEPARATOR : " ";
      text += sep;
      for (let k = 0; k < sep.length; k++) conf.push(clamp01(w.confidence));
    }
    text += wordText;
    for (let k = 0; k < wordText.length; k++) conf.push(clamp01(w.confidence));
    prevRight = w.box.left + w.box.width;
  }
  return text === "" ? null : { text, conf };
}

/** Mean OCR confidence of the characters [start, end) of a line (its own confidence if empty). */
export function spanConfidence(line: DocLine, start: number, end: number): number {
  const s = Math.max(0, Math.min(start, line.text.length));
  const e = Math.max(s, Math.min(end, line.text.length));
  if (e === s) return line.confidence;
  let sum = 0;
  let n = 0;
  for (let i = s; i < e; i++) {
    if (line.text.charAt(i) === " ") continue;
    sum += line.charConfidence[i] ?? line.confidence;
    n++;
  }
  return n === 0 ? line.confidence : sum / n;
}

/** Whether OCR look-alikes were repaired in [start, end). */
export function spanRepaired(line: DocLine, start: number, end: number): boolean {
  for (let i = Math.max(0, start); i < Math.min(end, line.repaired.length); i++) {
    if (line.repaired[i] === true) return true;
  }
  return false;
}

/** Page-number or running-header lines that interrupt text across a page break. */
export function isPageFurniture(line: DocLine): boolean {
  const f = line.folded.trim();
  return /^[-–—\s]*\d{1,3}[-–—\s]*$/.test(f) || /^trang\s*\d{1,3}(\s*\/\s*\d{1,3})?$/.test(f) || f === "";
}
