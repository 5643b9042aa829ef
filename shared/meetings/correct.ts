/**
 * Corrections are events: an inspector changes fields of a stored meeting, naming the version they
 * read. The change, who made it and why go to the audit trail in the same transaction as the new
 * meeting, its recomputed flags and review state. A stale version changes nothing (412).
 *
 * Cross-meeting rules (REPEATED_EXCUSED_ABSENCE) look at the cell's earlier meetings of the year,
 * so a correction of one meeting also recomputes the flags of the cell's later meetings.
 */
import * as z from "zod";
import type { RuleSetId } from "../criteria/index.ts";
import { BienbanError, InvalidInputError, NotFoundError } from "../errors.ts";
import { recheck } from "./recheck.ts";
import { log } from "../log.ts";
import { MeetingSchema, minutesBetween, type Meeting } from "../meeting/schema.ts";
import { VersionConflictError, type DynamoStore } from "../store/dynamo-store.ts";
import type { AuditEntry, MeetingRecord } from "../store/records.ts";

/** The fields a person may correct, by dotted path (the paths of confidence and review). */
export const CORRECTABLE_FIELDS = [
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
  "attendance.total",
  "attendance.exempt",
  "attendance.present",
  "attendance.absentExcused",
  "attendance.absentUnexcused",
  "attendance.absentees",
  "superiorAttendees",
  "opinions",
  "votes",
  "minutesApproved",
  "signatures.chair",
  "signatures.secretary",
] as const;

export const CorrectionSchema = z.object({
  changes: z
    .array(z.object({ field: z.enum(CORRECTABLE_FIELDS), value: z.unknown() }))
    .min(1)
    .max(CORRECTABLE_FIELDS.length),
  reason: z.string().trim().max(1000).optional(),
});
export type Correction = z.infer<typeof CorrectionSchema>;

export class PreconditionFailedError extends BienbanError {
  constructor() {
    super(
      "VERSION_CONFLICT",
      412,
      "Biên bản đã được người khác sửa sau khi bạn mở; hãy tải lại và sửa lại.",
      "The meeting was changed by someone else since you opened it; reload and try again.",
    );
  }
}

/** What every change of a stored meeting names: which, the version read, who, and who may see it. */
interface ChangeInput {
  id: string;
  expectedVersion: number;
  actor: string;
  canSee: (r: MeetingRecord) => boolean;
}

/** The meeting as stored, if the caller may see it and read the stored version; else 404 / 412. */
async function loadForChange(deps: CorrectDeps, input: ChangeInput): Promise<MeetingRecord> {
  const current = await deps.store.getMeeting(input.id);
  if (!current || !input.canSee(current)) throw new NotFoundError({ vi: "biên bản", en: "Meeting" });
  if (current.version !== input.expectedVersion) throw new PreconditionFailedError();
  return current;
}

/** Stores the next version with its audit entries, or nothing when someone else got there first (412). */
async function commitChange(deps: CorrectDeps, current: MeetingRecord, next: MeetingRecord, audit: readonly AuditEntry[]): Promise<MeetingRecord> {
  try {
    await deps.store.updateMeeting(next, current.version, audit);
  } catch (err) {
    if (err instanceof VersionConflictError) throw new PreconditionFailedError();
    throw err;
  }
  return next;
}

export interface CorrectDeps {
  store: DynamoStore;
  ruleSet?: RuleSetId;
  now?: () => Date;
}

function getPath(m: Meeting, path: string): unknown {
  let cur: unknown = m;
  for (const part of path.split(".")) cur = cur !== null && typeof cur === "object" ? (cur as Record<string, unknown>)[part] : undefined;
  return cur;
}

function setPath(m: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let cur: Record<string, unknown> = m;
  for (const part of parts.slice(0, -1)) {
    const next = cur[part];
    if (next === null || typeof next !== "object") throw new Error(`no object at ${part}`);
    cur = next as Record<string, unknown>;
  }
  cur[parts.at(-1) ?? ""] = value;
}

/** Earlier meetings of the same cell in the same year: the history the cross-meeting rules read. */
export async function historyOf(store: DynamoStore, record: { id: string; orgPath: string }, meeting: Meeting): Promise<Meeting[]> {
  const date = meeting.meetingDate;
  if (!date) return [];
  const year = Number(date.slice(0, 4));
  const all = await store.listCellYear(record.orgPath, year);
  return all.filter((r) => r.id !== record.id && (r.document.meeting.meetingDate ?? "9999") < date).map((r) => r.document.meeting);
}

export async function correctMeeting(deps: CorrectDeps, input: ChangeInput & { correction: Correction }): Promise<MeetingRecord> {
  const current = await loadForChange(deps, input);

  const draft = structuredClone(current.document.meeting) as unknown as Record<string, unknown>;
  const changed = new Set<string>();
  for (const { field, value } of input.correction.changes) {
    setPath(draft, field, value);
    changed.add(field);
  }
  // the duration follows the times unless it was corrected itself
  const parsed = MeetingSchema.safeParse(draft);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join(".")))].join(", ");
    throw new InvalidInputError("INVALID_CORRECTION", `Giá trị sửa không hợp lệ: ${fields}.`, `Invalid corrected value: ${fields}.`);
  }
  const meeting = parsed.data;
  if ((changed.has("startTime") || changed.has("endTime")) && !changed.has("durationMinutes")) {
    meeting.durationMinutes = meeting.startTime && meeting.endTime ? minutesBetween(meeting.startTime, meeting.endTime) : null;
    changed.add("durationMinutes");
  }

  const confidence = { ...current.document.confidence };
  for (const f of changed) confidence[f] = 1;
  const review = current.document.review.fields.filter((f) => ![...changed].some((c) => f === c || f.startsWith(`${c}.`)));
  const document = recheck({ meeting, confidence }, { ruleSet: deps.ruleSet, review, history: await historyOf(deps.store, current, meeting) });

  const now = (deps.now ?? (() => new Date()))().toISOString();
  const next: MeetingRecord = {
    ...current,
    version: current.version + 1,
    updatedAt: now,
    month: meeting.meetingDate?.slice(0, 7) ?? current.month,
    document,
  };
  const audit: AuditEntry[] = [...changed].map((field, seq) => ({
    meetingId: current.id,
    at: now,
    seq,
    actor: input.actor,
    action: "corrected",
    field,
    oldValue: getPath(current.document.meeting, field) ?? null,
    newValue: getPath(meeting, field) ?? null,
    reason: input.correction.reason ?? null,
    version: next.version,
  }));
  await commitChange(deps, current, next, audit);
  log("info", "meeting.corrected", { meetingId: current.id, fields: changed.size, version: next.version, flags: document.flags.length });
  await recomputeLaterMeetings(deps, next);
  return next;
}

/** A reviewer confirms what is there: the review list is emptied and flags recomputed. */
export async function markReviewed(deps: CorrectDeps, input: ChangeInput): Promise<MeetingRecord> {
  const current = await loadForChange(deps, input);
  const meeting = current.document.meeting;
  const document = recheck({ meeting, confidence: current.document.confidence }, { ruleSet: deps.ruleSet, review: [], history: await historyOf(deps.store, current, meeting) });
  const now = (deps.now ?? (() => new Date()))().toISOString();
  const next: MeetingRecord = { ...current, version: current.version + 1, updatedAt: now, document, reviewState: { state: "done", by: input.actor, at: now } };
  return commitChange(deps, current, next, [
    { meetingId: current.id, at: now, seq: 0, actor: input.actor, action: "reviewed", field: null, reason: null, version: next.version },
  ]);
}

export class ClaimedByOtherError extends BienbanError {
  constructor() {
    super("CLAIMED", 409, "Biên bản này đang được người khác xem lại.", "Another reviewer is working on this meeting.");
  }
}

/** An inspector takes a meeting from the review queue: pending → in progress (by whom). */
export async function claimReview(deps: CorrectDeps, input: ChangeInput): Promise<MeetingRecord> {
  const current = await loadForChange(deps, input);
  const state = current.reviewState;
  if (!current.document.review.needed || state?.state === "done") {
    throw new BienbanError("NOT_IN_QUEUE", 409, "Biên bản này không chờ xem lại.", "This meeting is not waiting for review.");
  }
  if (state?.state === "in_progress" && state.by !== input.actor) throw new ClaimedByOtherError();
  const now = (deps.now ?? (() => new Date()))().toISOString();
  const next: MeetingRecord = { ...current, version: current.version + 1, updatedAt: now, reviewState: { state: "in_progress", by: input.actor, at: now } };
  return commitChange(deps, current, next, [
    { meetingId: current.id, at: now, seq: 0, actor: input.actor, action: "claimed", field: null, reason: null, version: next.version },
  ]);
}

/**
 * After a meeting changed, the cell's later meetings of that year are evaluated again with their
 * own history; those whose flags changed are stored with a "recomputed" audit entry. A meeting
 * changed meanwhile by someone else is left to that writer (it recomputes with fresh history).
 */
export async function recomputeLaterMeetings(deps: CorrectDeps, changed: MeetingRecord): Promise<number> {
  const date = changed.document.meeting.meetingDate;
  if (!date) return 0;
  const all = await deps.store.listCellYear(changed.orgPath, Number(date.slice(0, 4)));
  const later = all.filter((r) => r.id !== changed.id && (r.document.meeting.meetingDate ?? "") > date);
  let updated = 0;
  for (const r of later) {
    const m = r.document.meeting;
    const history = all.filter((o) => o.id !== r.id && (o.document.meeting.meetingDate ?? "9999") < (m.meetingDate ?? "")).map((o) => (o.id === changed.id ? changed.document.meeting : o.document.meeting));
    const document = recheck(r.document, { ruleSet: deps.ruleSet, history });
    const before = r.document.flags.map((f) => `${f.code}:${f.message}`).join("|");
    const after = document.flags.map((f) => `${f.code}:${f.message}`).join("|");
    if (before === after) continue;
    const now = (deps.now ?? (() => new Date()))().toISOString();
    try {
      await deps.store.updateMeeting({ ...r, version: r.version + 1, updatedAt: now, document }, r.version, [
        { meetingId: r.id, at: now, seq: 0, actor: "system", action: "recomputed", field: "flags", reason: `meeting ${changed.id} changed`, version: r.version + 1 },
      ]);
      updated++;
    } catch (err) {
      if (!(err instanceof VersionConflictError)) throw err;
    }
  }
  return updated;
}
