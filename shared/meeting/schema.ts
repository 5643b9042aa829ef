/**
 * The vocabulary of bienban: one meeting's minutes as extracted, its flags, and the extraction
 * document of CONTRACT.md §2. zod is the single source of truth; every type is inferred from here.
 *
 * Why nullable everywhere: "unknown is not missing". A field the minutes do not contain is null
 * (a finding for the criteria); a field that is written but unreadable is null too, with low
 * confidence and listed under review.fields (a question for a person). The criteria engine tells
 * the two apart through `review`, never by guessing.
 */
import * as z from "zod";

export const SCHEMA_VERSION = 1 as const;

/** a real calendar date (2026-02-30 and 2026-13-01 are refused), YYYY-MM-DD */
const isoDate = z.iso.date();
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM (24h)");
const count = z.number().int().min(0).max(100_000);
const personName = z.string().min(1).max(200);

export const MeetingKindSchema = z.enum(["regular", "thematic", "combined"]);
export type MeetingKind = z.infer<typeof MeetingKindSchema>;

export const AbsenteeSchema = z.object({
  name: personName,
  excused: z.boolean().nullable(),
  reason: z.string().max(500).nullable().default(null),
});
export type Absentee = z.infer<typeof AbsenteeSchema>;

export const AttendanceSchema = z.object({
  total: count.nullable(),
  exempt: count.default(0),
  present: count.nullable(),
  absentExcused: count.nullable(),
  absentUnexcused: count.nullable(),
  absentees: z.array(AbsenteeSchema).max(1000).default([]),
});
export type Attendance = z.infer<typeof AttendanceSchema>;

export const OpinionSchema = z.object({
  speaker: personName,
  text: z.string().max(10_000),
});
export type Opinion = z.infer<typeof OpinionSchema>;

export const VoteSchema = z.object({
  subject: z.string().max(1000).nullable(),
  agree: count.nullable(),
  disagree: count.nullable(),
  abstain: count.nullable(),
});
export type Vote = z.infer<typeof VoteSchema>;

export const SignaturesSchema = z.object({
  chair: z.boolean().nullable(),
  secretary: z.boolean().nullable(),
});

export const MeetingSchema = z.object({
  partyCommittee: z.string().max(300).nullable(),
  cellName: z.string().max(300).nullable(),
  kind: MeetingKindSchema.nullable(),
  meetingDate: isoDate.nullable(),
  startTime: hhmm.nullable(),
  endTime: hhmm.nullable(),
  durationMinutes: z.number().int().min(0).max(24 * 60).nullable(),
  location: z.string().max(500).nullable(),
  chair: personName.nullable(),
  secretary: personName.nullable(),
  attendance: AttendanceSchema,
  superiorAttendees: z.array(personName).max(100).default([]),
  opinions: z.array(OpinionSchema).max(1000).default([]),
  votes: z.array(VoteSchema).max(100).default([]),
  minutesApproved: z.boolean().nullable(),
  signatures: SignaturesSchema,
});
export type Meeting = z.infer<typeof MeetingSchema>;
export type MeetingInput = z.input<typeof MeetingSchema>;

export const SeveritySchema = z.enum(["error", "warning"]);
export type Severity = z.infer<typeof SeveritySchema>;

export const FlagSchema = z.object({
  code: z.string().regex(/^[A-Z_]+$/),
  severity: SeveritySchema,
  field: z.string(),
  message: z.string(),
  /** English message; an extension of CONTRACT.md §2 for the English UI. */
  messageEn: z.string().optional(),
  basis: z.string(),
});
export type Flag = z.infer<typeof FlagSchema>;

/** Dotted paths of meeting fields, as used by confidence, review and flags ("attendance.present"). */
export const ConfidenceSchema = z.record(z.string(), z.number().min(0).max(1));

export const ReviewSchema = z.object({
  needed: z.boolean(),
  fields: z.array(z.string()),
});
export type Review = z.infer<typeof ReviewSchema>;

export const ExtractionDocumentSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  meeting: MeetingSchema,
  flags: z.array(FlagSchema),
  confidence: ConfidenceSchema.default({}),
  review: ReviewSchema.default({ needed: false, fields: [] }),
});
export type ExtractionDocument = z.infer<typeof ExtractionDocumentSchema>;

/** A meeting with every field unknown: the parser's starting point. */
export function emptyMeeting(): Meeting {
  return {
    partyCommittee: null,
    cellName: null,
    kind: null,
    meetingDate: null,
    startTime: null,
    endTime: null,
    durationMinutes: null,
    location: null,
    chair: null,
    secretary: null,
    attendance: {
      total: null,
      exempt: 0,
      present: null,
      absentExcused: null,
      absentUnexcused: null,
      absentees: [],
    },
    superiorAttendees: [],
    opinions: [],
    votes: [],
    minutesApproved: null,
    signatures: { chair: null, secretary: null },
  };
}

/** Minutes between two HH:MM times; a meeting that crosses midnight wraps. */
export function minutesBetween(start: string, end: string): number {
  const toMin = (t: string) => {
    const [h, m] = t.split(":").map(Number);
    return (h ?? 0) * 60 + (m ?? 0);
  };
  const d = toMin(end) - toMin(start);
  return d >= 0 ? d : d + 24 * 60;
}
