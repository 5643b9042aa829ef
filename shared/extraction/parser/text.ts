/**
 * Text primitives for reading Vietnamese minutes through OCR noise.
 *
 * Labels are matched on a "folded" form (diacritics stripped, đ→d, lower-case) because OCR drops
 * or swaps tone marks all the time ("chỉ bộ" for "chi bộ", "giở" for "giờ"), and handwriting
 * drops them too. The folded form is index-aligned with the original (one UTF-16 unit per unit),
 * so a match found on the folded text can be sliced out of the original with its diacritics.
 */

const COMBINING = /[\u0300-\u036f]/g;

/** Fold one string: NFC first, then each unit folded on its own so indices stay aligned. */
export function foldAligned(input: string): { text: string; folded: string } {
  // OCR reads "Đ" as the look-alike Icelandic eth ("Ð/c"); same length, so alignment holds.
  // Handwritten "t" comes back as a dagger ("Chủ †rì"), which minutes never contain.
  const text = input.normalize("NFC").replace(/Ð/gu, "Đ").replace(/ð/gu, "đ").replace(/†/gu, "t");
  let folded = "";
  for (let i = 0; i < text.length; i++) {
    folded += foldChar(text.charAt(i));
  }
  return { text, folded };
}

function foldChar(c: string): string {
  if (c === "đ" || c === "Đ") return "d";
  const stripped = c.normalize("NFD").replace(COMBINING, "");
  const lower = stripped.toLowerCase();
  // Keep the 1:1 alignment: anything that folds to zero or several units stays a neutral space
  // (a lone combining mark) or itself.
  if (lower.length === 1) return lower;
  if (lower.length === 0) return " ";
  return c.length === 1 ? c : " ";
}

/** Folded and space-collapsed form, for comparing names and labels (not index-aligned). */
export function fold(input: string): string {
  return foldAligned(input).folded.replace(/\s+/g, " ").trim();
}

/**
 * Characters OCR confuses with digits. Applied only to tokens that already contain a real digit
 * ("l6", "2O26", "1S"), never to words: "o" is also the folded Vietnamese "ở/ô".
 */
const DIGIT_LOOKALIKE: Readonly<Record<string, string>> = {
  o: "0", O: "0", l: "1", I: "1", i: "1", "|": "1", S: "5", s: "5", B: "8", b: "8", Z: "2", z: "2",
};

/**
 * Replace digit look-alikes inside numeric tokens, keeping length (so alignment survives).
 * A token may carry an hour marker ("l4h3O", "8g3O").
 */
export function fixOcrDigits(folded: string): { text: string; changed: boolean[] } {
  const changed: boolean[] = new Array<boolean>(folded.length).fill(false);
  const out = folded.replace(/[0-9oOlIi|SsBbZz]+(?:[gh][0-9oOlIi|SsBbZz]*)?/g, (tok, offset: number) => {
    if (!/\d/.test(tok)) return tok;
    const before = offset > 0 ? folded.charAt(offset - 1) : " ";
    const after = folded.charAt(offset + tok.length);
    // Only whole tokens: "bo1" is not a number.
    if (/[a-z]/i.test(before) || /[a-z]/i.test(after)) return tok;
    let fixed = "";
    for (let k = 0; k < tok.length; k++) {
      const ch = tok.charAt(k);
      const isMarker = (ch === "g" || ch === "h") && k > 0;
      const rep = isMarker ? undefined : DIGIT_LOOKALIKE[ch];
      if (rep !== undefined) changed[offset + k] = true;
      fixed += rep ?? ch;
    }
    return fixed;
  });
  return { text: out, changed };
}

const UNITS: Readonly<Record<string, number>> = {
  khong: 0, mot: 1, hai: 2, ba: 3, bon: 4, tu: 4, nam: 5, lam: 5, nham: 5, sau: 6, bay: 7, tam: 8, chin: 9,
};

export interface CountMatch {
  value: number;
  /** index just after the count in the searched string */
  end: number;
  /** the count was written in words or repaired from OCR look-alikes */
  fromWords: boolean;
}

/**
 * Read a count at the start of `s` (a folded, digit-fixed string), after optional spaces/colon.
 * Digits ("16", "1 6" with an OCR space) or Vietnamese number words ("mười sáu", "hai mươi mốt",
 * "không"). `text`, the line as read (index-aligned with `s`), keeps a letter with a diacritic
 * ("ó", a misread "6") from passing for the look-alike "o" = 0 once folded.
 */
export function readCountAt(s: string, from = 0, text?: string): CountMatch | null {
  const head = /^[\s:=.\-–]*/.exec(s.slice(from));
  const start = from + (head?.[0].length ?? 0);
  const rest = s.slice(start);
  const digits = /^(\d{1,5})(?!\d)/.exec(rest);
  if (digits?.[1] !== undefined) {
    // "1 6 đồng chí": a single digit, one space, a single digit not followed by more digits.
    const split = /^(\d) (\d)(?![\d/:])/.exec(rest);
    if (split?.[1] !== undefined && split[2] !== undefined && /^\d \d\s*(dong chi|d\/c|dc|dang vien|nguoi)/.test(rest)) {
      return { value: Number(split[1] + split[2]), end: start + 3, fromWords: true };
    }
    return { value: Number(digits[1]), end: start + digits[1].length, fromWords: false };
  }
  // A lone look-alike where a count must stand: "Miễn sinh hoạt: l đồng chí", "không tán thành: O".
  const lone = /^([oli|])(?![a-z0-9])/.exec(rest);
  const asRead = text?.charAt(start);
  if (lone?.[1] !== undefined && (asRead === undefined || /^[oOlI|]$/.test(asRead)) && !/^[oli|]\s+[a-z]/.test(rest.replace(/^[oli|]\s+(dong chi|d\/c|dc|dang vien|nguoi)/, "1 "))) {
    return { value: lone[1] === "o" ? 0 : 1, end: start + 1, fromWords: true };
  }
  return readNumberWords(s, start);
}

function readNumberWords(s: string, start: number): CountMatch | null {
  const re = /[a-z]+/y;
  let pos = start;
  let hundreds = 0;
  let current = 0;
  let tensSeen = false;
  let lastWasUnit = false;
  let any = false;
  let end = start;
  for (;;) {
    const ws = /^ */.exec(s.slice(pos));
    const p = pos + (ws?.[0].length ?? 0);
    re.lastIndex = p;
    const m = re.exec(s);
    if (!m) break;
    const w = m[0];
    if (w === "muoi") {
      if (tensSeen) break;
      current = current === 0 ? 10 : current * 10;
      tensSeen = true;
      lastWasUnit = false;
    } else if (w === "tram") {
      if (!any) break;
      hundreds += (current === 0 ? 1 : current) * 100;
      current = 0;
      tensSeen = false;
      lastWasUnit = false;
    } else if (w === "linh" || w === "le") {
      if (!any) break;
    } else if (w in UNITS) {
      const u = UNITS[w] ?? 0;
      if (lastWasUnit) break;
      // "năm" alone after a number is more likely the word "year"; only take it as 5 after mươi.
      if ((w === "nam" || w === "tu" || w === "lam") && any && !tensSeen) break;
      if (w === "khong" && any) break;
      current = tensSeen ? current + u : u;
      lastWasUnit = true;
    } else {
      break;
    }
    any = true;
    pos = m.index + w.length;
    end = pos;
  }
  if (!any) return null;
  return { value: hundreds + current, end, fromWords: true };
}

/** Levenshtein distance, bounded: returns max+1 as soon as it cannot be ≤ max. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length] ?? max + 1;
}

/**
 * Approximate match of `pattern` as a prefix of `s` (after bullets), allowing `maxDist` edits.
 * Returns the end index in `s` of the best match, or null. Used for labels whose first letter
 * OCR dropped ("áng mặt" for "Vắng mặt", "hảo luận" for "Thảo luận").
 */
export function fuzzyPrefix(s: string, pattern: string, maxDist: number): { end: number; dist: number } | null {
  let best: { end: number; dist: number } | null = null;
  const lo = Math.max(1, pattern.length - maxDist);
  const hi = Math.min(s.length, pattern.length + maxDist);
  for (let len = lo; len <= hi; len++) {
    const cand = s.slice(0, len);
    // The match must end on a word boundary.
    const next = s.charAt(len);
    if (next !== "" && /[a-z0-9]/.test(next) && /[a-z0-9]/.test(cand.charAt(cand.length - 1))) continue;
    const d = editDistance(cand, pattern, maxDist);
    if (d <= maxDist && (best === null || d < best.dist)) best = { end: len, dist: d };
  }
  return best;
}

/** Upper-case the first letter of a string (sentence case for subjects). */
export function capitalizeFirst(s: string): string {
  return s.length === 0 ? s : s.charAt(0).toLocaleUpperCase("vi") + s.slice(1);
}

/** Truncate to at most `max` characters without leaving a half surrogate pair. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  let out = s.slice(0, max);
  if (/[\uD800-\uDBFF]$/.test(out)) out = out.slice(0, -1);
  return out;
}
