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
import * as z from "zod";
import { BienbanError, InvalidInputError, NotFoundError } from "../errors.ts";
import { log } from "../log.ts";
import type { BlobStore } from "../store/blobs.ts";
import type { DynamoStore } from "../store/dynamo-store.ts";
import { OrgIdSchema } from "../store/records.ts";
import { documentFromOcr } from "../extraction/extract.ts";
import type { OcrPage } from "../extraction/ocr-page.ts";
import { pdfToImages } from "../extraction/pdf.ts";
import { cellOf, describePages, ingestMeeting, knownOfCell, persistMeeting, type IngestDeps } from "./ingest.ts";

/** Textract's asynchronous analysis of PDFs in AWS (StartDocumentAnalysis → SNS → GetDocumentAnalysis). */
export interface PdfAnalysis {
  start(key: string, uploadId: string): Promise<string>;
  pages(jobId: string): Promise<OcrPage[]>;
}

export type ProcessDeps = IngestDeps & { store: DynamoStore; pdf?: PdfAnalysis };

/**
 * What the cloud readers take without converting (the Lambdas carry no image library): JPEG and
 * PNG for both Textract and Bedrock; a PDF (or multi-page scan) goes alone, as the only "page" of
 * its manifest, to Textract's asynchronous API. Phones' cameras and browsers send JPEG.
 */
export const PAGE_CONTENT_TYPES = ["image/jpeg", "image/png", "application/pdf"] as const;

export const UploadRequestSchema = z.object({
  cellId: OrgIdSchema,
  pages: z
    .array(z.object({ contentType: z.enum(PAGE_CONTENT_TYPES), bytes: z.number().int().min(1) }))
    .min(1)
    .refine((pages) => pages.length === 1 || pages.every((p) => p.contentType !== "application/pdf"), { message: "a PDF is uploaded alone" }),
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
  | { state: "analysing"; jobId: string }
  | { state: "done"; meetingId: string; created: boolean };

/** A permanent problem with an upload: retrying cannot help, so it is recorded, not retried. */
export class PoisonUploadError extends BienbanError {}

/**
 * Handles one "object created" key. Returns what happened; throws for a transient failure (the
 * message is retried, then dead-lettered) and records permanent failures on the upload.
 */
export async function processUploadedObject(deps: ProcessDeps, key: string): Promise<UploadOutcome> {
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
    const pdf = pages.length === 1 && manifest.pages[0]?.contentType === "application/pdf" ? pages[0] : undefined;
    if (pdf && deps.pdf) {
      // AWS: a PDF goes to Textract's asynchronous analysis; the SNS completion finishes the ingest
      const { contentHash } = describePages(manifest.cellId, [pdf], { allowPdf: true });
      const before = await deps.store.getMeetingIdByHash(contentHash);
      if (before) {
        await deps.store.putUploadState(manifest.uploadId, { cellId: manifest.cellId, status: "done", meetingId: before });
        return { state: "done", meetingId: before, created: false };
      }
      const jobId = await deps.pdf.start(manifest.pages[0]?.key ?? "", manifest.uploadId);
      await deps.store.putUploadState(manifest.uploadId, { cellId: manifest.cellId, status: "analysing", jobId });
      return { state: "analysing", jobId };
    }
    // locally a PDF becomes page images (pdftoppm) and takes the image path
    const images = pdf ? (await pdfToImages(pdf.bytes)).map((bytes) => ({ bytes })) : pages;
    const { record, created } = await ingestMeeting(deps, { cellId: manifest.cellId, pages: images, actor: manifest.actor });
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

/**
 * Textract finished a PDF's analysis (SNS notification): read its pages, parse, store the meeting.
 * A failed job is recorded on the upload and not retried (Textract said no).
 */
export async function completePdfAnalysis(
  deps: Omit<ProcessDeps, "extractor"> & { pdf: PdfAnalysis },
  note: { jobId: string; status: string; uploadId: string },
): Promise<UploadOutcome> {
  const state = await deps.store.getUploadState(note.uploadId);
  if (!state || state.jobId !== note.jobId) return { state: "ignored", reason: "unknown job" };
  if (state.status === "done" && state.meetingId) return { state: "done", meetingId: state.meetingId, created: false };
  if (note.status !== "SUCCEEDED") {
    await deps.store.putUploadState(note.uploadId, { cellId: state.cellId, status: "failed", code: `TEXTRACT_${note.status}`, jobId: note.jobId });
    log("error", "textract.failed", { uploadId: note.uploadId, status: note.status });
    return { state: "ignored", reason: note.status };
  }
  const manifestBlob = await deps.blobs.get(`uploads/${state.cellId}/${note.uploadId}/manifest.json`);
  const manifest = manifestBlob ? ManifestSchema.safeParse(JSON.parse(manifestBlob.bytes.toString("utf8"))) : null;
  const page = manifest?.success ? manifest.data.pages[0] : undefined;
  const pdf = page ? await deps.blobs.get(page.key) : null;
  if (!manifest?.success || !pdf) {
    await deps.store.putUploadState(note.uploadId, { cellId: state.cellId, status: "failed", code: "UPLOAD_GONE", jobId: note.jobId });
    return { state: "ignored", reason: "upload gone" };
  }
  const cell = await cellOf(deps.store, state.cellId);
  const ocr = await deps.pdf.pages(note.jobId);
  const document = await documentFromOcr(ocr, { ruleSet: deps.ruleSet, ...(await knownOfCell(deps.store, cell)) });
  const { pages, contentHash } = describePages(cell.id, [{ bytes: pdf.bytes }], { allowPdf: true });
  const { record, created } = await persistMeeting(deps, {
    cell,
    pages,
    bytes: [pdf.bytes],
    contentHash,
    document,
    engine: "textract-async",
    actor: manifest.data.actor,
    cost: { textractPages: ocr.length, inputTokens: 0, outputTokens: 0, usd: 0 },
  });
  await deps.store.putUploadState(note.uploadId, { cellId: cell.id, status: "done", meetingId: record.id, jobId: note.jobId });
  return { state: "done", meetingId: record.id, created };
}

/** The state of an upload, for the person who made it (or their inspectors). */
export async function uploadState(store: DynamoStore, uploadId: string) {
  const state = await store.getUploadState(uploadId);
  if (!state) throw new NotFoundError({ vi: "lượt tải lên", en: "Upload" });
  return state;
}
