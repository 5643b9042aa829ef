/**
 * What the store keeps, as zod schemas: items read back from DynamoDB are validated with these,
 * never cast. Key attributes (PK, SK, GSI…) are built in dynamo-store.ts from table.ts.
 */
import * as z from "zod";
import { ExtractionDocumentSchema } from "../meeting/schema.ts";

/** Organisation ids go into keys and paths: no "/" or "#", short, lower-case. */
export const OrgIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "org id: a–z, 0–9 and '-', at most 63 characters");

export const OrgKindSchema = z.enum(["committee", "cell"]);

export const OrgSchema = z.object({
  id: OrgIdSchema,
  name: z.string().min(1).max(300),
  kind: OrgKindSchema,
  parentId: OrgIdSchema.nullable(),
  /** ids from the root to this org, joined by "/": the subtree of X is every path starting "X.path/" */
  path: z.string().min(1).max(2000),
});
export type Org = z.infer<typeof OrgSchema>;

export const StoredPageSchema = z.object({
  n: z.number().int().min(1),
  /** blob-store key of the original image */
  key: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().min(0),
  contentType: z.string(),
});
export type StoredPage = z.infer<typeof StoredPageSchema>;

export const ReviewStateSchema = z.object({
  state: z.enum(["pending", "in_progress", "done"]),
  by: z.string().nullable(),
  at: z.string().nullable(),
});
export type ReviewState = z.infer<typeof ReviewStateSchema>;

export const CostSchema = z.object({
  textractPages: z.number().int().min(0),
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  usd: z.number().min(0),
});
export type Cost = z.infer<typeof CostSchema>;

export const MeetingRecordSchema = z.object({
  id: z.string().min(1).max(64),
  cellId: OrgIdSchema,
  orgPath: z.string(),
  /** YYYY-MM: from the meeting date, or the upload date when the minutes carry none */
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  /** optimistic-locking version: corrections must name the version they read */
  version: z.number().int().min(1),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** hash of the cell id and the pages' hashes, in order: the same upload twice is one meeting */
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  engine: z.string(),
  pages: z.array(StoredPageSchema),
  document: ExtractionDocumentSchema,
  /**
   * The review queue (A2I takes no new customers): a meeting with fields under the review
   * threshold is pending; an inspector claims it (in progress, by whom), corrects or confirms the
   * fields and completes it (done). Each step is also in the audit trail.
   */
  reviewState: ReviewStateSchema.optional(),
  /** what reading this meeting cost (cloud engines), at the price table in configuration */
  cost: CostSchema.optional(),
});
export type MeetingRecord = z.infer<typeof MeetingRecordSchema>;

export const MonthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "month: YYYY-MM with a month from 01 to 12");

/** One change of one field, kept for ever beside the meeting: who, when, what, old → new, why. */
export const AuditEntrySchema = z.object({
  meetingId: z.string(),
  at: z.string(),
  seq: z.number().int().min(0),
  actor: z.string().max(200),
  action: z.enum(["extracted", "corrected", "confirmed", "claimed", "reviewed", "recomputed"]),
  field: z.string().max(200).nullable(),
  oldValue: z.unknown().optional(),
  newValue: z.unknown().optional(),
  reason: z.string().max(1000).nullable(),
  /** the version the change produced */
  version: z.number().int().min(1),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const MemberSchema = z.object({
  cellId: OrgIdSchema,
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  name: z.string().trim().min(2).max(200),
  status: z.enum(["official", "probationary"]),
  /** miễn sinh hoạt: excluded from the attendance denominator */
  exempt: z.boolean().default(false),
});
export type Member = z.infer<typeof MemberSchema>;

export const UploadStateSchema = z.object({
  uploadId: z.string(),
  cellId: OrgIdSchema,
  status: z.enum(["analysing", "done", "failed", "retrying"]),
  meetingId: z.string().optional(),
  /** Textract's asynchronous job, for a PDF */
  jobId: z.string().optional(),
  /** a reason code (never a message with personal data) */
  code: z.string().optional(),
  updatedAt: z.string(),
});
export type UploadState = z.infer<typeof UploadStateSchema>;
