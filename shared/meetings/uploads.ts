/**
 * Direct uploads (AWS): the API only signs. A secretary's phone asks for an upload of N pages
 * (each with its content type and size), gets one presigned PUT per page that pins both, and a
 * manifest is written beside them. Every object created under the upload's prefix emits an S3
 * event (→ SQS → the ingest Lambda), which ingests the meeting once all pages named in the
 * manifest are there. Ingest is idempotent (content hash), so two "last page" events racing each
 * other still give one meeting.
 *
 *   uploads/<cellId>/<uploadId>/manifest.json
 *   uploads/<cellId>/<uploadId>/page-<n>
 *
 * The upload's state (waiting → done with the meeting id, or failed with a reason code) is kept
 * in DynamoDB (UPLOAD#<id>) so that a poison upload is visible to people, not only in the DLQ.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { BienbanError, InvalidInputError, NotFoundError } from "../errors.ts";
import { log } from "../log.ts";
import type { BlobStore } from "../store/blobs.ts";
import type { DynamoStore } from "../store/dynamo-store.ts";
import { OrgIdSchema } from "../store/records.ts";
import { ingestMeeting, type IngestDeps } from "./ingest.ts";

export const PAGE_CONTENT_TYPES = ["image/jpeg", "image/png", "image/webp", "image/tiff"] as const;

export const UploadRequestSchema = z.object({
  cellId: OrgIdSchema,
  pages: z
    .array(z.object({ contentType: z.enum(PAGE_CONTENT_TYPES), bytes: z.number().int().min(1) }))
    .min(1),
});
export type UploadRequest = z.infer<typeof UploadRequestSchema>;

export const ManifestSchema = z.object({
  uploadId: z.string().uuid(),
  cellId: OrgIdSchema,
  actor: z.string(),
  createdAt: z.string(),
  pages: z.array(z.object({ n: z.number().int().min(1), key: z.string(), contentType: z.enum(PAGE_CONTENT_TYPES), bytes: z.number().int().min(1) })),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** Signs one PUT of exactly this content type and size (S3 presigner in AWS). */
export interface UploadSigner {
  signPut(key: string, contentType: string, bytes: number, expiresInSeconds: number): Promise<string>;
}

const KEY_RE = /^uploads\/([a-z0-9][a-z0-9-]{0,62})\/([0-9a-f-]{36})\/(manifest\.json|page-(\d{1,3}))$/;

export function parseUploadKey(key: string): { cellId: string; uploadId: string; page: number | null } | null {
  const m = KEY_RE.exec(key);
  if (!m) return null;
  return { cellId: m[1] ?? "", uploadId: m[2] ?? "", page: m[4] ? Number(m[4]) : null };
}

export async function createUpload(
  deps: { blobs: BlobStore; signer: UploadSigner; limits: { maxUploadBytes: number; maxPages: number } },
  request: UploadRequest,
  actor: string,
  now = new Date(),
): Promise<{ uploadId: string; expiresAt: string; pages: { n: number; url: string; method: "PUT"; headers: Record<string, string> }[] }> {
  if (request.pages.length > deps.limits.maxPages) {
    throw new InvalidInputError("TOO_MANY_PAGES", `Tối đa ${deps.limits.maxPages} trang cho một cuộc họp.`, `At most ${deps.limits.maxPages} pages per meeting.`, 413);
  }
  if (request.pages.some((p) => p.bytes > deps.limits.maxUploadBytes)) {
    throw new InvalidInputError("PAYLOAD_TOO_LARGE", "Một trang vượt quá dung lượng cho phép.", "A page exceeds the size limit.", 413);
  }
  const uploadId = randomUUID();
  const prefix = `uploads/${request.cellId}/${uploadId}`;
  const manifest: Manifest = {
    uploadId,
    cellId: request.cellId,
    actor,
    createdAt: now.toISOString(),
    pages: request.pages.map((p, i) => ({ n: i + 1, key: `${prefix}/page-${i + 1}`, contentType: p.contentType, bytes: p.bytes })),
  };
  const expiresIn = 15 * 60;
  const pages = await Promise.all(
    manifest.pages.map(async (p) => ({
      n: p.n,
      method: "PUT" as const,
      url: await deps.signer.signPut(p.key, p.contentType, p.bytes, expiresIn),
      headers: { "content-type": p.contentType },
    })),
  );
  await deps.blobs.put(`${prefix}/manifest.json`, Buffer.from(JSON.stringify(manifest)), "application/json");
  return { uploadId, expiresAt: new Date(now.getTime() + expiresIn * 1000).toISOString(), pages };
}

export type UploadOutcome =
  | { state: "ignored"; reason: string }
  | { state: "waiting"; missing: number }
  | { state: "done"; meetingId: string; created: boolean };

/** A permanent problem with an upload: retrying cannot help, so it is recorded, not retried. */
export class PoisonUploadError extends BienbanError {}

/**
 * Handles one "object created" key. Returns what happened; throws for a transient failure (the
 * message is retried, then dead-lettered) and records permanent failures on the upload.
 */
export async function processUploadedObject(deps: IngestDeps & { store: DynamoStore }, key: string): Promise<UploadOutcome> {
  const parsed = parseUploadKey(key);
  if (!parsed) return { state: "ignored", reason: "not an upload key" };
  const manifestBlob = await deps.blobs.get(`uploads/${parsed.cellId}/${parsed.uploadId}/manifest.json`);
  if (!manifestBlob) return { state: "ignored", reason: "no manifest" };
  let manifest: Manifest;
  try {
    manifest = ManifestSchema.parse(JSON.parse(manifestBlob.bytes.toString("utf8")));
  } catch {
    await deps.store.putUploadState(parsed.uploadId, { cellId: parsed.cellId, status: "failed", code: "BAD_MANIFEST" });
    return { state: "ignored", reason: "bad manifest" };
  }
  const sizes = await Promise.all(manifest.pages.map((p) => deps.blobs.size(p.key)));
  const missing = sizes.filter((s) => s === null).length;
  if (missing > 0) return { state: "waiting", missing };
  // the presigned PUT pins the size, but check: a wrong size means a wrong object
  if (sizes.some((s, i) => s !== manifest.pages[i]?.bytes)) {
    await deps.store.putUploadState(manifest.uploadId, { cellId: manifest.cellId, status: "failed", code: "SIZE_MISMATCH" });
    return { state: "ignored", reason: "size mismatch" };
  }
  const pages = [];
  for (const p of manifest.pages) {
    const blob = await deps.blobs.get(p.key);
    if (!blob) return { state: "waiting", missing: 1 };
    pages.push({ bytes: blob.bytes });
  }
  try {
    const { record, created } = await ingestMeeting(deps, { cellId: manifest.cellId, pages, actor: manifest.actor });
    await deps.store.putUploadState(manifest.uploadId, { cellId: manifest.cellId, status: "done", meetingId: record.id });
    return { state: "done", meetingId: record.id, created };
  } catch (err) {
    // bad input (not an image, unknown cell, too many pixels) will never get better
    if (err instanceof BienbanError && err.status < 500) {
      await deps.store.putUploadState(manifest.uploadId, { cellId: manifest.cellId, status: "failed", code: err.code });
      log("warn", "upload.rejected", { uploadId: manifest.uploadId, code: err.code });
      return { state: "ignored", reason: err.code };
    }
    throw err;
  }
}

/** The state of an upload, for the person who made it (or their inspectors). */
export async function uploadState(store: DynamoStore, uploadId: string) {
  const state = await store.getUploadState(uploadId);
  if (!state) throw new NotFoundError({ vi: "lượt tải lên", en: "Upload" });
  return state;
}
