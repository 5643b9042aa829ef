/**
 * Date, start and end time, place. Written in many ways: "vào hồi 14 giờ, ngày 03 tháng 11 năm
 * 2026", "lúc 8g30 ngày 12/05/2026", "2 giờ chiều", "kết thúc vào lúc 16 giờ 15 phút".
 */
import type { DocLine } from "./document.ts";
import { spanConfidence, spanRepaired } from "./document.ts";
import { CERTAINTY, type Findings } from "./findings.ts";
import { findTitle } from "./header.ts";
import { findLabel } from "./labels.ts";
import { isReadable, isReadableAfter } from "./quality.ts";
import { capitalizeFirst } from "./text.ts";

interface DateHit {
  iso: string | null;
  start: number;
  end: number;
}

const DATE_WORDS = /ngay\s*(\d{1,2})\s*(?:thang|[/.-])\s*(\d{1,2})\s*(?:nam|[/.-])\s*(\d{4})(?!\d)/g;
const DATE_NUMERIC = /(?<![\d/])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)/g;
/** A date was written here but its figures did not survive OCR. */
const DATE_GARBLED = /ngay\s*\S{0,4}\s*thang\s*\S{0,4}\s*nam/;

function isoDate(d: number, m: number, y: number): string | null {
  if (y < 1945 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function datesIn(line: DocLine): DateHit[] {
  const out: DateHit[] = [];
  for (const re of [DATE_WORDS, DATE_NUMERIC]) {
    for (const m of line.numeric.matchAll(re)) {
      const iso = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
      if (!out.some((h) => m.index < h.end && m.index + m[0].length > h.start)) {
        out.push({ iso, start: m.index, end: m.index + m[0].length });
      }
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

const START_LABEL = /(thoi gian\s*(bat dau)?|bat dau|vao (hoi|luc)|khai mac|hom nay|^\s*luc\b)/;
const END_SUBJECT = /(buoi sinh hoat|hoi nghi|cuoc hop|buoi hop|sinh hoat|chi bo|^[\s\-+.]*)\s*(da\s*)?ket\s*thuc/;

export interface WhenWhere {
  meetingDate: string | null;
  startTime: string | null;
  endTime: string | null;
  location: string | null;
}

export function readWhenWhere(lines: readonly DocLine[], findings: Findings): WhenWhere {
  const startLines = findLabel(lines, { exact: START_LABEL, fuzzy: ["vao hoi", "thoi gian bat dau"] });
  return {
    meetingDate: readDate(lines, startLines.map((h) => h.line), findings),
    ...readTimes(lines, startLines.map((h) => ({ line: h.line, from: h.start, certainty: h.certainty })), findings),
    location: readLocation(lines, startLines.map((h) => h.line), findings),
  };
}

function readDate(lines: readonly DocLine[], startLines: readonly DocLine[], findings: Findings): string | null {
  const title = titleMonth(lines);
  // 1. the opening sentence (and the line after it, where the sentence often wraps)
  const candidates: { line: DocLine; certainty: number }[] = [];
  for (const l of startLines) {
    candidates.push({ line: l, certainty: 1 });
    const next = lines[l.index + 1];
    if (next) candidates.push({ line: next, certainty: 0.95 });
  }
  // 2. the place-and-date line of the header ("Thanh Bình, ngày 03 tháng 11 năm 2026")
  for (const l of lines.slice(0, 12)) {
    if (/,\s*ngay\s/.test(l.numeric)) candidates.push({ line: l, certainty: 0.95 });
  }
  for (const c of candidates) {
    const hit = datesIn(c.line)[0];
    if (!hit) continue;
    if (hit.iso === null) {
      findings.unreadable("meetingDate");
      return null;
    }
    const repaired = spanRepaired(c.line, hit.start, hit.end) ? CERTAINTY.repairedDigits : 1;
    const agrees = agreesWithTitle(hit.iso, title) ? 1 : CERTAINTY.inconsistent;
    findings.read("meetingDate", spanConfidence(c.line, hit.start, hit.end) * c.certainty * repaired * agrees);
    return hit.iso;
  }
  for (const c of candidates) {
    if (DATE_GARBLED.test(c.line.numeric)) {
      // "ngày … tháng … năm 2026" left blank on a well-read line is a form not filled in: not
      // written. Anything else in the slots is figures the OCR could not read.
      const blank = /ngay[\s._…]*thang[\s._…]*nam/.test(c.line.numeric) && isReadable(c.line);
      findings.labelWithoutValue("meetingDate", blank);
      return null;
    }
  }
  // 3. any full date before the discussion: weaker
  for (const l of lines.slice(0, Math.ceil(lines.length / 2))) {
    if (/nghi quyet|ke hoach|chi thi|huong dan|quyet dinh/.test(l.numeric)) continue;
    const hit = datesIn(l)[0];
    if (hit?.iso) {
      const agrees = agreesWithTitle(hit.iso, title) ? 1 : CERTAINTY.inconsistent;
      findings.read("meetingDate", spanConfidence(l, hit.start, hit.end) * CERTAINTY.unlabelled * agrees);
      return hit.iso;
    }
  }
  return null;
}

/** The month the title names ("… THƯỜNG KỲ THÁNG 11/2026", "tháng 11 năm 2026"), or null. */
function titleMonth(lines: readonly DocLine[]): { month: number; year: number } | null {
  const title = findTitle(lines);
  if (title < 0) return null;
  for (const l of lines.slice(title, title + 3)) {
    const m = /(sinh hoat|bien ban|hop|chuyen de|thuong ky)[^:]{0,60}?thang\s*(\d{1,2})\s*(?:\/|-|nam)\s*(\d{4})(?!\d)/.exec(l.numeric);
    if (m) return { month: Number(m[2]), year: Number(m[3]) };
  }
  return null;
}

/**
 * The date of a month's meeting falls in that month, or close to it (a cell may meet for November
 * in the first days of December). A date a year or months away from the title's month was misread,
 * one of the two: a person should look.
 */
function agreesWithTitle(iso: string, title: { month: number; year: number } | null): boolean {
  if (title === null || title.month < 1 || title.month > 12) return true;
  const [y, m] = iso.split("-").map(Number);
  if (y === undefined || m === undefined) return true;
  return Math.abs(y * 12 + m - (title.year * 12 + title.month)) <= 1;
}

interface TimeHit {
  hhmm: string | null;
  start: number;
  end: number;
}

/** Hours glued to a symbol or to a lone letter ("%1 giờ", "u2h") are OCR debris, not a time ("lúc14h" is a time). */
const TIME = /(?<![\d/.,%#*^&$])(?<!(?:^|\s)[a-z])(\d{1,2})\s*(?:gio|g|h)(?![a-z])(?:\s*(\d{1,2})(?![\d/.,]\d)(?:\s*(?:phut|p)(?![a-z]))?)?|(?<![\d/.,%#*^&$])(?<!(?:^|\s)[a-z])(\d{1,2})\s*:\s*(\d{2})(?![\d/])/g;

function timesIn(line: DocLine, from = 0): TimeHit[] {
  const out: TimeHit[] = [];
  const s = line.numeric;
  TIME.lastIndex = 0;
  for (const m of s.matchAll(TIME)) {
    if (m.index < from) continue;
    let h = Number(m[1] ?? m[3]);
    const min = Number(m[2] ?? m[4] ?? 0);
    const after = s.slice(m.index + m[0].length, m.index + m[0].length + 14);
    if (/^[\s,]*(chieu|toi|dem)/.test(after) && h < 12) h += 12;
    if (/^[\s,]*(trua)/.test(after) && h < 6) h += 12;
    const ok = h <= 23 && min <= 59;
    out.push({
      hhmm: ok ? `${String(h).padStart(2, "0")}:${String(min).padStart(2, "0")}` : null,
      start: m.index,
      end: m.index + m[0].length,
    });
  }
  return out;
}

/**
 * Figures right after a time label that no time pattern reads ("kết thúc vào hồi 2098 cùng ngày"):
 * the time is written but misread. A date ("ngày 03/11") or a count is not a time slot.
 */
function figuresWithoutTime(line: DocLine, from: number): boolean {
  const after = line.numeric.slice(from).replace(/ngay\s*\d{1,2}(\s*(thang|[/.-])\s*\d{1,2}(\s*(nam|[/.-])\s*\d{2,4})?)?/g, " ");
  // the figures with whatever is glued to them and a few words on: "2098", "20gu8 cùng ngày"
  const m = /^\D{0,24}?(?:hoi|luc|vao|:)\s*([^\s\d]{0,2}\d\S{0,7}(?:\s+\S{1,6}){0,2})/.exec(after);
  if (m !== null && timesIn({ ...line, numeric: m[1] ?? "" }).every((t) => t.hhmm === null)) return true;
  // "vào lúc giờ 35": the hour's figures were lost, the minutes are there
  return /^\D{0,24}?(?:hoi|luc|vao)\s*(?:gio|g|h)\s*\d{1,2}(?!\d)/.test(after);
}

function timeConfidence(line: DocLine, hit: TimeHit, certainty: number): number {
  const repaired = spanRepaired(line, hit.start, hit.end) ? CERTAINTY.repairedDigits : 1;
  return spanConfidence(line, hit.start, hit.end) * certainty * repaired;
}

function readTimes(
  lines: readonly DocLine[],
  starts: readonly { line: DocLine; from: number; certainty: number }[],
  findings: Findings,
): { startTime: string | null; endTime: string | null } {
  let startTime: string | null = null;
  let rangeEnd: { line: DocLine; hit: TimeHit } | null = null;
  let startLabelled = false;
  let startReadable = true;
  for (const s of starts) {
    const hits = timesIn(s.line, s.from);
    const first = hits[0];
    if (/ket\s*thuc/.test(s.line.numeric.slice(0, first?.start ?? s.line.numeric.length)) && !/bat dau/.test(s.line.numeric)) continue;
    startLabelled = true;
    startReadable &&= isReadableAfter(s.line, s.from);
    if (!first) {
      // "vào hồi 2098": figures where the time belongs that are not a time are a misread, not a blank
      if (figuresWithoutTime(s.line, s.from)) startReadable = false;
      continue;
    }
    if (first.hhmm === null) {
      // "44 giờ 35": a time was written, and read wrong
      startReadable = false;
      break;
    }
    startTime = first.hhmm;
    findings.read("startTime", timeConfidence(s.line, first, s.certainty));
    // "Thời gian: từ 14 giờ đến 16 giờ 30"
    const second = hits[1];
    if (second && /\s(den|toi)\s/.test(s.line.numeric.slice(first.end, second.start))) rangeEnd = { line: s.line, hit: second };
    break;
  }
  if (startTime === null && startLabelled) findings.labelWithoutValue("startTime", startReadable);

  let endTime: string | null = null;
  const ends = findLabel(lines, { exact: /ket\s*thuc/, fuzzy: ["ket thuc"] });
  let endLabelled = false;
  let endReadable = true;
  for (const e of [...ends].reverse()) {
    const hit = timesIn(e.line, e.start)[0] ?? timesIn(lines[e.line.index + 1] ?? e.line)[0];
    const strong = END_SUBJECT.test(e.line.numeric);
    if (!hit) {
      if (strong) {
        endLabelled = true;
        endReadable &&= isReadable(e.line) && !figuresWithoutTime(e.line, e.start);
      }
      continue;
    }
    const line = timesIn(e.line, e.start)[0] ? e.line : (lines[e.line.index + 1] ?? e.line);
    if (hit.hhmm === null) {
      endLabelled = true;
      endReadable = false;
      continue;
    }
    endTime = hit.hhmm;
    findings.read("endTime", timeConfidence(line, hit, e.certainty * (strong ? 1 : CERTAINTY.unlabelled)));
    break;
  }
  if (endTime === null && rangeEnd?.hit.hhmm) {
    endTime = rangeEnd.hit.hhmm;
    findings.read("endTime", timeConfidence(rangeEnd.line, rangeEnd.hit, 1));
  } else if (endTime === null && endLabelled) {
    findings.labelWithoutValue("endTime", endReadable);
  }
  return { startTime, endTime };
}

function readLocation(lines: readonly DocLine[], startLines: readonly DocLine[], findings: Findings): string | null {
  const labelled = findLabel(lines, { exact: /(^|[\s\-+.;])dia diem\b|^[\s\-+.]*tai\s*:/, fuzzy: ["dia diem"] });
  for (const hit of labelled) {
    const m = /^[\s:\-–.]*(?:(?:hop|sinh hoat|to chuc)\s*:)?\s*/.exec(hit.line.folded.slice(hit.end));
    const from = hit.end + (m?.[0].length ?? 0);
    const value = cleanPlace(hit.line.text.slice(from));
    if (value.length >= 2) {
      findings.read("location", spanConfidence(hit.line, from, from + value.length) * hit.certainty);
      return capitalizeFirst(value);
    }
    findings.labelWithoutValue("location", isReadable(hit.line));
    return null;
  }
  for (const line of startLines) {
    const m = /(?:^|\s)tai\s+/.exec(line.numeric);
    if (!m) continue;
    const from = m.index + m[0].length;
    const rest = line.text.slice(from);
    const stop = /[,.;]|\s(?:chi bộ|chi bo|đã|da|tiến hành|tien hanh|để|de)\s/iu.exec(rest);
    const value = cleanPlace(stop ? rest.slice(0, stop.index) : rest);
    if (value.length >= 2) {
      findings.read("location", spanConfidence(line, from, from + value.length));
      return capitalizeFirst(value);
    }
  }
  return null;
}

function cleanPlace(s: string): string {
  return s.replace(/\s{3,}.*$/u, "").replace(/[\s.,;:]+$/u, "").trim();
}
