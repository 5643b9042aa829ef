/**
 * Ingest use case: one meeting's page images for a cell → pages in the blob store, the extracted
 * document and its flags in DynamoDB. Idempotent: the same pages for the same cell give the same
 * meeting (content hash), a different upload for the same cell and month is another meeting.
 *
 * Order of writes, so that nothing is left half-written: pages first under content-addressed keys
 * (re-writing them is harmless), then the meeting and its ingest key in one DynamoDB transaction.
 */
import { createHash, randomUUID } from "node:crypto";
import { InvalidInputError, NotFoundError } from "../errors.ts";
import { extractDocument } from "../extraction/extract.ts";
import { recheck } from "./recheck.ts";
import { historyOf, recomputeLaterMeetings } from "./correct.ts";
import type { OcrEngine } from "../extraction/engine.ts";
import { sniffImageType } from "../extraction/preprocess.ts";
import type { RuleSetId } from "../criteria/index.ts";
import { log } from "../log.ts";
import type { BlobStore } from "../store/blobs.ts";
import { DuplicateUploadError, type DynamoStore } from "../store/dynamo-store.ts";
import type { MeetingRecord, StoredPage } from "../store/records.ts";

export interface IngestDeps {
  store: DynamoStore;
  blobs: BlobStore;
  engine: OcrEngine;
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
};

const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

export async function ingestMeeting(deps: IngestDeps, input: { cellId: string; pages: readonly UploadedPage[]; actor?: string }): Promise<IngestResult> {
  const started = performance.now();
  const cell = await deps.store.getOrg(input.cellId);
  if (!cell || cell.kind !== "cell") throw new NotFoundError({ vi: "chi bộ", en: "Party cell" });
  if (input.pages.length === 0) {
    throw new InvalidInputError("NO_PAGES", "Chưa có trang biên bản nào được gửi.", "No page of the minutes was sent.");
  }

  const pages: StoredPage[] = input.pages.map((p, i) => {
    const type = PAGE_TYPES[sniffImageType(p.bytes) ?? "none"];
    if (!type) {
      throw new InvalidInputError(
        "NOT_AN_IMAGE",
        `Trang ${i + 1} không phải là ảnh (JPEG, PNG, WebP hoặc TIFF).`,
        `Page ${i + 1} is not an image (JPEG, PNG, WebP or TIFF).`,
        415,
      );
    }
    const hash = sha256(p.bytes);
    return { n: i + 1, key: `pages/${input.cellId}/${hash}.${type.ext}`, sha256: hash, bytes: p.bytes.length, contentType: type.mime };
  });
  const contentHash = sha256(`${input.cellId}\n${pages.map((p) => p.sha256).join("\n")}`);

  const existingId = await deps.store.getMeetingIdByHash(contentHash);
  if (existingId) {
    const existing = await deps.store.getMeeting(existingId);
    if (existing) return { record: existing, created: false };
  }

  // the cell's member list restores names that OCR stripped of their diacritics
  const members = (await deps.store.listMembers(cell.id)).map((m) => m.name);
  const extracted = await extractDocument(
    input.pages.map((p) => p.bytes),
    { engine: deps.engine, ruleSet: deps.ruleSet, members },
  );
  const timings = extracted.timings;
  const id = randomUUID();
  // cross-meeting rules need the cell's earlier meetings of the year
  const history = await historyOf(deps.store, { id, orgPath: cell.path }, extracted.document.meeting);
  const document = history.length ? recheck(extracted.document, { ruleSet: deps.ruleSet, history }) : extracted.document;

  for (const [i, p] of pages.entries()) {
    const bytes = input.pages[i]?.bytes;
    if (bytes) await deps.blobs.put(p.key, bytes, p.contentType);
  }

  const now = (deps.now ?? (() => new Date()))();
  const month = document.meeting.meetingDate?.slice(0, 7) ?? now.toISOString().slice(0, 7);
  const record: MeetingRecord = {
    id,
    cellId: cell.id,
    orgPath: cell.path,
    month,
    version: 1,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    contentHash,
    engine: deps.engine.name,
    pages,
    document,
    ...(document.review.needed ? { reviewState: { state: "pending" as const, by: null, at: null } } : {}),
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
  log("info", "meeting.ingested", {
    meetingId: record.id,
    cellId: cell.id,
    pages: pages.length,
    bytes: pages.reduce((s, p) => s + p.bytes, 0),
    flags: document.flags.length,
    review: document.review.fields.length,
    ocrMs: Math.round(timings.ocrMs),
    totalMs: Math.round(performance.now() - started),
  });
  return { record, created: true };
}
