/**
 * The per-meeting flag codes of CONTRACT.md §3: stable identifiers that callers (reports, pages,
 * other systems) match on. A rule set may use other codes too (a province's own criteria); these
 * are the ones the shipped rule sets raise.
 */
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
  "REPEATED_EXCUSED_ABSENCE",
] as const;
export type MeetingFlagCode = (typeof MEETING_FLAG_CODES)[number];
