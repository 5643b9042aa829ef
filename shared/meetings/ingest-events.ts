/**
 * The ingest Lambda's logic: SQS (fed by S3 "object created" under uploads/) → ingest. Reports partial batch failures, so one
 * bad page never fails the others; a message that keeps failing goes to the DLQ after the queue's
 * maxReceiveCount, and its upload carries the last reason code.
 */
import type { SNSEvent, SQSBatchResponse, SQSEvent } from "aws-lambda";
import * as z from "zod";
import { BienbanError } from "../errors.ts";
import { log } from "../log.ts";
import { completePdfAnalysis, parseUploadKey, processUploadedObject, type PdfAnalysis, type ProcessDeps } from "./uploads.ts";

const S3EventSchema = z.object({
  Records: z
    .array(z.object({ eventName: z.string(), s3: z.object({ bucket: z.object({ name: z.string() }), object: z.object({ key: z.string(), size: z.number().optional() }) }) }))
    .optional(),
  // S3 sends one "s3:TestEvent" when the notification is created
  Event: z.string().optional(),
});

export function createIngestHandler(deps: ProcessDeps) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failures: { itemIdentifier: string }[] = [];
    for (const message of event.Records) {
      const started = performance.now();
      let parsed: z.infer<typeof S3EventSchema> | null = null;
      try {
        parsed = S3EventSchema.parse(JSON.parse(message.body));
      } catch {
        // not an S3 notification at all: retrying cannot help
        log("warn", "ingest.bad_message", { messageId: message.messageId });
        continue;
      }
      for (const record of parsed.Records ?? []) {
        // keys arrive URL-encoded, with '+' for spaces
        const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, " "));
        try {
          const outcome = await processUploadedObject(deps, key);
          log("info", "ingest.object", { messageId: message.messageId, state: outcome.state, ms: Math.round(performance.now() - started) });
        } catch (err) {
          const code = err instanceof BienbanError ? err.code : err instanceof Error ? err.name : "UNKNOWN";
          log("error", "ingest.failed", { messageId: message.messageId, code, receiveCount: Number(message.attributes.ApproximateReceiveCount) });
          const upload = parseUploadKey(key);
          if (upload) await deps.store.putUploadState(upload.uploadId, { cellId: upload.cellId, status: "retrying", code }).catch(() => undefined);
          failures.push({ itemIdentifier: message.messageId });
          break;
        }
      }
    }
    return { batchItemFailures: failures };
  };
}

/** Textract's completion notification, as published to SNS (the Message is a JSON string). */
const TextractNoteSchema = z.object({
  JobId: z.string().min(1).max(100),
  Status: z.string().max(40),
  API: z.string().optional(),
  JobTag: z.string().uuid(),
  Timestamp: z.number().optional(),
  DocumentLocation: z.object({ S3ObjectName: z.string(), S3Bucket: z.string() }).optional(),
});

/**
 * SNS (Textract finished a PDF) → read its pages and store the meeting. A transient failure throws,
 * so Lambda's asynchronous retries (then the function's failure queue) take over.
 */
export function createTextractCompleteHandler(deps: Omit<ProcessDeps, "extractor"> & { pdf: PdfAnalysis }) {
  return async (event: SNSEvent): Promise<void> => {
    for (const record of event.Records) {
      let note: z.infer<typeof TextractNoteSchema>;
      try {
        note = TextractNoteSchema.parse(JSON.parse(record.Sns.Message));
      } catch {
        log("warn", "textract.bad_notification", { messageId: record.Sns.MessageId });
        continue;
      }
      const started = performance.now();
      const outcome = await completePdfAnalysis(deps, { jobId: note.JobId, status: note.Status, uploadId: note.JobTag });
      log("info", "textract.completed", { uploadId: note.JobTag, status: note.Status, state: outcome.state, ms: Math.round(performance.now() - started) });
    }
  };
}
