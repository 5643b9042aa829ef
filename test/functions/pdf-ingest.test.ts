/**
 * PDFs: in AWS an uploaded PDF starts Textract's asynchronous analysis (StartDocumentAnalysis with
 * an SNS channel), and the textract-complete Lambda, invoked with a real SNS event shape, reads the
 * pages (GetDocumentAnalysis, paginated; recorded responses) and stores the meeting. Locally the
 * same upload is turned into page images with pdftoppm. Real Textract client, transport mocked.
 */
import { GetDocumentAnalysisCommand, StartDocumentAnalysisCommand, TextractClient } from "@aws-sdk/client-textract";
import type { SNSEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { readFileSync } from "node:fs";
import PDFDocument from "pdfkit";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ocrExtractor } from "../../shared/extraction/extractor.ts";
import { TextractEngine } from "../../shared/extraction/textract.ts";
import { createIngestHandler, createTextractCompleteHandler } from "../../shared/meetings/ingest-events.ts";
import { createUpload, type PdfAnalysis } from "../../shared/meetings/uploads.ts";
import { seedExampleTree } from "../../shared/orgs/seed.ts";
import type { BlobStore } from "../../shared/store/blobs.ts";
import type { DynamoStore } from "../../shared/store/dynamo-store.ts";
import { freshStore } from "../helpers/dynamo.ts";
import { minutesText, RecordedEngine } from "../helpers/recorded-engine.ts";
import { s3Message } from "../helpers/events.ts";

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/textract/${name}`, import.meta.url), "utf8"));

async function smallPdf(pages: number): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", autoFirstPage: false });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((r) => doc.on("end", () => r(Buffer.concat(chunks))));
  for (let i = 0; i < pages; i++) doc.addPage().fontSize(14).text(`Trang ${i + 1}`, 72, 72);
  doc.end();
  return done;
}

/** The notification Textract publishes to the job's SNS topic, as SNS delivers it to Lambda. */
function snsEvent(message: object): SNSEvent {
  return {
    Records: [
      {
        EventSource: "aws:sns",
        EventVersion: "1.0",
        EventSubscriptionArn: "arn:aws:sns:ap-southeast-1:123456789012:bienban-textract:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55",
        Sns: {
          Type: "Notification",
          MessageId: "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
          TopicArn: "arn:aws:sns:ap-southeast-1:123456789012:bienban-textract",
          Subject: null as unknown as string,
          Message: JSON.stringify(message),
          Timestamp: "2026-11-03T07:20:11.000Z",
          SignatureVersion: "1",
          Signature: "EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=",
          SigningCertUrl: "https://sns.ap-southeast-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem",
          UnsubscribeUrl: "https://sns.ap-southeast-1.amazonaws.com/?Action=Unsubscribe",
          MessageAttributes: {},
        },
      },
    ],
  };
}

const textractMock = mockClient(TextractClient);
const signer = { signPut: async (key: string) => `https://example.invalid/${key}` };
const limits = { maxUploadBytes: 10_000_000, maxPages: 10 };

describe("PDF uploads", () => {
  let store: DynamoStore;
  let blobs: BlobStore;
  let pdf: PdfAnalysis;

  beforeAll(async () => {
    ({ store, blobs } = await freshStore());
    await seedExampleTree(store);
    const engine = new TextractEngine({ client: new TextractClient({ region: "ap-southeast-1", credentials: { accessKeyId: "x", secretAccessKey: "y" }, maxAttempts: 1 }), s3: { bucket: "bienban-pages" }, sleep: async () => {} });
    pdf = {
      start: (key, uploadId) => engine.startAnalysis({ bucket: "bienban-pages", key }, "arn:aws:sns:ap-southeast-1:123456789012:bienban-textract", "arn:aws:iam::123456789012:role/textract-sns", uploadId),
      pages: (jobId) => engine.getAnalysisPages(jobId),
    };
  });
  beforeEach(() => textractMock.reset());

  async function uploadPdf(cellId: string, bytes: Buffer) {
    const { uploadId } = await createUpload({ blobs, signer, limits }, { cellId, pages: [{ contentType: "application/pdf", bytes: bytes.length }] }, "thu-ky");
    const key = `uploads/${cellId}/${uploadId}/page-1`;
    await blobs.put(key, bytes, "application/pdf");
    return { uploadId, key };
  }

  it("AWS: starts an asynchronous analysis, and the SNS completion stores the meeting", async () => {
    textractMock.on(StartDocumentAnalysisCommand).resolves({ JobId: "job-123" });
    textractMock
      .on(GetDocumentAnalysisCommand, { JobId: "job-123" })
      .resolvesOnce(fixture("get-document-analysis.succeeded.1.json") as never)
      .resolvesOnce(fixture("get-document-analysis.succeeded.2.json") as never);
    const bytes = await smallPdf(2);
    const { uploadId, key } = await uploadPdf("cb-dong-hoa", bytes);
    const ingest = createIngestHandler({ store, blobs, extractor: ocrExtractor(new RecordedEngine()), pdf });
    expect((await ingest({ Records: [s3Message(key, bytes.length)] })).batchItemFailures).toEqual([]);

    const start = textractMock.commandCalls(StartDocumentAnalysisCommand)[0]?.args[0].input;
    expect(start?.DocumentLocation?.S3Object).toEqual({ Bucket: "bienban-pages", Name: key });
    expect(start?.JobTag).toBe(uploadId);
    expect(start?.ClientRequestToken).toBe(uploadId);
    expect(start?.NotificationChannel?.SNSTopicArn).toContain("bienban-textract");
    expect(await store.getUploadState(uploadId)).toMatchObject({ status: "analysing", jobId: "job-123" });

    const complete = createTextractCompleteHandler({ store, blobs, pdf });
    const note = { JobId: "job-123", Status: "SUCCEEDED", API: "StartDocumentAnalysis", JobTag: uploadId, Timestamp: 1762154411000, DocumentLocation: { S3ObjectName: key, S3Bucket: "bienban-pages" } };
    await complete(snsEvent(note));
    const state = await store.getUploadState(uploadId);
    expect(state?.status).toBe("done");
    const meeting = await store.getMeeting(state?.meetingId ?? "");
    expect(meeting?.engine).toBe("textract-async");
    expect(meeting?.pages).toEqual([expect.objectContaining({ contentType: "application/pdf", bytes: bytes.length })]);
    expect(meeting?.cost?.textractPages).toBe(2);
    expect(meeting?.document.meeting.meetingDate).toBe("2026-11-03");
    expect(meeting?.document.meeting.endTime).toBe("15:45");

    // SNS delivers at least once: the same notification again changes nothing
    await complete(snsEvent(note));
    expect((await store.listMeetings({ orgPath: meeting?.orgPath ?? "", month: "2026-11" })).items.filter((m) => m.engine === "textract-async")).toHaveLength(1);
  });

  it("AWS: a failed job is recorded on the upload and stores no meeting", async () => {
    textractMock.on(StartDocumentAnalysisCommand).resolves({ JobId: "job-fail" });
    const bytes = await smallPdf(1);
    const { uploadId, key } = await uploadPdf("cb-tay-hoa", bytes);
    await createIngestHandler({ store, blobs, extractor: ocrExtractor(new RecordedEngine()), pdf })({ Records: [s3Message(key, bytes.length)] });
    await createTextractCompleteHandler({ store, blobs, pdf })(snsEvent({ JobId: "job-fail", Status: "FAILED", API: "StartDocumentAnalysis", JobTag: uploadId }));
    expect(await store.getUploadState(uploadId)).toMatchObject({ status: "failed", code: "TEXTRACT_FAILED" });
    expect(textractMock.commandCalls(GetDocumentAnalysisCommand)).toHaveLength(0);
  });

  it("ignores notifications for unknown jobs and malformed messages", async () => {
    const complete = createTextractCompleteHandler({ store, blobs, pdf });
    await complete(snsEvent({ JobId: "nope", Status: "SUCCEEDED", JobTag: "5f0c7a3e-4a41-4f39-9c1e-2a2f0b9b7a11" }));
    const bad = snsEvent({});
    if (bad.Records[0]) bad.Records[0].Sns.Message = "{not json";
    await complete(bad);
    expect(textractMock.commandCalls(GetDocumentAnalysisCommand)).toHaveLength(0);
  });

  it("locally: a PDF becomes page images (pdftoppm) and takes the image path", async () => {
    const bytes = await smallPdf(2);
    const { uploadId, key } = await uploadPdf("cb-an-loc", bytes);
    const engine = new RecordedEngine(minutesText({ date: "2026-11-12", present: 16, total: 18 }));
    await createIngestHandler({ store, blobs, extractor: ocrExtractor(engine) })({ Records: [s3Message(key, bytes.length)] });
    const state = await store.getUploadState(uploadId);
    expect(state?.status).toBe("done");
    expect(engine.calls).toBe(2);
    expect((await store.getMeeting(state?.meetingId ?? ""))?.pages).toHaveLength(2);
  });

  it("refuses a PDF with more pages than a meeting may have", async () => {
    const bytes = await smallPdf(25);
    const { uploadId, key } = await uploadPdf("cb-thcs-an-phu", bytes);
    await createIngestHandler({ store, blobs, extractor: ocrExtractor(new RecordedEngine("x")) })({ Records: [s3Message(key, bytes.length)] });
    expect(await store.getUploadState(uploadId)).toMatchObject({ status: "failed", code: "TOO_MANY_PAGES" });
  });
});
