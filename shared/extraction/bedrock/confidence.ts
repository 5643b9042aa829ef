/**
 * Confidence from evidence, not from the model's say-so. For every field the reader filled in:
 *
 * 1. its own quote must contain its value (the digits exactly, the words folded) — a reader that
 *    quotes "Có mặt: 18" for present = 16 contradicts itself;
 * 2. the quote must be found among Textract's words on the pages, with the value's digits in that
 *    place (evidence.ts), weighted by Textract's word confidences;
 * 3. the figures must hold together: present + absent = total − exempt; the duration follows from
 *    the two times; no vote count exceeds those present. Consistent figures vouch for each other;
 *    inconsistent ones lower each other's confidence (a misread breaks the sum; a real
 *    inconsistency in the minutes, read clearly, still stays above the review threshold and is
 *    flagged by the criteria);
 * 4. the parser, run on Textract's text, is a second reader of labels: where it read a labelled
 *    value the vision reader left null, a person looks.
 *
 * A value without a quote gets low confidence and goes to review; nothing is invented to fill it.
 */
import { minutesBetween, type Meeting } from "../../meeting/schema.ts";
import { REVIEW_THRESHOLD, type ParseResult } from "../parser/index.ts";
import { fold } from "../parser/text.ts";
import type { ReaderAnswer } from "./answer.ts";
import { numbersIn, quoteContains, support, type OcrIndex } from "./evidence.ts";

/** Confidence of a value the reader gave without quoting the page. */
export const NO_EVIDENCE = 0.3;
/** Confidence of a value whose own quote says otherwise, or that Textract read differently. */
export const CONTRADICTED = 0.2;
/** Confidence recorded for a field the reader saw written but could not read. */
export const UNREADABLE = 0.1;

export interface Scored {
  meeting: Meeting;
  confidence: Record<string, number>;
  /** fields a person must look at regardless of their confidence (unreadable, contradicted by the parser) */
  review: Set<string>;
}

type Kind = "text" | "count" | "date" | "time" | "flag";

const SCALARS: readonly { path: string; kind: Kind; get: (m: Meeting) => string | number | boolean | null }[] = [
  { path: "partyCommittee", kind: "text", get: (m) => m.partyCommittee },
  { path: "cellName", kind: "text", get: (m) => m.cellName },
  { path: "kind", kind: "flag", get: (m) => m.kind },
  { path: "meetingDate", kind: "date", get: (m) => m.meetingDate },
  { path: "startTime", kind: "time", get: (m) => m.startTime },
  { path: "endTime", kind: "time", get: (m) => m.endTime },
  { path: "location", kind: "text", get: (m) => m.location },
  { path: "chair", kind: "text", get: (m) => m.chair },
  { path: "secretary", kind: "text", get: (m) => m.secretary },
  { path: "attendance.total", kind: "count", get: (m) => m.attendance.total },
  { path: "attendance.exempt", kind: "count", get: (m) => (m.attendance.exempt === 0 ? null : m.attendance.exempt) },
  { path: "attendance.present", kind: "count", get: (m) => m.attendance.present },
  { path: "attendance.absentExcused", kind: "count", get: (m) => m.attendance.absentExcused },
  { path: "attendance.absentUnexcused", kind: "count", get: (m) => m.attendance.absentUnexcused },
  { path: "minutesApproved", kind: "flag", get: (m) => m.minutesApproved },
];

/** Every field of the meeting, by the paths review uses: what goes to review when the reader failed. */
export const ALL_FIELDS = [
  "partyCommittee",
  "cellName",
  "kind",
  "meetingDate",
  "startTime",
  "endTime",
  "durationMinutes",
  "location",
  "chair",
  "secretary",
  "attendance",
  "superiorAttendees",
  "opinions",
  "votes",
  "minutesApproved",
  "signatures",
] as const;

export function scoreAnswer(
  answer: Pick<ReaderAnswer, "evidence" | "unreadable"> & { meeting: Meeting; durationGiven: number | null },
  index: OcrIndex,
  parsed?: ParseResult,
): Scored {
  const { meeting, evidence } = answer;
  const quoteOf = (path: string): string | undefined => evidenceFor(evidence, path);
  const confidence: Record<string, number> = {};
  const review = new Set<string>();

  for (const field of SCALARS) {
    const value = field.get(meeting);
    if (value === null) continue;
    confidence[field.path] = scoreValue(index, quoteOf(field.path), field.kind, value);
  }

  // Lists: each element on its own quote; names and counts matter, so the weakest element decides,
  // except for opinions, where what counts is that members spoke (one faint line is no reason to doubt all).
  const list = (path: string, items: { quote: string | undefined; kind: Kind; value: string | number }[][], combine: "min" | "mean") => {
    if (items.length === 0) return;
    const scores = items.map((parts) => {
      const quote = parts.map((p) => p.quote).find((q) => q !== undefined);
      return Math.min(...parts.map((p) => scoreValue(index, quote, p.kind, p.value)));
    });
    confidence[path] = combine === "min" ? Math.min(...scores) : scores.reduce((a, b) => a + b, 0) / scores.length;
  };
  list(
    "attendance.absentees",
    meeting.attendance.absentees.map((a, i) => [{ quote: quoteOf(`attendance.absentees.${i}`), kind: "text", value: a.name }]),
    "min",
  );
  list(
    "superiorAttendees",
    meeting.superiorAttendees.map((n, i) => [{ quote: quoteOf(`superiorAttendees.${i}`), kind: "text", value: n }]),
    "min",
  );
  list(
    "opinions",
    meeting.opinions.map((o, i) => [{ quote: quoteOf(`opinions.${i}`), kind: "text", value: o.speaker }]),
    "mean",
  );
  list(
    "votes",
    meeting.votes.map((v, i) => {
      const quote = quoteOf(`votes.${i}`);
      const counts = [v.agree, v.disagree, v.abstain].filter((n): n is number => n !== null);
      return counts.length > 0
        ? counts.map((n) => ({ quote, kind: "count" as const, value: n }))
        : [{ quote, kind: "text" as const, value: v.subject ?? "" }];
    }),
    "min",
  );

  checkConsistency(meeting, answer.durationGiven, confidence);

  // only paths of the meeting: the list comes from the model and ends up in the document
  const known = (path: string): boolean => ALL_FIELDS.some((f) => path === f || path.startsWith(`${f}.`));
  for (const path of answer.unreadable.filter(known)) {
    review.add(path);
    if (confidence[path] === undefined) confidence[path] = UNREADABLE;
    else confidence[path] = Math.min(confidence[path] ?? 0, 0.4);
  }
  if (parsed !== undefined) crossCheck(meeting, parsed, confidence, review);

  for (const [path, c] of Object.entries(confidence)) confidence[path] = round2(c);
  return { meeting, confidence, review };
}

/**
 * The quote for a field: its own key, else its parts' keys joined ("votes.0.agree" … for "votes.0"),
 * else its parent's ("attendance" for "attendance.present").
 */
export function evidenceFor(evidence: Readonly<Record<string, string>>, path: string): string | undefined {
  const own = evidence[path];
  if (own !== undefined && own.trim() !== "") return own;
  const parts = [...new Set(Object.entries(evidence).filter(([k, v]) => k.startsWith(`${path}.`) && v.trim() !== "").map(([, v]) => v))];
  if (parts.length > 0) return parts.join(" ");
  const dot = path.lastIndexOf(".");
  return dot > 0 ? evidenceFor(evidence, path.slice(0, dot)) : undefined;
}

function valueNumbers(kind: Kind, value: string | number | boolean): number[] {
  if (kind === "count" && typeof value === "number") return [value];
  if (kind === "date" && typeof value === "string") {
    const [y, m, d] = value.split("-").map(Number);
    return [d ?? 0, m ?? 0, y ?? 0];
  }
  if (kind === "time" && typeof value === "string") {
    const [h, min] = value.split(":").map(Number);
    // "14 giờ" is 14:00: a zero minute need not be written
    return min === 0 ? [h ?? 0] : [h ?? 0, min ?? 0];
  }
  return [];
}

function scoreValue(index: OcrIndex, quote: string | undefined, kind: Kind, value: string | number | boolean): number {
  if (quote === undefined) return NO_EVIDENCE;
  let numbers = valueNumbers(kind, value);
  const quoted = numbersIn(quote);
  if (numbers.length > 0) {
    if (quoted.length > 0 && !numbers.every((n) => quoted.includes(n))) return CONTRADICTED;
    // a count written in words ("mười sáu"): the words are the evidence, there are no digits to find
    if (quoted.length === 0) numbers = [];
  }
  const selfConsistent = kind !== "text" || typeof value !== "string" || quoteContains(quote, value);
  const s = support(index, quote, numbers);
  if (s.numberConflict) return CONTRADICTED;
  const agreement = numbers.length > 0 ? 0.5 * s.numbersFound + 0.5 * s.agreement : s.agreement;
  const c = NO_EVIDENCE + 0.65 * agreement * (0.4 + 0.6 * s.wordConfidence);
  return selfConsistent ? c : Math.min(c, 0.4);
}

const towardsOne = (c: number): number => c + (1 - c) * 0.3;
const lowered = (c: number): number => c * 0.75;

function adjust(confidence: Record<string, number>, paths: readonly string[], f: (c: number) => number): void {
  for (const p of paths) {
    const c = confidence[p];
    if (c !== undefined) confidence[p] = f(c);
  }
}

function checkConsistency(meeting: Meeting, durationGiven: number | null, confidence: Record<string, number>): void {
  const a = meeting.attendance;
  if (a.total !== null && a.present !== null && a.absentExcused !== null && a.absentUnexcused !== null) {
    const counts = ["attendance.total", "attendance.present", "attendance.absentExcused", "attendance.absentUnexcused"];
    const holds = a.present + a.absentExcused + a.absentUnexcused === a.total - a.exempt;
    adjust(confidence, counts, holds ? towardsOne : lowered);
    if (a.absentees.length > 0 && a.absentees.length !== a.absentExcused + a.absentUnexcused) {
      adjust(confidence, ["attendance.absentees"], lowered);
    }
  }
  if (meeting.startTime !== null && meeting.endTime !== null) {
    const minutes = minutesBetween(meeting.startTime, meeting.endTime);
    // a duration the minutes state otherwise, or a meeting of nothing or of most of a day: a time misread
    const doubtful = (durationGiven !== null && durationGiven !== minutes) || minutes === 0 || minutes > 6 * 60;
    if (doubtful) adjust(confidence, ["startTime", "endTime"], lowered);
    confidence.durationMinutes = Math.min(confidence.startTime ?? 0, confidence.endTime ?? 0);
  }
  if (a.present !== null) {
    const over = meeting.votes.some((v) => (v.agree ?? 0) + (v.disagree ?? 0) + (v.abstain ?? 0) > (a.present ?? 0));
    if (over) adjust(confidence, ["votes"], lowered);
  }
}

/** Where the parser read a labelled value from Textract's text that the reader left out or read otherwise. */
function crossCheck(meeting: Meeting, parsed: ParseResult, confidence: Record<string, number>, review: Set<string>): void {
  const sure = (path: string) => (parsed.confidence[path] ?? 0) >= 0.8;
  for (const field of SCALARS) {
    const mine = field.get(meeting);
    const theirs = field.get(parsed.meeting);
    if (theirs === null || !sure(field.path)) continue;
    if (mine === null) {
      if (review.has(field.path)) continue; // the reader said so itself (unreadable)
      review.add(field.path);
      confidence[field.path] = NO_EVIDENCE;
    } else if (field.kind !== "text" && field.kind !== "flag" && mine !== theirs) {
      confidence[field.path] = lowered(confidence[field.path] ?? NO_EVIDENCE);
    } else if (field.kind === "text" && typeof mine === "string" && typeof theirs === "string" && fold(mine) !== fold(theirs)) {
      // names and places: the parser on diacritic-less text is a weak witness; a small nudge only
      confidence[field.path] = (confidence[field.path] ?? NO_EVIDENCE) * 0.9;
    }
  }
  for (const path of ["opinions", "votes", "superiorAttendees", "attendance.absentees"] as const) {
    const mine = listOf(meeting, path);
    const theirs = listOf(parsed.meeting, path);
    if (mine === 0 && theirs > 0 && (parsed.confidence[path] ?? 0) >= REVIEW_THRESHOLD) {
      review.add(path);
      confidence[path] = NO_EVIDENCE;
    }
  }
}

function listOf(m: Meeting, path: "opinions" | "votes" | "superiorAttendees" | "attendance.absentees"): number {
  if (path === "attendance.absentees") return m.attendance.absentees.length;
  return m[path].length;
}

const round2 = (v: number): number => Math.round(Math.min(1, Math.max(0, v)) * 100) / 100;
