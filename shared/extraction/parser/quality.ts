/**
 * How well the OCR read the text: "unknown is not missing" (ARCHITECTURE.md) needs to know whether
 * the absence of a label means the minutes do not say it, or that the OCR could not read it.
 *
 * A line is well read when its words are confident and look like Vietnamese words, not like the
 * debris OCR makes of handwriting ("cÑ¿ Éệ", "(úc", "ñ¿ec"). Only a well-read document may say
 * "this field is not written"; on a poor one an unfound field is a question for a person.
 */
import type { DocLine } from "./document.ts";

/** Mean word confidence under which a line is not trusted to show what is absent. */
export const READABLE_LINE_CONFIDENCE = 0.72;
/** Share of garbled tokens above which a line is not trusted. */
export const READABLE_LINE_GARBLED = 0.15;
/**
 * A document is well read when its character-weighted confidence reaches this and few of its
 * tokens are garbled. Calibrated with `npm run eval` on seeds 101–102 (typed pages read at
 * 0.93–0.97, handwriting-like pages at 0.35–0.75).
 */
export const READABLE_DOC_CONFIDENCE = 0.85;
export const READABLE_DOC_GARBLED = 0.08;

/** Letters of Vietnamese (and Latin without marks), digits and the punctuation minutes use. */
const VIETNAMESE_CHARS = /^[a-zA-Z0-9àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ.,;:!?()"'“”‘’/%\-–—+*…]+$/u;

/** A token OCR garbled: foreign characters, a capital inside a lower-case word, letters and digits mixed. */
export function isGarbled(token: string): boolean {
  const t = token.normalize("NFC");
  if (t.length === 0) return false;
  if (!VIETNAMESE_CHARS.test(t)) return true;
  const core = t.replace(/^[("'“‘]+|[)"'”’.,;:!?…]+$/gu, "");
  if (core === "") return false;
  if (/\p{Ll}\p{Lu}/u.test(core)) return true;
  // "14h30", "8g30", "2/2025", "l6" are read elsewhere; "Ñ¿2" or "tá4" are not words.
  if (/\p{L}/u.test(core) && /\d/.test(core) && !/^\d{1,2}[hg:]\d{0,2}$|^\d+\/\d+/u.test(core)) return true;
  if (/[()]/u.test(core)) return true;
  return false;
}

export interface TextQuality {
  /** character-weighted mean OCR confidence */
  confidence: number;
  /** share of tokens that are garbled */
  garbled: number;
  tokens: number;
}

export function quality(lines: readonly DocLine[]): TextQuality {
  let chars = 0;
  let confSum = 0;
  let tokens = 0;
  let garbled = 0;
  for (const l of lines) {
    for (let i = 0; i < l.text.length; i++) {
      if (l.text.charAt(i) === " ") continue;
      chars++;
      confSum += l.charConfidence[i] ?? l.confidence;
    }
    for (const tok of l.text.split(/\s+/u)) {
      if (tok === "") continue;
      tokens++;
      if (isGarbled(tok)) garbled++;
    }
  }
  return { confidence: chars === 0 ? 0 : confSum / chars, garbled: tokens === 0 ? 1 : garbled / tokens, tokens };
}

/** Whether this line was read well enough that a value missing from it is really not written. */
export function isReadable(line: DocLine): boolean {
  const q = quality([line]);
  return q.confidence >= READABLE_LINE_CONFIDENCE && q.garbled <= READABLE_LINE_GARBLED;
}

/** Marks OCR leaves where it could not read ("??", "**", "~~", "...") right where a value should be. */
const DEBRIS = /^[\s:\-–]*(?:\S+\s+){0,2}?[?~*_#|^…]|^[\s:\-–]*(?:\S+\s+){0,2}?\.{2,}/u;

/** Whether a value missing after `from` in this line is really not written (the line is well read there). */
export function isReadableAfter(line: DocLine, from: number): boolean {
  return isReadable(line) && !DEBRIS.test(line.text.slice(from, from + 24));
}

/** Whether the document was read well enough that a label not found is really not written. */
export function isWellRead(q: TextQuality): boolean {
  return q.tokens >= 1 && q.confidence >= READABLE_DOC_CONFIDENCE && q.garbled <= READABLE_DOC_GARBLED;
}

/** The first words after a label's colon or dash. */
function slotTokens(line: DocLine, from: number): string[] {
  return line.numeric.slice(from).replace(/^[\s:=.\-–]*/u, "").split(/\s+/u).slice(0, 4);
}

/** Figures with something glued to them that a count never has ("4u", "1l2"). */
function figuresGarbled(token: string): boolean {
  return /\d/u.test(token) && !/^\(?\d+(?:[.,/]\d+)?%?[.,;:)]*$/u.test(token);
}

/** The count after a label was read from figures that had something glued to them: "4u đ/c". */
export function countFiguresGarbled(line: DocLine, from: number): boolean {
  return figuresGarbled(slotTokens(line, from)[0] ?? "");
}

/**
 * Something stands where a count belongs but is not one — "Tổng số đảng viên: u2 đ/c", "có mặt bq
 * mươi ba đồng chí", "Tán thành: + đồng chí": the count is written, and misread. (A list of names
 * after the label, "Vắng có lý do: đồng chí Lê Văn A", is not a count slot.)
 */
export function countSlotGarbled(line: DocLine, from: number): boolean {
  const tokens = slotTokens(line, from);
  const first = tokens[0] ?? "";
  if (figuresGarbled(first)) return true;
  return tokens.findIndex((t, i) => i > 0 && /^(dong|d\/c|dc|dang|dv|nguoi|phieu)\b/u.test(t)) > 0 && !/^(dong|d\/c|dc)\b/u.test(first);
}
