/**
 * Ingest use case: one meeting's page images for a cell → pages in the blob store, the extracted
 * document and its flags in DynamoDB. Idempotent: the same pages for the same cell give the same
 * meeting (content hash), a different upload for the same cell and month is another meeting.
 *
 * Order of writes, so that nothing is left half-written: pages first under content-addressed keys
 * (re-writing them is harmless), then the meeting, its ingest key and its first audit entry in one
 * DynamoDB transaction.
 */
import { createHash, randomUUID } from "node:crypto";
import type { RuleSetId } from "../criteria/index.ts";
import { InvalidInputError, NotFoundError } from "../errors.ts";
import type { Extractor } from "../extraction/extractor.ts";
import type { KnownOrganisation } from "../extraction/parser/header.ts";
import { sniffImageType } from "../extraction/preprocess.ts";
import { log } from "../log.ts";
import type { ExtractionDocument } from "../meeting/schema.ts";
import type { BlobStore } from "../store/blobs.ts";
import { DuplicateUploadError, type DynamoStore } from "../store/dynamo-store.ts";
import type { Cost, MeetingRecord, Org, StoredPage } from "../store/records.ts";
import { historyOf, recomputeLaterMeetings } from "./correct.ts";
import { recheck } from "./recheck.ts";

export interface IngestDeps {
  store: DynamoStore;
  blobs: BlobStore;
  extractor: Extractor;
  ruleSet?: RuleSetId;
  now?: () => Date;
}

export interface UploadedPage {
  bytes: Buffer;
}

export interface IngestResult {
  record: MeetingRecord;
  /** false when the same pages had been uploaded before and the stored meeting is returned */
  created: boolean;
}

/** What a stored page may be (by its bytes, never by the name or header the client sent). */
const PAGE_TYPES: Record<string, { ext: string; mime: string } | undefined> = {
  jpeg: { ext: "jpg", mime: "image/jpeg" },
  png: { ext: "png", mime: "image/png" },
  webp: { ext: "webp", mime: "image/webp" },
  tiff: { ext: "tif", mime: "image/tiff" },
  pdf: { ext: "pdf", mime: "application/pdf" },
};

const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

export async function cellOf(store: DynamoStore, cellId: string): Promise<Org> {
  const cell = await store.getOrg(cellId);
  if (!cell || cell.kind !== "cell") throw new NotFoundError({ vi: "chi bộ", en: "Party cell" });
  return cell;
}

/** Describes the pages as they will be stored, refusing anything that is not an image (or a PDF, when allowed). */
export function describePages(cellId: string, pages: readonly UploadedPage[], options: { allowPdf?: boolean } = {}): { pages: StoredPage[]; contentHash: string } {
  if (pages.length === 0) throw new InvalidInputError("NO_PAGES", "Chưa có trang biên bản nào được gửi.", "No page of the minutes was sent.");
  const stored = pages.map((p, i) => {
    const sniffed = sniffImageType(p.bytes);
    const type = sniffed === "pdf" && !options.allowPdf ? undefined : PAGE_TYPES[sniffed ?? "none"];
    if (!type) {
      throw new InvalidInputError(
        "NOT_AN_IMAGE",
        `Trang ${i + 1} không phải là ảnh (JPEG, PNG, WebP hoặc TIFF).`,
        `Page ${i + 1} is not an image (JPEG, PNG, WebP or TIFF).`,
        415,
      );
    }
    const hash = sha256(p.bytes);
    return { n: i + 1, key: `pages/${cellId}/${hash}.${type.ext}`, sha256: hash, bytes: p.bytes.length, contentType: type.mime };
  });
  return { pages: stored, contentHash: sha256(`${cellId}\n${stored.map((p) => p.sha256).join("\n")}`) };
}

async function existing(store: DynamoStore, contentHash: string): Promise<MeetingRecord | null> {
  const id = await store.getMeetingIdByHash(contentHash);
  return id ? store.getMeeting(id) : null;
}

/**
 * What the store knows of a cell that the minutes also write: its member list restores names
 * OCR stripped of their diacritics, its own and its committee's names restore the header's.
 */
export async function knownOfCell(store: DynamoStore, cell: Org): Promise<{ members: string[]; organisation: KnownOrganisation }> {
  const [members, committee] = await Promise.all([store.listMembers(cell.id), cell.parentId ? store.getOrg(cell.parentId) : Promise.resolve(null)]);
  return { members: members.map((m) => m.name), organisation: { cell: cell.name, ...(committee ? { committee: committee.name } : {}) } };
}

export async function ingestMeeting(deps: IngestDeps, input: { cellId: string; pages: readonly UploadedPage[]; actor?: string }): Promise<IngestResult> {
  const started = performance.now();
  const cell = await cellOf(deps.store, input.cellId);
  const { pages, contentHash } = describePages(cell.id, input.pages);
  const before = await existing(deps.store, contentHash);
  if (before) return { record: before, created: false };

  const images = input.pages.map((p) => p.bytes);
  const { document, cost } = await deps.extractor.extract(images, { ruleSet: deps.ruleSet, ...(await knownOfCell(deps.store, cell)) });
  const result = await persistMeeting(deps, { cell, pages, bytes: images, contentHash, document, engine: deps.extractor.name, actor: input.actor, cost });
  log("info", "meeting.ingested", {
    meetingId: result.record.id,
    cellId: cell.id,
    pages: pages.length,
    bytes: pages.reduce((s, p) => s + p.bytes, 0),
    flags: result.record.document.flags.length,
    review: result.record.document.review.fields.length,
    created: result.created,
    totalMs: Math.round(performance.now() - started),
  });
  return result;
}

/**
 * Stores an extracted meeting: pages, then meeting + ingest key + audit entry in one transaction,
 * with the cross-meeting rules applied from the cell's history, and later meetings recomputed.
 */
export async function persistMeeting(
  deps: Omit<IngestDeps, "extractor">,
  input: { cell: Org; pages: StoredPage[]; bytes: readonly Buffer[]; contentHash: string; document: ExtractionDocument; engine: string; actor?: string; cost?: Cost },
): Promise<IngestResult> {
  const id = randomUUID();
  // cross-meeting rules need the cell's earlier meetings of the year
  const history = await historyOf(deps.store, { id, orgPath: input.cell.path }, input.document.meeting);
  const document = history.length ? recheck(input.document, { ruleSet: deps.ruleSet, history }) : input.document;

  for (const [i, p] of input.pages.entries()) {
    const bytes = input.bytes[i];
    if (bytes) await deps.blobs.put(p.key, bytes, p.contentType);
  }

  const now = (deps.now ?? (() => new Date()))();
  const record: MeetingRecord = {
    id,
    cellId: input.cell.id,
    orgPath: input.cell.path,
    month: document.meeting.meetingDate?.slice(0, 7) ?? now.toISOString().slice(0, 7),
    version: 1,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    contentHash: input.contentHash,
    engine: input.engine,
    pages: input.pages,
    document,
    ...(document.review.needed ? { reviewState: { state: "pending" as const, by: null, at: null } } : {}),
    ...(input.cost ? { cost: input.cost } : {}),
  };
  try {
    await deps.store.createMeeting(record, [
      { meetingId: id, at: record.createdAt, seq: 0, actor: input.actor ?? "system", action: "extracted", field: null, reason: null, version: 1 },
    ]);
  } catch (err) {
    if (err instanceof DuplicateUploadError) {
      const winner = await deps.store.getMeeting(err.existingId);
      if (winner) return { record: winner, created: false };
    }
    throw err;
  }
  // an earlier meeting uploaded late changes what the later ones' cross-meeting rules see
  await recomputeLaterMeetings({ store: deps.store, ruleSet: deps.ruleSet }, record);
  return { record, created: true };
}
