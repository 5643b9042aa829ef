/**
 * Faults: the store going away in the middle of an ingest, OCR crashing or hanging, Textract
 * throttling, and many corrections racing each other. In each case the request fails with a clear
 * error, nothing is left half-written, and a retry stores the meeting exactly once.
 */
import { ThrottlingException, AnalyzeDocumentCommand, GetDocumentAnalysisCommand, TextractClient } from "@aws-sdk/client-textract";
import type { SNSEvent, SQSRecord } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { randomBytes, randomUUID } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../shared/api/app.ts";
import { DevTokenAuthenticator } from "../../shared/auth/auth.ts";
import type { OcrEngine, PreparedPage } from "../../shared/extraction/engine.ts";
import { ocrExtractor } from "../../shared/extraction/extractor.ts";
import type { OcrPage } from "../../shared/extraction/ocr-page.ts";
import { TextractEngine } from "../../shared/extraction/textract.ts";
import { TesseractEngine } from "../../shared/extraction/tesseract.ts";
import { startDynamoDbLocal, localClient, type LocalDynamo } from "../../shared/local/dynamodb-local.ts";
import { createIngestHandler, createTextractCompleteHandler } from "../../shared/meetings/ingest-events.ts";
import { OcrError } from "../../shared/errors.ts";
import { pdfWithPages } from "./images.ts";
import { createUpload } from "../../shared/meetings/uploads.ts";
import { seedExampleTree } from "../../shared/orgs/seed.ts";
import { ensureTable } from "../../shared/store/create-table.ts";
import { FsBlobStore } from "../../shared/store/blobs.ts";
import { DynamoStore } from "../../shared/store/dynamo-store.ts";
import { minutesText, RecordedEngine } from "../helpers/recorded-engine.ts";
import { CELL, countFiles, countItems, harness, type ErrorJson } from "./harness.ts";

const TABLE = "bienban-faults";

/** Its own DynamoDB Local with data on disk, so it can be stopped and started again on the same port. */
describe("DynamoDB Local stopped in the middle of an ingest", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "bienban-ddb-"));
  let dynamo: LocalDynamo;
  let port: number;
  let store: DynamoStore;
  let client: ReturnType<typeof localClient>;

  // one engine for the block: two RecordedEngines would draw the same first image (same hash)
  const recorded = new RecordedEngine();
  const restart = async () => {
    dynamo = await startDynamoDbLocal({ dataDir, port });
  };

  beforeAll(async () => {
    dynamo = await startDynamoDbLocal({ dataDir });
    port = dynamo.port;
    client = localClient(dynamo.endpoint);
    await ensureTable(client, TABLE);
    store = new DynamoStore(client, TABLE);
    await seedExampleTree(store);
  }, 120_000);

  afterAll(async () => {
    await dynamo?.stop();
    client?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Answers recorded OCR; the first time it is asked, it first stops DynamoDB Local. */
  class StopTheStoreEngine implements OcrEngine {
    readonly name = "recorded";
    armed = true;
    constructor(private readonly inner: RecordedEngine) {}
    async recognize(page: PreparedPage): Promise<OcrPage> {
      if (this.armed) {
        this.armed = false;
        await dynamo.stop();
      }
      return this.inner.recognize(page);
    }
  }

  it("fails cleanly, leaves nothing behind, and a retry stores the meeting once", async () => {
    const engine = new StopTheStoreEngine(recorded);
    const blobDir = mkdtempSync(join(tmpdir(), "bienban-faults-blobs-"));
    const tokens = new DevTokenAuthenticator(randomBytes(32));
    const app = createApp({ store, blobs: new FsBlobStore(blobDir), engine, auth: tokens });
    const sec = { authorization: `Bearer ${await tokens.issue({ sub: "thu-ky", role: "secretary", orgId: CELL })}` };
    const page = await recorded.page(minutesText({ date: "2026-11-03", present: 16, total: 18 }));
    const send = () => {
      const form = new FormData();
      form.set("cellId", CELL);
      form.append("pages", new Blob([new Uint8Array(page)], { type: "image/png" }), "p.png");
      return app.request("/api/meetings", { method: "POST", body: form, headers: sec });
    };

    const failed = await send();
    expect(failed.status).toBe(500);
    const body = (await failed.json()) as ErrorJson;
    expect(body.error.code).toBe("INTERNAL");
    // no endpoint, no socket error text
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|dynamo/i);

    await restart();
    expect(await countItems(client, TABLE)).toEqual({ meetings: 0, ingestKeys: 0, audits: 0 });
    expect(countFiles(blobDir)).toBe(0);

    const retried = await send();
    expect(retried.status).toBe(201);
    const again = await send();
    expect(again.status).toBe(200);
    const a = (await retried.json()) as { id: string };
    expect(((await again.json()) as { id: string }).id).toBe(a.id);
    expect(await countItems(client, TABLE)).toEqual({ meetings: 1, ingestKeys: 1, audits: 1 });
  }, 180_000);

  it("stopped while the meeting's transaction is on the wire: meeting and ingest key are both there or both absent", async () => {
    const blobs = new FsBlobStore(mkdtempSync(join(tmpdir(), "bienban-faults-blobs-")));
    // a second client whose TransactWriteItems stops the server as the request leaves
    const killer = localClient(dynamo.endpoint);
    let stopping: Promise<void> | undefined;
    killer.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== "TransactWriteItemsCommand" || stopping) return next(args);
        // the request leaves first; the server is stopped a moment later, racing the commit
        const sent = next(args);
        stopping = new Promise((r) => setTimeout(r, 2)).then(() => dynamo.stop());
        return sent;
      },
      { step: "finalizeRequest", name: "stopDynamoOnTransaction" },
    );
    const killerStore = new DynamoStore(killer, TABLE);
    const { ingestMeeting } = await import("../../shared/meetings/ingest.ts");
    const page = await recorded.page(minutesText({ date: "2026-11-10", present: 17, total: 18 }));
    const before = await countItems(client, TABLE);

    const outcome = await ingestMeeting({ store: killerStore, blobs, extractor: ocrExtractor(recorded) }, { cellId: CELL, pages: [{ bytes: page }] }).then(
      () => "stored",
      (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : "unknown"),
    );
    killer.destroy();
    expect(stopping).toBeDefined();
    await stopping;
    await restart();
    const after = await countItems(client, TABLE);
    // whichever way the race went, the two items moved together
    expect(after.meetings - before.meetings).toBe(after.ingestKeys - before.ingestKeys);
    expect([0, 1]).toContain(after.meetings - before.meetings);
    if (outcome === "stored") expect(after.meetings - before.meetings).toBe(1);

    // the retry (a new client, as a new Lambda invocation would have) ends with exactly one
    const { record } = await ingestMeeting({ store, blobs, extractor: ocrExtractor(recorded) }, { cellId: CELL, pages: [{ bytes: page }] });
    const final = await countItems(client, TABLE);
    expect(final.meetings - before.meetings).toBe(1);
    expect(final.ingestKeys - before.ingestKeys).toBe(1);
    expect((await store.getMeeting(record.id))?.contentHash).toBe(record.contentHash);
  }, 180_000);
});

describe("OCR engine crashing or hanging", () => {
  const dir = mkdtempSync(join(tmpdir(), "bienban-fake-ocr-"));
  const script = (name: string, body: string) => {
    const p = join(dir, name);
    writeFileSync(p, `#!/bin/sh\n${body}\n`);
    chmodSync(p, 0o755);
    return p;
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function ingestWith(engine: OcrEngine) {
    const h = await harness({ engine });
    const sec = await h.bearer("secretary", CELL);
    const t0 = performance.now();
    const res = await h.upload(sec, CELL, [await h.engine.page(minutesText({ date: "2026-11-03", present: 16, total: 18 }))]);
    return { res, ms: performance.now() - t0, stored: await h.stored() };
  }

  it("a crashing engine: 502 OCR_FAILED, nothing stored", async () => {
    const crash = script("crash.sh", "echo 'Segmentation fault' >&2; exit 139");
    const { res, stored } = await ingestWith(new TesseractEngine({ binary: crash }));
    expect(res.status).toBe(502);
    const body = (await res.json()) as ErrorJson;
    expect(body.error.code).toBe("OCR_FAILED");
    expect(body.error.messageEn).toMatch(/OCR failed/);
    expect(JSON.stringify(body)).not.toMatch(/Segmentation|crash\.sh/);
    expect(stored).toEqual({ meetings: 0, ingestKeys: 0, audits: 0, blobs: 0 });
  });

  it("a hanging engine: stopped at its limit with 502 OCR_TIMEOUT, the process killed, nothing stored", async () => {
    const pidFile = join(dir, "hang.pid");
    const hang = script("hang.sh", `echo $$ > ${pidFile}; sleep 60`);
    const { res, ms, stored } = await ingestWith(new TesseractEngine({ binary: hang, timeoutMs: 800 }));
    expect(res.status).toBe(502);
    expect(((await res.json()) as ErrorJson).error.code).toBe("OCR_TIMEOUT");
    expect(ms).toBeLessThan(15_000);
    expect(stored).toEqual({ meetings: 0, ingestKeys: 0, audits: 0, blobs: 0 });
    const pid = Number(readFileSync(pidFile, "utf8"));
    await new Promise((r) => setTimeout(r, 200));
    expect(() => process.kill(pid, 0)).toThrow(); // gone
  });

  it("an engine that breaks its contract (throws a plain Error): a generic 500, nothing stored", async () => {
    const broken: OcrEngine = { name: "broken", recognize: async () => { throw new Error("Nguyễn Văn An: internal detail"); } };
    const { res, stored } = await ingestWith(broken);
    expect(res.status).toBe(500);
    expect(await res.text()).not.toMatch(/Nguyễn|internal detail/);
    expect(stored).toEqual({ meetings: 0, ingestKeys: 0, audits: 0, blobs: 0 });
  });

  it("the missing binary is a dependency error (503), not a crash", async () => {
    const { res, stored } = await ingestWith(new TesseractEngine({ binary: join(dir, "does-not-exist") }));
    expect(res.status).toBe(503);
    expect(((await res.json()) as ErrorJson).error.code).toBe("TESSERACT_NOT_INSTALLED");
    expect(stored.meetings).toBe(0);
  });
});

// one mock of the Textract client for the file (a second mockClient would replace the first)
const textract = mockClient(TextractClient);
afterAll(() => textract.restore());

describe("Textract throttling during a Lambda ingest", () => {

  function s3Message(key: string, receiveCount: number): SQSRecord {
    return {
      messageId: randomUUID(),
      receiptHandle: "AQEB...",
      body: JSON.stringify({ Records: [{ eventVersion: "2.1", eventSource: "aws:s3", eventName: "ObjectCreated:Put", s3: { bucket: { name: "bienban-pages" }, object: { key, size: 1 } } }] }),
      attributes: { ApproximateReceiveCount: String(receiveCount), SentTimestamp: "1762154100000", SenderId: "AIDA", ApproximateFirstReceiveTimestamp: "1762154100001" },
      messageAttributes: {},
      md5OfBody: "x",
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:ap-southeast-1:123456789012:bienban-ingest",
      awsRegion: "ap-southeast-1",
    };
  }

  it("throttled to the end: the message is retried, the upload says why, nothing is stored; then it succeeds once", async () => {
    textract.reset();
    const h = await harness();
    const engine = new TextractEngine({ client: new TextractClient({ region: "ap-southeast-1", maxAttempts: 1 }), maxAttempts: 3, sleep: async () => {} });
    const blobs = new FsBlobStore(h.blobDir);
    const handler = createIngestHandler({ store: h.store, blobs, extractor: ocrExtractor(engine) });
    const page = await h.engine.page("ignored: Textract answers");
    const signed = await createUpload(
      { blobs, signer: { signPut: async (k) => `https://example.invalid/${k}` }, limits: { maxUploadBytes: 10_000_000, maxPages: 5 } },
      { cellId: CELL, pages: [{ contentType: "image/png", bytes: page.length }] },
      "thu-ky-1",
    );
    const key = `uploads/${CELL}/${signed.uploadId}/page-1`;
    await blobs.put(key, page, "image/png");
    const before = await countItems(h.client, h.tableName);

    textract.on(AnalyzeDocumentCommand).rejects(new ThrottlingException({ message: "Rate exceeded", $metadata: {} }));
    const first = s3Message(key, 1);
    expect(await handler({ Records: [first] })).toEqual({ batchItemFailures: [{ itemIdentifier: first.messageId }] });
    expect(await h.store.getUploadState(signed.uploadId)).toMatchObject({ status: "retrying", code: "OCR_THROTTLED" });
    expect(await countItems(h.client, h.tableName)).toEqual(before);

    const recorded = JSON.parse(readFileSync(new URL("../fixtures/textract/minutes-signatures.analyze-document.json", import.meta.url), "utf8")) as object;
    textract.reset();
    textract.on(AnalyzeDocumentCommand).resolves(recorded);
    const second = s3Message(key, 2);
    expect(await handler({ Records: [second] })).toEqual({ batchItemFailures: [] });
    const state = await h.store.getUploadState(signed.uploadId);
    expect(state).toMatchObject({ status: "done" });
    // a duplicate delivery (SQS is at-least-once) changes nothing
    expect(await handler({ Records: [s3Message(key, 1)] })).toEqual({ batchItemFailures: [] });
    const after = await countItems(h.client, h.tableName);
    expect(after.meetings - before.meetings).toBe(1);
    expect(after.ingestKeys - before.ingestKeys).toBe(1);
    expect(existsSync(h.blobDir)).toBe(true);
  });
});

describe("a failed asynchronous Textract job (PDF)", () => {

  const snsNote = (jobId: string, uploadId: string, status: string): SNSEvent => ({
    Records: [
      {
        EventSource: "aws:sns",
        EventVersion: "1.0",
        EventSubscriptionArn: "arn:aws:sns:ap-southeast-1:123456789012:textract:1",
        Sns: {
          Type: "Notification",
          MessageId: randomUUID(),
          TopicArn: "arn:aws:sns:ap-southeast-1:123456789012:textract",
          Subject: "",
          Message: JSON.stringify({ JobId: jobId, Status: status, API: "StartDocumentAnalysis", JobTag: uploadId, Timestamp: 1762161164000, DocumentLocation: { S3ObjectName: "x", S3Bucket: "b" } }),
          Timestamp: "2026-11-03T09:12:44.000Z",
          SignatureVersion: "1",
          Signature: "x",
          SigningCertUrl: "https://example.invalid",
          UnsubscribeUrl: "https://example.invalid",
          MessageAttributes: {},
        },
      },
    ],
  });

  it("FAILED is recorded on the upload and stores nothing; a job that says SUCCEEDED but reads FAILED throws for a retry and stores nothing", async () => {
    textract.reset();
    const h = await harness();
    const blobs = new FsBlobStore(h.blobDir);
    const engine = new TextractEngine({ client: new TextractClient({ region: "ap-southeast-1", maxAttempts: 1 }), maxAttempts: 2, sleep: async () => {} });
    let jobs = 0;
    const pdf = { start: async () => `job-${++jobs}`, pages: (jobId: string) => engine.getAnalysisPages(jobId) };
    const ingest = createIngestHandler({ store: h.store, blobs, extractor: ocrExtractor(h.engine), pdf });
    const complete = createTextractCompleteHandler({ store: h.store, blobs, pdf });
    const failed = JSON.parse(readFileSync(new URL("../fixtures/textract/get-document-analysis.failed.json", import.meta.url), "utf8")) as object;
    textract.on(GetDocumentAnalysisCommand).resolves(failed);
    const before = await countItems(h.client, h.tableName);

    const uploadPdf = async () => {
      const bytes = await pdfWithPages(2 + jobs);
      const signed = await createUpload(
        { blobs, signer: { signPut: async (k) => `https://example.invalid/${k}` }, limits: { maxUploadBytes: 10_000_000, maxPages: 5 } },
        { cellId: CELL, pages: [{ contentType: "application/pdf", bytes: bytes.length }] },
        "thu-ky-1",
      );
      const key = `uploads/${CELL}/${signed.uploadId}/page-1`;
      await blobs.put(key, bytes, "application/pdf");
      const msg = { messageId: randomUUID(), receiptHandle: "x", body: JSON.stringify({ Records: [{ eventName: "ObjectCreated:Put", s3: { bucket: { name: "b" }, object: { key } } }] }), attributes: { ApproximateReceiveCount: "1", SentTimestamp: "1", SenderId: "x", ApproximateFirstReceiveTimestamp: "1" }, messageAttributes: {}, md5OfBody: "x", eventSource: "aws:sqs", eventSourceARN: "arn:aws:sqs:ap-southeast-1:1:q", awsRegion: "ap-southeast-1" } satisfies SQSRecord;
      expect(await ingest({ Records: [msg] })).toEqual({ batchItemFailures: [] });
      const state = await h.store.getUploadState(signed.uploadId);
      expect(state).toMatchObject({ status: "analysing" });
      return { uploadId: signed.uploadId, jobId: state?.jobId ?? "" };
    };

    const a = await uploadPdf();
    await complete(snsNote(a.jobId, a.uploadId, "FAILED"));
    expect(await h.store.getUploadState(a.uploadId)).toMatchObject({ status: "failed", code: "TEXTRACT_FAILED" });
    expect(await countItems(h.client, h.tableName)).toEqual(before);

    const b = await uploadPdf();
    const err = await complete(snsNote(b.jobId, b.uploadId, "SUCCEEDED")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OcrError);
    expect(err).toMatchObject({ code: "OCR_FAILED" });
    expect(String((err as Error).message)).not.toMatch(/INTERNAL_ERROR/);
    expect(await h.store.getUploadState(b.uploadId)).toMatchObject({ status: "analysing" });
    expect(await countItems(h.client, h.tableName)).toEqual(before);
  });
});

describe("corrections racing each other", () => {
  it("5 concurrent PATCHes of the same version: exactly one 200, four 412, one audit entry", async () => {
    const h = await harness();
    const insp = await h.bearer("inspector", "huyen-dong-son");
    const res = await h.upload(await h.bearer("secretary", CELL), CELL, [await h.engine.page(minutesText({ date: "2026-11-24", present: 16, total: 18 }))]);
    const { id } = (await res.json()) as { id: string };
    const chairs = ["Nguyễn Văn Một", "Nguyễn Văn Hai", "Nguyễn Văn Ba", "Nguyễn Văn Bốn", "Nguyễn Văn Năm"];
    const results = await Promise.all(
      chairs.map((chair) =>
        h.app.request(`/api/meetings/${id}`, {
          method: "PATCH",
          headers: { ...insp, "if-match": '"1"', "content-type": "application/json" },
          body: JSON.stringify({ changes: [{ field: "chair", value: chair }] }),
        }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 412, 412, 412, 412]);
    const winner = results.find((r) => r.status === 200);
    const won = (await winner?.json()) as { version: number; meeting: { chair: string } };
    for (const r of results.filter((x) => x.status === 412)) expect(((await r.json()) as ErrorJson).error.code).toBe("VERSION_CONFLICT");
    const stored = await h.store.getMeeting(id);
    expect(stored?.version).toBe(2);
    expect(stored?.document.meeting.chair).toBe(won.meeting.chair);
    const audit = await h.store.listAudit(id);
    expect(audit.filter((a) => a.field === "chair")).toHaveLength(1);
    expect(audit.filter((a) => a.field === "chair")[0]?.newValue).toBe(won.meeting.chair);
  });
});
