/**
 * Does the page say what the reader says it says? The reader quotes, for each field, the words it
 * read; here those words are looked up among the words Textract read on the same pages.
 *
 * Textract reads no Vietnamese: it drops the diacritics ("Có mặt" → "Co mat") and guesses at
 * handwriting, but Latin letters, digits and times come through. So words are compared folded
 * (diacritic-insensitive, approximately) and numbers exactly. A quote found with the value's digits
 * in it, read by Textract with high word confidence, is evidence; a quote Textract read with other
 * digits in it is a contradiction.
 */
import type { OcrPage } from "../ocr-page.ts";
import { fold } from "../parser/text.ts";

interface Token {
  /** folded text of a word, or the digits of a number */
  text: string;
  /** the value of a number token; undefined for a word */
  number?: number;
}

interface IndexedToken extends Token {
  confidence: number;
}

interface IndexedLine {
  pageNumber: number;
  tokens: IndexedToken[];
}

export interface OcrIndex {
  lines: IndexedLine[];
  /** word similarities already computed: a page has a small vocabulary and every field scans it */
  similar: Map<string, number>;
}

export interface Support {
  /** 0..1: share of the quote's words and numbers found in the best-matching place, weighted by similarity */
  agreement: number;
  /** mean Textract confidence of the words matched there, 0..1 */
  wordConfidence: number;
  /** of the value's numbers, the share Textract read in that place */
  numbersFound: number;
  /** Textract read numbers in that place, none of them the value's: it read something else */
  numberConflict: boolean;
}

const NO_SUPPORT: Support = { agreement: 0, wordConfidence: 0, numbersFound: 0, numberConflict: false };

/** Words shorter than this carry no evidence ("a", "o" are everywhere once folded). */
const MIN_WORD = 2;
/** Two folded words this similar (1 − edit distance / length) are the same word misread. */
const WORD_MATCH = 0.7;
/** Below this agreement the quote was not found on the page at all. */
const FOUND = 0.35;

/** Folded words and numbers: "14g30" → 14, g, 30; "16/16" → 16, 16; "Có mặt:" → co, mat. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of fold(text).matchAll(/\d+|[a-z]+/g)) {
    const t = m[0];
    out.push(/^\d/.test(t) ? { text: t, number: Number(t) } : { text: t });
  }
  return out;
}

export function buildIndex(pages: readonly OcrPage[]): OcrIndex {
  const lines: IndexedLine[] = [];
  for (const page of [...pages].sort((a, b) => a.pageNumber - b.pageNumber)) {
    for (const line of page.lines) {
      const tokens: IndexedToken[] = [];
      const words = line.words.length > 0 ? line.words : [{ text: line.text, confidence: line.confidence }];
      for (const word of words) for (const t of tokenize(word.text)) tokens.push({ ...t, confidence: word.confidence });
      if (tokens.length > 0) lines.push({ pageNumber: page.pageNumber, tokens });
    }
  }
  return { lines, similar: new Map() };
}

/** The numbers in a text, in order. */
export function numbersIn(text: string): number[] {
  return tokenize(text).flatMap((t) => (t.number === undefined ? [] : [t.number]));
}

/**
 * How well the OCR supports a quote, and the numbers of a value in it. The quote is matched against
 * every line and every pair of consecutive lines (quotes wrap) on each page; the best place wins.
 */
export function support(index: OcrIndex, quote: string, valueNumbers: readonly number[] = []): Support {
  const wanted = tokenize(quote).filter((t) => t.number !== undefined || t.text.length >= MIN_WORD);
  if (wanted.length === 0) return NO_SUPPORT;
  let best: { score: number; confidence: number; tokens: IndexedToken[] } | undefined;
  for (let i = 0; i < index.lines.length; i++) {
    const line = index.lines[i];
    if (line === undefined) continue;
    const next = index.lines[i + 1];
    const windows = [line.tokens];
    if (next !== undefined && next.pageNumber === line.pageNumber) windows.push([...line.tokens, ...next.tokens]);
    for (const tokens of windows) {
      const m = matchQuote(wanted, tokens, index.similar);
      // a longer window must do strictly better to win: the quote should not be smeared over lines
      if (best === undefined || m.score > best.score + 1e-9) best = { ...m, tokens };
    }
  }
  if (best === undefined || best.score < FOUND) {
    return { ...NO_SUPPORT, agreement: best?.score ?? 0, wordConfidence: best?.confidence ?? 0 };
  }
  const there = best.tokens.flatMap((t) => (t.number === undefined ? [] : [t.number]));
  const found = valueNumbers.filter((n) => there.includes(n)).length;
  return {
    agreement: best.score,
    wordConfidence: best.confidence,
    numbersFound: valueNumbers.length === 0 ? 1 : found / valueNumbers.length,
    numberConflict: valueNumbers.length > 0 && found === 0 && there.length > 0,
  };
}

function matchQuote(
  wanted: readonly Token[],
  tokens: readonly IndexedToken[],
  cache: Map<string, number>,
): { score: number; confidence: number } {
  const similar = (a: string, b: string): number => {
    const key = `${a} ${b}`;
    let s = cache.get(key);
    if (s === undefined) {
      s = similarity(a, b);
      cache.set(key, s);
    }
    return s;
  };
  let sum = 0;
  let confidence = 0;
  let matched = 0;
  for (const w of wanted) {
    let bestSimilarity = 0;
    let bestConfidence = 0;
    for (const t of tokens) {
      const s = w.number !== undefined ? (t.number === w.number ? 1 : 0) : t.number === undefined ? similar(w.text, t.text) : 0;
      if (s > bestSimilarity) {
        bestSimilarity = s;
        bestConfidence = t.confidence;
      }
    }
    if (bestSimilarity >= WORD_MATCH) {
      sum += bestSimilarity;
      confidence += bestConfidence;
      matched++;
    }
  }
  return { score: sum / wanted.length, confidence: matched === 0 ? 0 : confidence / matched };
}

/** 1 − Levenshtein distance / longer length. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  // cheap reject: lengths too far apart cannot reach the match threshold
  if (Math.abs(a.length - b.length) / longer > 1 - WORD_MATCH) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return 1 - (prev[b.length] ?? longer) / longer;
}

/** Whether the words of a value occur in its own quote (folded, approximately): the reader is consistent with itself. */
export function quoteContains(quote: string, value: string): boolean {
  const q = tokenize(quote);
  const v = tokenize(value).filter((t) => t.number !== undefined || t.text.length >= MIN_WORD);
  if (v.length === 0) return true;
  const found = v.filter((w) =>
    q.some((t) => (w.number !== undefined ? t.number === w.number : t.number === undefined && similarity(w.text, t.text) >= WORD_MATCH)),
  ).length;
  return found / v.length >= 0.8;
}
