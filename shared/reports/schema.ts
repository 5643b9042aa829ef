/**
 * The monthly compliance report of one party organisation, as data: the JSON output is exactly this
 * schema (versioned), and the CSV, HTML and PDF are rendered from a parsed Report, never from the
 * store directly. Change it only by adding fields; anything else is a new schemaVersion.
 *
 * How things are counted (the definitions the hand-computed tests check):
 * - a cell "held its meeting" when at least one meeting of the cell is stored for the month;
 * - attendance rate of a meeting = present ÷ (total − exempt), in percent, one decimal; unknown
 *   (null) when either count is unknown or nobody was required to attend;
 * - a level's average attendance rate is the mean over its meetings whose rate is known;
 * - flagsByCode / countsByCode: for a per-meeting code, the number of meetings raising it; for
 *   NO_MEETING_IN_MONTH and NO_THEMATIC_IN_QUARTER, 1 per cell; for REPEATED_EXCUSED_ABSENCE the
 *   number of MEMBERS in a run (recomputed here from the whole year's meetings, so a meeting flag of
 *   the same code, decided at ingest with whatever history was there, is not counted twice);
 * - findings = the sum of those counts.
 */
import * as z from "zod";
import { MeetingKindSchema, SeveritySchema } from "../meeting/schema.ts";
import { MonthSchema, OrgKindSchema } from "../store/records.ts";

export const REPORT_SCHEMA_VERSION = 1 as const;

/** Report-level codes (CONTRACT.md §3): they are about a cell or a member over time, not one meeting. */
export const REPORT_CODES = ["NO_MEETING_IN_MONTH", "NO_THEMATIC_IN_QUARTER", "REPEATED_EXCUSED_ABSENCE"] as const;
export type ReportCode = (typeof REPORT_CODES)[number];

const Percent = z.number().min(0).max(1000);
const Count = z.number().int().min(0);
const CodeCounts = z.record(z.string().regex(/^[A-Z_]+$/), Count);
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const FindingSchema = z.object({
  code: z.string().regex(/^[A-Z_]+$/),
  severity: SeveritySchema,
  count: Count,
});
export type Finding = z.infer<typeof FindingSchema>;

export const MeetingSummarySchema = z.object({
  id: z.string(),
  kind: MeetingKindSchema.nullable(),
  date: IsoDate.nullable(),
  durationMinutes: z.number().int().min(0).nullable(),
  present: Count.nullable(),
  /** members required to attend: total − exempt */
  required: Count.nullable(),
  attendanceRate: Percent.nullable(),
  flagsByCode: CodeCounts,
  reviewNeeded: z.boolean(),
  /** field paths a person still has to look at */
  reviewFields: z.array(z.string()),
});
export type MeetingSummary = z.infer<typeof MeetingSummarySchema>;

export const CellRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  path: z.string(),
  parentId: z.string().nullable(),
  parentName: z.string().nullable(),
  meetingHeld: z.boolean(),
  /** the month's meetings, by date */
  meetings: z.array(MeetingSummarySchema),
  thematicInQuarter: z.boolean(),
  /** meeting flags over the month's meetings plus the report-level codes of this cell */
  findings: z.array(FindingSchema),
  flagsByCode: CodeCounts,
  findingCount: Count,
  reviewNeeded: z.boolean(),
});
export type CellRow = z.infer<typeof CellRowSchema>;

export const LevelStatsSchema = z.object({
  cells: Count,
  cellsWithMeeting: Count,
  /** cells with a meeting ÷ cells, percent; null for a committee without cells */
  meetingRate: Percent.nullable(),
  meetings: Count,
  /** meetings with at least one flag */
  flaggedMeetings: Count,
  meetingsNeedingReview: Count,
  averageAttendanceRate: Percent.nullable(),
  countsByCode: CodeCounts,
  findings: Count,
  /** the cloud reading cost of the meetings (Textract pages, Bedrock tokens × the price table), USD */
  readingCostUsd: z.number().min(0).default(0),
});
export type LevelStats = z.infer<typeof LevelStatsSchema>;

export const LevelRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: OrgKindSchema,
  path: z.string(),
  parentId: z.string().nullable(),
  /** 0 = the organisation of the report, 1 = its direct sub-committees, … */
  depth: Count,
  /** rolled up over every cell of this committee's subtree */
  stats: LevelStatsSchema,
});
export type LevelRow = z.infer<typeof LevelRowSchema>;

export const MemberRowSchema = z.object({
  cellId: z.string(),
  cellName: z.string(),
  /** as written in the latest minutes of the run */
  name: z.string(),
  /** consecutive meetings absent with reason, this month's included */
  inRow: Count,
  from: IsoDate,
  to: IsoDate,
});
export type MemberRow = z.infer<typeof MemberRowSchema>;

/**
 * The same rates month by month (the report's month last). Only what can be decided from one month
 * alone: the quarter and member findings, which look across months, are in the report's month only.
 */
export const TrendRowSchema = z.object({
  month: MonthSchema,
  cells: Count,
  cellsWithMeeting: Count,
  meetingRate: Percent.nullable(),
  meetings: Count,
  flaggedMeetings: Count,
  averageAttendanceRate: Percent.nullable(),
  /** meetings raising each per-meeting code */
  meetingFlagsByCode: CodeCounts,
});
export type TrendRow = z.infer<typeof TrendRowSchema>;

export const ReportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  org: z.object({ id: z.string(), name: z.string(), kind: OrgKindSchema, path: z.string() }),
  month: MonthSchema,
  generatedAt: z.string(),
  ruleSet: z.object({
    id: z.string(),
    /** the REPEATED_EXCUSED_ABSENCE limit of the rule set; null when the rule set has no such rule */
    maxExcusedInRow: z.number().int().min(1).nullable(),
  }),
  quarter: z.object({ id: z.string(), months: z.array(MonthSchema), isLastMonth: z.boolean() }),
  totals: LevelStatsSchema,
  /** findings over the whole subtree, most first (the bar chart) */
  findingsByCode: z.array(FindingSchema),
  /** the organisation itself first, then its committees depth first */
  levels: z.array(LevelRowSchema),
  /** most findings first */
  cells: z.array(CellRowSchema),
  members: z.array(MemberRowSchema),
  trend: z.array(TrendRowSchema),
});
export type Report = z.infer<typeof ReportSchema>;

export const REPORT_FORMATS = ["json", "csv", "html", "pdf"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const ReportFormatSchema = z.enum(REPORT_FORMATS);
