/**
 * The DynamoDB store: the same code against DynamoDB Local (npm start, tests) and DynamoDB in AWS.
 * Keys follow the access patterns documented in table.ts. No Scan anywhere.
 */
import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type QueryCommandInput,
} from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { mapLimit } from "../concurrency.ts";
import { InvalidInputError } from "../errors.ts";
import { ExtractionDocumentSchema } from "../meeting/schema.ts";
import {
  AuditEntrySchema,
  MeetingRecordSchema,
  MemberSchema,
  OrgSchema,
  type AuditEntry,
  type MeetingRecord,
  type Member,
  type Org,
  UploadStateSchema,
  type UploadState,
} from "./records.ts";

export const keys = {
  meeting: (id: string) => ({ PK: `MEETING#${id}`, SK: "META" }),
  ingest: (hash: string) => ({ PK: `INGEST#${hash}`, SK: "INGEST" }),
  audit: (id: string, at: string, seq: number) => ({ PK: `MEETING#${id}`, SK: `AUDIT#${at}#${String(seq).padStart(4, "0")}` }),
  org: (id: string) => ({ PK: `ORG#${id}`, SK: "META" }),
  upload: (id: string) => ({ PK: `UPLOAD#${id}`, SK: "STATE" }),
  member: (cellId: string, id: string) => ({ PK: `ORG#${cellId}`, SK: `MEMBER#${id}` }),
  /** GSI1/GSI2 partition: the root organisation and the month spread the peak-day writes */
  treeMonth: (root: string, month: string) => `TREE#${root}#${month}`,
  treeSort: (orgPath: string, date: string, id: string) => `${orgPath}/#${date}#${id}`,
  children: (parentId: string | null) => `CHILDREN#${parentId ?? "ROOT"}`,
};

export interface ListMeetingsQuery {
  /** path of the organisation whose subtree is listed (a cell's path lists that cell) */
  orgPath: string;
  month: string;
  flaggedOnly?: boolean;
  code?: string;
  needsReview?: boolean;
  kind?: "regular" | "thematic" | "combined";
  /** newest first */
  descending?: boolean;
  limit?: number;
  cursor?: string;
}
export interface Page<T> {
  items: T[];
  cursor: string | null;
}

/** The version a correction was based on is no longer the stored one: nothing was written. */
export class VersionConflictError extends Error {
  constructor() {
    super("version conflict");
  }
}

export class DuplicateUploadError extends Error {
  constructor(readonly existingId: string) {
    super("duplicate upload");
  }
}


/** How long counts per flag code of a subtree's month are reused (this process's own writes clear them). */
export const COUNTS_MAX_AGE_MS = 30_000;
/**
 * How long an organisation read is reused. Every request reads the caller's home organisation and
 * the one it asks about; organisations change rarely (this process's own writes clear them), so
 * another process's change is seen within this time.
 */
export const ORGS_MAX_AGE_MS = 60_000;

/** Values reused for a while; concurrent misses of one key share a single read (single flight). */
class ReadThrough<V> {
  private readonly entries = new Map<string, { at: number; value: Promise<V> }>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly maxEntries = 1000,
  ) {}

  get(key: string, read: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.maxAgeMs) return hit.value;
    const value = read();
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { at: Date.now(), value });
    // a failed read is not kept
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  forget(which: (key: string) => boolean = () => true): void {
    for (const key of this.entries.keys()) if (which(key)) this.entries.delete(key);
  }
}

/**
 * What a list of meetings shows (the dashboard's rows, the API's list items): who, when, what
 * kind, the flags and the review state — not the opinions, votes and absentees of every meeting,
 * which only the meeting's own page needs. Read with a projection: the API parses and sends a
 * fraction of the bytes (measured: half the server's CPU time for a page of 50 rows).
 */
export const MeetingSummarySchema = MeetingRecordSchema.pick({
  id: true,
  cellId: true,
  orgPath: true,
  month: true,
  version: true,
  createdAt: true,
  updatedAt: true,
  engine: true,
  reviewState: true,
}).extend({
  document: z.object({
    meeting: ExtractionDocumentSchema.shape.meeting.pick({ cellName: true, kind: true, meetingDate: true }),
    flags: ExtractionDocumentSchema.shape.flags,
    review: ExtractionDocumentSchema.shape.review,
  }),
});
export type MeetingSummary = z.infer<typeof MeetingSummarySchema>;
const SUMMARY_PROJECTION = {
  expression: "id, cellId, orgPath, #month, version, createdAt, updatedAt, engine, reviewState, #doc.#meeting.cellName, #doc.#meeting.#kind, #doc.#meeting.meetingDate, #doc.flags, #doc.review",
  names: { "#month": "month", "#doc": "document", "#meeting": "meeting", "#kind": "kind" },
};

export class DynamoStore {
  private readonly doc: DynamoDBDocumentClient;
  /** counts per flag code by "orgPath|month": the dashboard asks for them on every first page */
  private readonly counts = new ReadThrough<Record<string, number>>(COUNTS_MAX_AGE_MS);
  private readonly orgs = new ReadThrough<Org | null>(ORGS_MAX_AGE_MS, 10_000);
  private readonly subtrees = new ReadThrough<Org[]>(ORGS_MAX_AGE_MS, 100);

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  }

  // ---- organisations -------------------------------------------------------------------

  async putOrg(org: Org): Promise<void> {
    const o = OrgSchema.parse(org);
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.org(o.id), GSI1PK: keys.children(o.parentId), GSI1SK: `${o.name}#${o.id}`, type: "org", ...o },
      }),
    );
    this.orgs.forget();
    this.subtrees.forget();
  }

  async getOrg(id: string): Promise<Org | null> {
    return this.orgs.get(id, async () => {
      const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.org(id) }));
      return res.Item ? OrgSchema.parse(res.Item) : null;
    });
  }

  async listChildren(parentId: string | null): Promise<Org[]> {
    const out: Org[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: "GSI1",
          KeyConditionExpression: "GSI1PK = :pk",
          ExpressionAttributeValues: { ":pk": keys.children(parentId) },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of res.Items ?? []) out.push(OrgSchema.parse(item));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /** The whole subtree below an organisation, depth first (small: a committee's own tree). */
  /**
   * Every organisation below `rootId` (every one, from the roots, for null), depth first in child
   * order. Read level by level with several children queries in flight — a province has hundreds of
   * committees — and reused like single organisations (every page of the dashboard needs it).
   */
  async listSubtree(rootId: string | null): Promise<Org[]> {
    return [...(await this.subtrees.get(rootId ?? "", () => this.readSubtree(rootId)))];
  }

  private async readSubtree(rootId: string | null): Promise<Org[]> {
    const children = new Map<string | null, Org[]>();
    let level: (string | null)[] = [rootId];
    while (level.length > 0) {
      const found = await mapLimit(level, 8, async (id) => [id, await this.listChildren(id)] as const);
      for (const [id, list] of found) children.set(id, list);
      level = found.flatMap(([, list]) => list.filter((o) => o.kind === "committee").map((o) => o.id));
    }
    const out: Org[] = [];
    const walk = (id: string | null) => {
      for (const child of children.get(id) ?? []) {
        out.push(child);
        walk(child.id);
      }
    };
    walk(rootId);
    return out;
  }

  async putMember(member: Member): Promise<void> {
    const m = MemberSchema.parse(member);
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.member(m.cellId, m.id), type: "member", ...m } }));
  }

  /** The members of a cell: Query PK=ORG#cell, begins_with(SK, "MEMBER#"). */
  async listMembers(cellId: string): Promise<Member[]> {
    const out: Member[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "PK = :pk AND begins_with(SK, :m)",
          ExpressionAttributeValues: { ":pk": keys.org(cellId).PK, ":m": "MEMBER#" },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of res.Items ?? []) out.push(MemberSchema.parse(item));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }

  // ---- uploads (AWS direct-upload path) ------------------------------------------------------

  async putUploadState(uploadId: string, state: Omit<UploadState, "uploadId" | "updatedAt">): Promise<void> {
    const item = UploadStateSchema.parse({ ...state, uploadId, updatedAt: new Date().toISOString() });
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.upload(uploadId), type: "upload", ...item } }));
  }

  async getUploadState(uploadId: string): Promise<UploadState | null> {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.upload(uploadId) }));
    return res.Item ? UploadStateSchema.parse(res.Item) : null;
  }

  // ---- meetings ------------------------------------------------------------------------

  async getMeetingIdByHash(hash: string): Promise<string | null> {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.ingest(hash) }));
    const parsed = z.object({ meetingId: z.string() }).safeParse(res.Item);
    return parsed.success ? parsed.data.meetingId : null;
  }

  /**
   * Writes a new meeting and its ingest key in one transaction: either both exist or neither.
   * The same upload racing itself: exactly one wins, the other gets DuplicateUploadError.
   */
  async createMeeting(record: MeetingRecord, audit: readonly AuditEntry[] = []): Promise<void> {
    const r = MeetingRecordSchema.parse(record);
    this.forgetCounts(r.month);
    // The same upload racing itself (S3 delivers events at least once): DynamoDB cancels the
    // loser with TransactionConflict while the winner is in flight; look again shortly after.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.putNewMeeting(r, audit);
        return;
      } catch (err) {
        if (!(err instanceof TransactionCanceledException || err instanceof ConditionalCheckFailedException)) throw err;
        const existing = await this.getMeetingIdByHash(r.contentHash);
        if (existing) throw new DuplicateUploadError(existing);
        const conflict = err instanceof TransactionCanceledException && (err.CancellationReasons ?? []).some((c) => c.Code === "TransactionConflict");
        if (!conflict || attempt >= 4) throw err;
        await new Promise((res) => setTimeout(res, 50 * 2 ** attempt));
      }
    }
  }

  private async putNewMeeting(r: MeetingRecord, audit: readonly AuditEntry[]): Promise<void> {
    {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.ingest(r.contentHash), type: "ingest", meetingId: r.id },
                ConditionExpression: "attribute_not_exists(PK)",
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: meetingItem(r),
                ConditionExpression: "attribute_not_exists(PK)",
              },
            },
            ...audit.map((a) => ({ Put: { TableName: this.tableName, Item: this.auditItem(a) } })),
          ],
        }),
      );
    }
  }

  async getMeeting(id: string): Promise<MeetingRecord | null> {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.meeting(id), ConsistentRead: true }));
    return res.Item ? MeetingRecordSchema.parse(res.Item) : null;
  }

  /**
   * Replaces a meeting if, and only if, the stored version is `expectedVersion`; its audit entries
   * go in the same transaction, so a change is never stored without its trail or the reverse.
   */
  async updateMeeting(next: MeetingRecord, expectedVersion: number, audit: readonly AuditEntry[]): Promise<void> {
    const r = MeetingRecordSchema.parse(next);
    if (r.version !== expectedVersion + 1) throw new Error("updateMeeting: next.version must be expectedVersion + 1");
    // a corrected date can move the meeting to another month: forget every cached count
    this.counts.forget();
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: meetingItem(r),
                ConditionExpression: "attribute_exists(PK) AND version = :v",
                ExpressionAttributeValues: { ":v": expectedVersion },
              },
            },
            ...audit.map((a) => ({ Put: { TableName: this.tableName, Item: this.auditItem(a), ConditionExpression: "attribute_not_exists(PK)" } })),
          ],
        }),
      );
    } catch (err) {
      if (err instanceof TransactionCanceledException || err instanceof ConditionalCheckFailedException) throw new VersionConflictError();
      throw err;
    }
  }

  private auditItem(a: AuditEntry): Record<string, unknown> {
    const e = AuditEntrySchema.parse(a);
    return { ...keys.audit(e.meetingId, e.at, e.seq), type: "audit", ...e };
  }

  /**
   * Flag codes counted over a whole filter (not one page): reads the subtree's flagged meetings of
   * the month from GSI3, which projects nothing but `flagCodes`.
   */
  async countFlagCodes(orgPath: string, month: string): Promise<Record<string, number>> {
    return { ...(await this.counts.get(`${orgPath}|${month}`, () => this.readFlagCodes(orgPath, month))) };
  }

  private async readFlagCodes(orgPath: string, month: string): Promise<Record<string, number>> {
    const root = orgPath.split("/")[0] ?? orgPath;
    const counts: Record<string, number> = {};
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: "GSI3",
          KeyConditionExpression: "GSI2PK = :pk AND begins_with(GSI2SK, :prefix)",
          ExpressionAttributeValues: { ":pk": keys.treeMonth(root, month), ":prefix": `${orgPath}/` },
          ProjectionExpression: "flagCodes",
          // pages of bounded item count (DynamoDB Local is ~9× slower filling 1 MB pages)
          Limit: 500,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of res.Items ?? []) {
        const codes = z.array(z.string()).safeParse(item.flagCodes);
        if (codes.success) for (const code of codes.data) counts[code] = (counts[code] ?? 0) + 1;
      }
      start = res.LastEvaluatedKey;
    } while (start);
    return counts;
  }

  /** A meeting of `month` was written: counts of that month may have changed. */
  private forgetCounts(...months: string[]): void {
    this.counts.forget((key) => months.some((m) => key.endsWith(`|${m}`)));
  }

  /** The audit trail of a meeting, oldest first. */
  async listAudit(meetingId: string): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "PK = :pk AND begins_with(SK, :a)",
          ExpressionAttributeValues: { ":pk": keys.meeting(meetingId).PK, ":a": "AUDIT#" },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of res.Items ?? []) out.push(AuditEntrySchema.parse(item));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /** Every meeting of one cell in a calendar year (12 month ranges of GSI1), by date. */
  async listCellYear(cellPath: string, year: number): Promise<MeetingRecord[]> {
    const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, "0")}`);
    const pages = await Promise.all(
      months.map(async (month) => {
        const out: MeetingRecord[] = [];
        let cursor: string | undefined;
        do {
          const page = await this.listMeetings({ orgPath: cellPath, month, limit: 200, cursor });
          out.push(...page.items);
          cursor = page.cursor ?? undefined;
        } while (cursor);
        return out;
      }),
    );
    return pages.flat();
  }

  /** Meetings of a subtree (or a cell) in a month; flagged only through the sparse GSI2. */
  async listMeetings(q: ListMeetingsQuery): Promise<Page<MeetingRecord>> {
    return this.queryMeetings(q, MeetingRecordSchema);
  }

  /** listMeetings, each meeting read as its summary (the rows of a list). */
  async listMeetingSummaries(q: ListMeetingsQuery): Promise<Page<MeetingSummary>> {
    return this.queryMeetings(q, MeetingSummarySchema, SUMMARY_PROJECTION);
  }

  private async queryMeetings<T>(
    q: ListMeetingsQuery,
    schema: z.ZodType<T>,
    projection?: { expression: string; names: Record<string, string> },
  ): Promise<Page<T>> {
    const root = q.orgPath.split("/")[0] ?? q.orgPath;
    const index = q.flaggedOnly ? "GSI2" : "GSI1";
    const pk = keys.treeMonth(root, q.month);
    const filters: string[] = [];
    const values: Record<string, unknown> = { ":pk": pk, ":prefix": `${q.orgPath}/` };
    if (q.code) {
      filters.push("contains(flagCodes, :code)");
      values[":code"] = q.code;
    }
    if (q.needsReview !== undefined) {
      filters.push("needsReview = :nr");
      values[":nr"] = q.needsReview;
    }
    const names: Record<string, string> = { ...projection?.names };
    if (q.kind) {
      filters.push("#doc.#meeting.#kind = :kind");
      Object.assign(names, { "#doc": "document", "#meeting": "meeting", "#kind": "kind" });
      values[":kind"] = q.kind;
    }
    const input: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: index,
      KeyConditionExpression: `${index}PK = :pk AND begins_with(${index}SK, :prefix)`,
      ExpressionAttributeValues: values,
      FilterExpression: filters.length ? filters.join(" AND ") : undefined,
      ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
      ExclusiveStartKey: decodeCursor(q.cursor, index, pk, `${q.orgPath}/`),
      ScanIndexForward: !q.descending,
      ProjectionExpression: projection?.expression,
    };
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 200);
    const items: T[] = [];
    let last: Record<string, unknown> | undefined;
    // A filter may leave a page short: keep reading until the page is full or the range ends.
    do {
      const res = await this.doc.send(new QueryCommand({ ...input, Limit: limit - items.length }));
      for (const item of res.Items ?? []) items.push(schema.parse(item));
      last = res.LastEvaluatedKey;
      input.ExclusiveStartKey = last;
    } while (last && items.length < limit);
    return { items, cursor: last ? encodeCursor(last) : null };
  }
}

/**
 * A meeting as stored: its own key, the tree-and-month index (GSI1) and, when flagged, the flagged
 * index (GSI2), the flag codes and review state for filters, and the record. Exported for bulk
 * loaders (the report benchmark), so that they store exactly what the store does.
 */
export function meetingItem(r: MeetingRecord): Record<string, unknown> {
  const root = r.orgPath.split("/")[0] ?? r.cellId;
  const date = r.document.meeting.meetingDate ?? `${r.month}-00`;
  const tree = { PK: keys.treeMonth(root, r.month), SK: keys.treeSort(r.orgPath, date, r.id) };
  const flagged = r.document.flags.length > 0;
  return {
    ...keys.meeting(r.id),
    type: "meeting",
    GSI1PK: tree.PK,
    GSI1SK: tree.SK,
    ...(flagged ? { GSI2PK: tree.PK, GSI2SK: tree.SK } : {}),
    flagCodes: [...new Set(r.document.flags.map((f) => f.code))],
    needsReview: r.document.review.needed,
    ...r,
  };
}

// Opaque cursors: base64url JSON of DynamoDB's LastEvaluatedKey, checked against the query's own
// partition so that a cursor cannot be used to read another organisation's range.
function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

function decodeCursor(cursor: string | undefined, index: string, pk: string, sortPrefix: string): Record<string, string> | undefined {
  if (!cursor) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parsed = null;
  }
  // exactly the keys DynamoDB gave for this index, inside this query's own range
  const key = z
    .object({ PK: z.string().startsWith("MEETING#"), SK: z.literal("META"), [`${index}PK`]: z.literal(pk), [`${index}SK`]: z.string().startsWith(sortPrefix) })
    .strict()
    .safeParse(parsed);
  if (!key.success) {
    throw new InvalidInputError("BAD_CURSOR", "Con trỏ phân trang không hợp lệ.", "Invalid pagination cursor.");
  }
  return key.data as Record<string, string>;
}
