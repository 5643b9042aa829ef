/**
 * The header: superior committee and cell on the left, "ĐẢNG CỘNG SẢN VIỆT NAM" and the place and
 * date on the right (OCR often merges both columns into one line), then the title with the kind.
 */
import type { MeetingKind } from "../../meeting/schema.ts";
import type { DocLine } from "./document.ts";
import { spanConfidence } from "./document.ts";
import { CERTAINTY, type Findings } from "./findings.ts";
import { editDistance, fold } from "./text.ts";

/** How many lines from the top the header can take (before the title, if the title is missing). */
const HEADER_MAX_LINES = 12;

/** Phrases that start the right-hand column when the two columns merged into one line. */
const RIGHT_COLUMN = /\s(dang cong san viet nam|cong hoa xa hoi|doc lap\s*-)/u;

/** Administrative units (folded) written lower-case right after "Đảng bộ" / "Chi bộ". */
const UNITS: readonly (readonly string[])[] = [
  ["to", "dan", "pho"], ["thi", "tran"], ["thi", "xa"], ["khu", "pho"], ["thanh", "pho"], ["xa"], ["phuong"], ["thon"],
  ["ap"], ["ban"], ["khu"], ["xom"], ["huyen"], ["quan"], ["tinh"], ["co", "quan"],
];
/** The heads of the names, spelt right even when OCR put a wrong tone mark ("Chí bộ"). */
const HEADS: Readonly<Record<string, readonly [string, string]>> = {
  "chi bo": ["Chi", "bộ"],
  "dang bo": ["Đảng", "bộ"],
  "dang uy": ["Đảng", "ủy"],
};

export interface Header {
  partyCommittee: string | null;
  cellName: string | null;
  kind: MeetingKind | null;
  /** index of the title line ("BIÊN BẢN …"), -1 if not found */
  titleIndex: number;
}

/** Index of the title line ("BIÊN BẢN …") near the top, or -1. */
export function findTitle(lines: readonly DocLine[]): number {
  return lines.findIndex((l, i) => i < 25 && /(^|\s)bien ban\b/.test(l.folded) && !/:/.test(l.folded));
}

/** The names the store has for the uploading cell and its committee (any of them may be unknown). */
export interface KnownOrganisation {
  cell?: string;
  committee?: string;
}

const HEAD = /^(chi bo|dang bo|dang uy)\s+/u;

/**
 * A name from the header restored to the one the store has, when they differ by no more than OCR
 * slips ("Đảng bộ xã Cẩh Thủy" → "Đảng bộ xã Cẩm Thủy"): compared without diacritics, without
 * the head ("Chi bộ", "Đảng bộ", "Đảng ủy", which the store's name may leave out), within one
 * edit in six letters. The head is kept as read; the rest takes the store's spelling.
 */
export function restoreOrgName(read: string, known: string | undefined): { name: string; restored: boolean } {
  const knownName = known?.normalize("NFC").trim().replace(/\s+/gu, " ");
  if (!knownName) return { name: read, restored: false };
  const readFolded = fold(read);
  const knownFolded = fold(knownName);
  const readHead = HEAD.exec(readFolded);
  const knownHead = HEAD.exec(knownFolded);
  if (!readHead) return { name: read, restored: false };
  // the same kind of organisation, when the store's name says which
  if (knownHead && knownHead[1] !== readHead[1]) return { name: read, restored: false };
  const readRest = readFolded.slice(readHead[0].length);
  const knownRest = knownFolded.slice(knownHead ? knownHead[0].length : 0);
  const maxDist = Math.max(1, Math.floor(knownRest.length / 6));
  if (knownRest.length < 3 || editDistance(readRest, knownRest, maxDist) > maxDist) return { name: read, restored: false };
  const headWords = readHead[0].trim().split(" ").length;
  const name = [...read.split(/\s+/u).slice(0, headWords), ...knownName.split(" ").slice(knownHead ? headWords : 0)].join(" ");
  return { name, restored: name !== read };
}

export function readHeader(lines: readonly DocLine[], findings: Findings, known: KnownOrganisation = {}): Header {
  const titleIndex = findTitle(lines);
  const limit = titleIndex >= 0 ? titleIndex : Math.min(HEADER_MAX_LINES, lines.length);
  let partyCommittee: string | null = null;
  let cellName: string | null = null;
  for (const line of lines.slice(0, limit)) {
    for (const seg of segments(line)) {
      const f = line.folded.slice(seg.start, seg.end);
      const lead = /^[\s*.\-–]*/.exec(f)?.[0].length ?? 0;
      const body = f.slice(lead);
      const isCommittee = /^(dang bo|dang uy)\s+\S/.test(body) && !/^dang bo\s*$/.test(body);
      const isCell = /^chi bo\s+\S/.test(body);
      if (!isCommittee && !isCell) continue;
      const raw = `${line.text.slice(seg.start + lead, seg.end)} ${capsContinuation(lines[line.index + 1])}`.replace(/[\s.,;:*]+$/u, "");
      const conf = spanConfidence(line, seg.start + lead, seg.end);
      if (isCommittee && partyCommittee === null) {
        const r = restoreOrgName(properName(raw), known.committee);
        partyCommittee = r.name;
        findings.read("partyCommittee", r.restored ? conf * CERTAINTY.restoredName : conf);
      } else if (isCell && cellName === null) {
        const r = restoreOrgName(properName(raw), known.cell);
        cellName = r.name;
        findings.read("cellName", r.restored ? conf * CERTAINTY.restoredName : conf);
      }
    }
  }
  return { partyCommittee, cellName, kind: readKind(lines, titleIndex, findings), titleIndex };
}

/** Words that start another header item, not the rest of a name that wrapped. */
const NOT_CONTINUATION = /^(dang|chi bo|bien ban|cong hoa|doc lap|so\b|\*)/;

/**
 * A header name wraps: "CHI BỘ TRƯỜNG MẦM NON CHÂU   Châu Kim, ngày …" / "KIM   2026". The leading
 * run of all-caps words of the next line is the rest of the name (up to a figure or a mixed-case
 * word: the right-hand column).
 */
function capsContinuation(next: DocLine | undefined): string {
  if (!next) return "";
  const words: string[] = [];
  for (const w of next.text.trim().split(/\s+/u)) {
    if (!/^[\p{Lu}][\p{Lu}\p{M}]*[.,]?$/u.test(w)) break;
    words.push(w);
  }
  const run = words.join(" ");
  if (run === "" || NOT_CONTINUATION.test(fold(run))) return "";
  // a single capital letter is OCR debris, not a word of a name
  return words.length === 1 && (words[0]?.length ?? 0) < 2 ? "" : run;
}

/** Column segments of a line: split at wide gaps, then at the start of the right-hand column. */
function segments(line: DocLine): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const re = /\S(?:.*?\S)?(?=\s{3,}|\s*$)/gu;
  for (const m of line.folded.matchAll(re)) {
    let start = m.index;
    const end = m.index + m[0].length;
    const piece = line.folded.slice(start, end);
    const right = RIGHT_COLUMN.exec(piece);
    if (right && right.index > 0) {
      out.push({ start, end: start + right.index });
      start = start + right.index + 1;
    }
    // An all-caps left column merged with a mixed-case place and date ("… ĐÔNG HÒA Thanh Bình, ngày"):
    // cut at the first word that is not all caps.
    const text = line.text.slice(start, end);
    const caps = /^(?:[^\p{Ll}\s]+\s+){2,}(?=\p{Lu}\p{Ll})/u.exec(text);
    if (caps && /^[^\p{Ll}]*$/u.test(caps[0])) {
      out.push({ start, end: start + caps[0].trimEnd().length });
      start += caps[0].length;
    }
    out.push({ start, end });
  }
  return out;
}

/** "ĐẢNG BỘ XÃ THANH BÌNH" → "Đảng bộ xã Thanh Bình"; mixed-case text is kept as written. */
export function properName(raw: string): string {
  const words = raw.trim().split(/\s+/u);
  const folded = words.map((w) => fold(w));
  const hasMarks = fold(raw) !== raw.toLowerCase().replace(/\s+/g, " ").trim();
  const head = HEADS[`${folded[0] ?? ""} ${folded[1] ?? ""}`];
  const allCaps = raw === raw.toLocaleUpperCase("vi");
  const out = allCaps
    ? words.map((w) => {
        const lower = w.toLocaleLowerCase("vi");
        return lower.charAt(0).toLocaleUpperCase("vi") + lower.slice(1);
      })
    : [...words];
  if (head && words.length >= 2) {
    // Keep the writer's spelling when it has no diacritics at all: "Chi bo", not a half-fixed mix.
    out[0] = hasMarks ? head[0] : (out[0] ?? "");
    out[1] = hasMarks ? head[1] : (out[1] ?? "").toLowerCase();
    if (allCaps) {
      const unit = UNITS.find((u) => u.every((x, k) => folded[2 + k] === x));
      if (unit) unit.forEach((_, k) => (out[2 + k] = (out[2 + k] ?? "").toLocaleLowerCase("vi")));
    }
  }
  return out.join(" ");
}

function readKind(lines: readonly DocLine[], titleIndex: number, findings: Findings): MeetingKind | null {
  const titleLines = titleIndex >= 0 ? lines.slice(titleIndex, titleIndex + 3) : [];
  const fromTitle = kindOf(titleLines);
  if (fromTitle) {
    findings.read("kind", fromTitle.conf);
    return fromTitle.kind;
  }
  // "HỌP CHI BỘ THÁNG 10 NĂM 2026", "Sinh hoạt chi bộ tháng 3": the month's meeting is the regular
  // one (Party Charter, art. 24) unless the title names a topic.
  const monthly = titleLines.find((l) => /(hop|sinh hoat)\s+chi bo\s+(hang\s+)?thang\b/.test(l.folded));
  if (monthly) {
    findings.read("kind", monthly.confidence * CERTAINTY.derived);
    return "regular";
  }
  // No title: the opening sentence often says it ("tiến hành sinh hoạt thường kỳ").
  const opening = lines.slice(0, 30).filter((l) => /sinh hoat|bien ban/.test(l.folded));
  const fromBody = kindOf(opening);
  if (fromBody) {
    findings.read("kind", fromBody.conf * CERTAINTY.unlabelled);
    return fromBody.kind;
  }
  return null;
}

function kindOf(lines: readonly DocLine[]): { kind: MeetingKind; conf: number } | null {
  let regular: DocLine | null = null;
  let thematic: DocLine | null = null;
  for (const l of lines) {
    if (regular === null && /thuong\s*ky|dinh\s*ky/.test(l.folded)) regular = l;
    if (thematic === null && /chuyen\s*de/.test(l.folded)) thematic = l;
  }
  if (regular && thematic) return { kind: "combined", conf: Math.min(regular.confidence, thematic.confidence) };
  if (regular) return { kind: "regular", conf: regular.confidence };
  if (thematic) return { kind: "thematic", conf: thematic.confidence };
  return null;
}
