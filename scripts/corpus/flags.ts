/**
 * The flags a correct checker must raise on a generated meeting, by CONTRACT.md §3 and the criteria
 * of Instruction 12-HD/BTCTW (2018). Written independently of the project's criteria engine on
 * purpose: the corpus is the yardstick the engine and the parser are measured against, so it must
 * not borrow their code.
 *
 * Interpretations (where §3 leaves room), kept deliberately simple:
 * - MISSING_VOTE_RESULT: no vote carries an `agree` count ("nhất trí thông qua" without counts is missing).
 * - ATTENDANCE_INCONSISTENT: only when total, present and both absence counts are known.
 * - VOTE_COUNT_INCONSISTENT: unknown counts count as 0; only when `present` is known.
 * - ABSENT_WITHOUT_REASON: an unexcused count above 0, or an absentee marked excused=false.
 * - REPEATED_EXCUSED_ABSENCE needs history and is never expected from a single meeting.
 */
import type { Meeting } from "../../shared/meeting/schema.ts";

/** The per-meeting codes of CONTRACT.md §3, in the contract's order. */
export const MEETING_FLAG_CODES = [
  "MISSING_MEETING_DATE",
  "MISSING_START_TIME",
  "MISSING_END_TIME",
  "MISSING_CHAIR",
  "MISSING_SECRETARY",
  "MISSING_ATTENDANCE",
  "MISSING_OPINIONS",
  "MISSING_VOTE_RESULT",
  "MISSING_CHAIR_SIGNATURE",
  "MISSING_SECRETARY_SIGNATURE",
  "ATTENDANCE_BELOW_THRESHOLD",
  "ABSENT_WITHOUT_REASON",
  "DURATION_TOO_SHORT",
  "ATTENDANCE_INCONSISTENT",
  "VOTE_COUNT_INCONSISTENT",
] as const;
export type MeetingFlagCode = (typeof MEETING_FLAG_CODES)[number];

/** 12-HD/BTCTW (2018): attendance must be OVER this share of the members required to attend. */
export const ATTENDANCE_THRESHOLD_PERCENT = 85;
/** Minimum length in minutes: regular or thematic, and regular combined with thematic in one session. */
export const MIN_MINUTES = { regular: 90, thematic: 90, combined: 120 } as const;

export function expectedFlags(m: Meeting): MeetingFlagCode[] {
  const raised = new Set<MeetingFlagCode>();
  const a = m.attendance;
  if (m.meetingDate === null) raised.add("MISSING_MEETING_DATE");
  if (m.startTime === null) raised.add("MISSING_START_TIME");
  if (m.endTime === null) raised.add("MISSING_END_TIME");
  if (m.chair === null) raised.add("MISSING_CHAIR");
  if (m.secretary === null) raised.add("MISSING_SECRETARY");
  if (a.total === null || a.present === null) raised.add("MISSING_ATTENDANCE");
  if (m.opinions.length === 0) raised.add("MISSING_OPINIONS");
  if (!m.votes.some((v) => v.agree !== null)) raised.add("MISSING_VOTE_RESULT");
  if (m.signatures.chair === false) raised.add("MISSING_CHAIR_SIGNATURE");
  if (m.signatures.secretary === false) raised.add("MISSING_SECRETARY_SIGNATURE");

  if (a.total !== null && a.present !== null) {
    const required = a.total - a.exempt;
    if (required > 0 && a.present * 100 <= ATTENDANCE_THRESHOLD_PERCENT * required) raised.add("ATTENDANCE_BELOW_THRESHOLD");
  }
  if ((a.absentUnexcused ?? 0) > 0 || a.absentees.some((p) => p.excused === false)) raised.add("ABSENT_WITHOUT_REASON");
  if (m.durationMinutes !== null && m.kind !== null && m.durationMinutes < MIN_MINUTES[m.kind]) raised.add("DURATION_TOO_SHORT");
  if (a.total !== null && a.present !== null && a.absentExcused !== null && a.absentUnexcused !== null) {
    if (a.present + a.absentExcused + a.absentUnexcused !== a.total - a.exempt) raised.add("ATTENDANCE_INCONSISTENT");
  }
  if (a.present !== null) {
    const present = a.present;
    if (m.votes.some((v) => (v.agree ?? 0) + (v.disagree ?? 0) + (v.abstain ?? 0) > present)) raised.add("VOTE_COUNT_INCONSISTENT");
  }
  return MEETING_FLAG_CODES.filter((c) => raised.has(c));
}
