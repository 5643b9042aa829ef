/**
 * The minutes parser: OCR lines of one meeting's pages → the `meeting` of CONTRACT.md §2, with a
 * confidence per field read and the fields a person must review.
 *
 * It reads labels, not layouts: minutes are typed from templates or handwritten in many wordings,
 * and OCR drops diacritics and letters, so every label is matched on folded text and, failing
 * that, approximately. It never guesses a field that is not written (null, not in review); a field
 * whose label is there but whose value cannot be read is null and listed in review.
 */
import { emptyMeeting, minutesBetween, MeetingSchema, type Meeting } from "../../meeting/schema.ts";
import type { OcrPage } from "../ocr-page.ts";
import { readAttendance } from "./attendance.ts";
import { readApproval, readOpinions, readVotes } from "./discussion.ts";
import { type DocLine, linesFromPages, linesFromText } from "./document.ts";
import { CERTAINTY, Findings, OTHER_FIELDS, REQUIRED_FIELDS } from "./findings.ts";
import { isWellRead, quality } from "./quality.ts";
import { findTitle, readHeader, type KnownOrganisation } from "./header.ts";
import { reflow } from "./reflow.ts";
import { readRoles, readSuperiors } from "./people.ts";
import { truncate } from "./text.ts";
import { readWhenWhere } from "./when-where.ts";

export { findSignatureBlock, type SignatureBlock, type SignatureSlot } from "./signature-block.ts";
export { REVIEW_THRESHOLD } from "./findings.ts";

export interface ParseOptions {
  /** the cell's member names with diacritics, when known: used to restore names OCR mangled */
  members?: readonly string[];
  /** the names the store has for the cell and its committee: the header's names are restored to them */
  organisation?: KnownOrganisation;
}

export interface ParseResult {
  /** passes MeetingSchema.parse */
  meeting: Meeting;
  /** dotted field path → 0..1, for every field that was read */
  confidence: Record<string, number>;
  /** fields that ARE written in the minutes but could not be read reliably; never a field that is simply absent */
  review: string[];
}

/** Longer than this, a meeting's two times disagree (a misread hour), not the meeting. */
const MAX_PLAUSIBLE_MINUTES = 6 * 60;

/** Upper bound on the text the parser looks at: minute books are a few pages, not megabytes. */
const MAX_LINES = 5_000;
const MAX_LINE_LENGTH = 2_000;

export function parseMeeting(pages: readonly OcrPage[], options: ParseOptions = {}): ParseResult {
  let lines: DocLine[];
  try {
    lines = linesFromPages(pages);
  } catch {
    // Malformed pages (not validated by the caller): nothing could be read.
    return { meeting: emptyMeeting(), confidence: {}, review: [] };
  }
  return parseLines(lines, options);
}

export function parseText(text: string, options: ParseOptions = {}): ParseResult {
  return parseLines(linesFromText(typeof text === "string" ? text : ""), options);
}

function parseLines(all: DocLine[], options: ParseOptions): ParseResult {
  const physical = all
    .slice(0, MAX_LINES)
    .filter((l) => l.text.length <= MAX_LINE_LENGTH)
    .map((l, index) => ({ ...l, index }));
  // Sentences wrapped over several OCR lines are read as one; the header's columns are not prose.
  const lines = reflow(physical, findTitle(physical)).filter((l) => l.text.length <= MAX_LINE_LENGTH * 4);
  const members = options.members?.filter((m) => typeof m === "string" && m.trim() !== "");
  const findings = new Findings();
  const meeting = emptyMeeting();
  try {
    const header = readHeader(lines, findings, options.organisation);
    meeting.partyCommittee = header.partyCommittee;
    meeting.cellName = header.cellName;
    meeting.kind = header.kind;

    const when = readWhenWhere(lines, findings);
    meeting.meetingDate = when.meetingDate;
    meeting.startTime = when.startTime;
    meeting.endTime = when.endTime;
    meeting.location = when.location;
    if (when.startTime !== null && when.endTime !== null) {
      meeting.durationMinutes = minutesBetween(when.startTime, when.endTime);
      // A cell meeting of more than six hours (or one ending before it began, read as running past
      // midnight) is two times of which one was misread: a person looks at both.
      const plausible = meeting.durationMinutes <= MAX_PLAUSIBLE_MINUTES;
      if (!plausible) for (const path of ["startTime", "endTime"]) findings.read(path, (findings.confidence[path] ?? 0) * CERTAINTY.inconsistent);
      findings.read("durationMinutes", Math.min(findings.confidence.startTime ?? 0, findings.confidence.endTime ?? 0));
    }

    const roles = readRoles(lines, members, findings);
    meeting.chair = roles.chair;
    meeting.secretary = roles.secretary;
    meeting.attendance = readAttendance(lines, members, findings);
    meeting.superiorAttendees = readSuperiors(lines, members, findings);
    meeting.opinions = readOpinions(lines, members, findings);
    meeting.votes = readVotes(lines, meeting.attendance, findings);
    meeting.minutesApproved = readApproval(lines, findings);
    // Unknown is not missing: on a poorly read document a required field whose label was not found
    // may well be written in what the OCR garbled. Only a well-read document may say it is absent.
    if (!isWellRead(quality(lines))) {
      for (const path of [...REQUIRED_FIELDS, ...OTHER_FIELDS]) if (!findings.has(path)) findings.unreadable(path);
    }
    // The duration follows from the two times: when one of them is a question for a person, so is
    // the duration (it is not known to be absent).
    if (meeting.durationMinutes === null && (findings.review.includes("startTime") || findings.review.includes("endTime"))) {
      findings.unreadable("durationMinutes");
    }
  } catch (err) {
    // A parser defect must not lose the whole document: keep what was read so far. The error is
    // not logged here (it could carry OCR text); callers see the missing fields as absent.
    void err;
  }
  const safe = MeetingSchema.safeParse(sanitize(meeting));
  return {
    meeting: safe.success ? safe.data : emptyMeeting(),
    confidence: safe.success ? findings.confidence : {},
    review: safe.success ? findings.review : [],
  };
}

/** Clamp counts and lengths to what MeetingSchema accepts. */
function sanitize(m: Meeting): Meeting {
  const count = (n: number | null): number | null => (n === null || !Number.isFinite(n) ? null : Math.min(100_000, Math.max(0, Math.trunc(n))));
  const str = (s: string | null, max: number): string | null => {
    if (s === null) return null;
    const t = truncate(s.trim(), max);
    return t === "" ? null : t;
  };
  const name = (s: string): string => truncate(s.trim(), 200);
  return {
    ...m,
    partyCommittee: str(m.partyCommittee, 300),
    cellName: str(m.cellName, 300),
    location: str(m.location, 500),
    chair: str(m.chair, 200),
    secretary: str(m.secretary, 200),
    durationMinutes: m.durationMinutes === null ? null : Math.min(24 * 60, Math.max(0, m.durationMinutes)),
    attendance: {
      total: count(m.attendance.total),
      exempt: count(m.attendance.exempt) ?? 0,
      present: count(m.attendance.present),
      absentExcused: count(m.attendance.absentExcused),
      absentUnexcused: count(m.attendance.absentUnexcused),
      absentees: m.attendance.absentees
        .filter((a) => a.name.trim() !== "")
        .slice(0, 1000)
        .map((a) => ({ ...a, name: name(a.name), reason: a.reason === null ? null : truncate(a.reason, 500) })),
    },
    superiorAttendees: m.superiorAttendees.filter((s) => s.trim() !== "").slice(0, 100).map(name),
    opinions: m.opinions.filter((o) => o.speaker.trim() !== "").slice(0, 1000).map((o) => ({ speaker: name(o.speaker), text: truncate(o.text, 10_000) })),
    votes: m.votes.slice(0, 100).map((v) => ({
      subject: v.subject === null ? null : truncate(v.subject, 1000),
      agree: count(v.agree),
      disagree: count(v.disagree),
      abstain: count(v.abstain),
    })),
  };
}
