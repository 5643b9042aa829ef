/**
 * The ingest Lambda's handler invoked with real event shapes: an SQS batch whose bodies are S3
 * "ObjectCreated:Put" notifications, against DynamoDB Local and the file blob store (S3 cannot run
 * here; the same BlobStore port is backed by S3 in AWS). OCR answers with recorded text.
 */
import { S3Client } from "@aws-sdk/client-s3";
import type { SQSEvent } from "aws-lambda";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { ocrExtractor } from "../../shared/extraction/extractor.ts";
import { createIngestHandler } from "../../shared/meetings/ingest-events.ts";
import { cellOf, knownOfCell } from "../../shared/meetings/ingest.ts";
import { createUpload, parseUploadKey } from "../../shared/meetings/uploads.ts";
import { seedExampleTree } from "../../shared/orgs/seed.ts";
import type { BlobStore } from "../../shared/store/blobs.ts";
import type { DynamoStore } from "../../shared/store/dynamo-store.ts";
import { S3UploadSigner } from "../../shared/store/s3-signer.ts";
import { freshStore } from "../helpers/dynamo.ts";
import { s3Message } from "../helpers/events.ts";
import { minutesText, RecordedEngine } from "../helpers/recorded-engine.ts";

const fakeSigner = { signPut: async (key: string) => `https://example.invalid/${key}` };

describe("ingest Lambda (S3 → SQS → handler)", () => {
  let store: DynamoStore;
  let blobs: BlobStore;
  let engine: RecordedEngine;
  let handler: ReturnType<typeof createIngestHandler>;

  beforeAll(async () => {
    ({ store, blobs } = await freshStore());
    await seedExampleTree(store);
    engine = new RecordedEngine();
    handler = createIngestHandler({ store, blobs, extractor: ocrExtractor(engine) });
  });

  async function uploadPages(cellId: string, pages: Buffer[]) {
    const signed = await createUpload(
      { blobs, signer: fakeSigner, limits: { maxUploadBytes: 10_000_000, maxPages: 10 } },
      { cellId, pages: pages.map((p) => ({ contentType: "image/png", bytes: p.length })) },
      "thu-ky-1",
    );
    return signed.uploadId;
  }

  it("reads the minutes with what the store knows of the cell: its members, its own and its committee's names", async () => {
    const cell = await cellOf(store, "cb-dong-hoa");
    const known = await knownOfCell(store, cell);
    expect(known.organisation).toEqual({ cell: "Chi bộ thôn Đông Hòa", committee: "Đảng bộ xã Thanh Bình" });
    expect(known.members).toEqual((await store.listMembers("cb-dong-hoa")).map((m) => m.name));
    // the header as OCR mangled it comes back with the committee's spelling
    const p1 = await engine.page(minutesText({ date: "2026-10-05", present: 16, total: 18 }).replace("ĐẢNG BỘ XÃ THANH BÌNH", "ĐẢNG BỘ XÃ THANH BỈNH"));
    const uploadId = await uploadPages("cb-dong-hoa", [p1]);
    await blobs.put(`uploads/cb-dong-hoa/${uploadId}/page-1`, p1, "image/png");
    expect((await handler({ Records: [s3Message(`uploads/cb-dong-hoa/${uploadId}/page-1`, p1.length)] })).batchItemFailures).toEqual([]);
    const state = await store.getUploadState(uploadId);
    const meeting = await store.getMeeting(state?.meetingId ?? "");
    expect(meeting?.document.meeting.partyCommittee?.toLocaleLowerCase("vi")).toBe("đảng bộ xã thanh bình");
  });

  it("waits for every page of the manifest, then ingests the meeting once", async () => {
    const p1 = await engine.page(minutesText({ date: "2026-11-03", present: 16, total: 18 }));
    const p2 = await engine.page("- 2 -\nBiên bản đã được đọc lại và nhất trí thông qua.");
    const uploadId = await uploadPages("cb-dong-hoa", [p1, p2]);
    const key = (n: number) => `uploads/cb-dong-hoa/${uploadId}/page-${n}`;

    await blobs.put(key(1), p1, "image/png");
    const first = await handler({ Records: [s3Message(key(1), p1.length)] } satisfies SQSEvent);
    expect(first.batchItemFailures).toEqual([]);
    expect(await store.getUploadState(uploadId)).toBeNull(); // still waiting for page 2

    await blobs.put(key(2), p2, "image/png");
    // both "last page" notifications arrive at once (S3 may deliver more than once)
    const both = await handler({ Records: [s3Message(key(2), p2.length), s3Message(key(2), p2.length)] });
    expect(both.batchItemFailures).toEqual([]);
    const state = await store.getUploadState(uploadId);
    expect(state?.status).toBe("done");
    const meeting = await store.getMeeting(state?.meetingId ?? "");
    expect(meeting?.pages).toHaveLength(2);
    expect(meeting?.document.meeting.attendance.present).toBe(16);
    const listed = await store.listMeetings({ orgPath: "tinh-mau/huyen-dong-son/xa-thanh-binh/cb-dong-hoa", month: "2026-11" });
    expect(listed.items.filter((m) => m.contentHash === meeting?.contentHash)).toHaveLength(1);
  });

  it("reports only the failing message of a batch, and records the reason on the upload", async () => {
    const good = await engine.page(minutesText({ date: "2026-11-04", present: 17, total: 18 }));
    const goodId = await uploadPages("cb-tay-hoa", [good]);
    await blobs.put(`uploads/cb-tay-hoa/${goodId}/page-1`, good, "image/png");

    // a page whose OCR fails (no recorded text for it): a transient-looking failure → retried
    const unknown = Buffer.from(await engine.page("x"));
    const bad = await (await import("sharp")).default({ create: { width: 300, height: 300, channels: 3, background: "#fff" } }).png().toBuffer();
    const badId = await uploadPages("cb-tay-hoa", [bad]);
    await blobs.put(`uploads/cb-tay-hoa/${badId}/page-1`, bad, "image/png");

    const okMsg = s3Message(`uploads/cb-tay-hoa/${goodId}/page-1`, good.length);
    const badMsg = s3Message(`uploads/cb-tay-hoa/${badId}/page-1`, bad.length, "bad-message", 2);
    const res = await handler({ Records: [okMsg, badMsg] });
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: "bad-message" }]);
    expect((await store.getUploadState(goodId))?.status).toBe("done");
    expect(await store.getUploadState(badId)).toMatchObject({ status: "retrying", code: "Error" });
    expect(unknown.length).toBeGreaterThan(0);
  });

  it("records a permanent rejection (not an image) without retrying it", async () => {
    const junk = Buffer.from("definitely not a picture");
    const signed = await createUpload(
      { blobs, signer: fakeSigner, limits: { maxUploadBytes: 1000, maxPages: 3 } },
      { cellId: "cb-an-loc", pages: [{ contentType: "image/jpeg", bytes: junk.length }] },
      "thu-ky-2",
    );
    await blobs.put(`uploads/cb-an-loc/${signed.uploadId}/page-1`, junk, "image/jpeg");
    const res = await handler({ Records: [s3Message(`uploads/cb-an-loc/${signed.uploadId}/page-1`, junk.length)] });
    expect(res.batchItemFailures).toEqual([]);
    expect(await store.getUploadState(signed.uploadId)).toMatchObject({ status: "failed", code: "NOT_AN_IMAGE" });
  });

  it("ignores S3's test event, foreign keys and bodies that are not S3 notifications", async () => {
    const test = { ...s3Message("x", 0), body: JSON.stringify({ Service: "Amazon S3", Event: "s3:TestEvent", Bucket: "bienban-pages" }) };
    const garbage = { ...s3Message("x", 0), body: "{not json" };
    const res = await handler({ Records: [test, garbage, s3Message("reports/tinh-mau/2026-11.pdf", 10), s3Message("uploads/../../etc/passwd", 1)] });
    expect(res.batchItemFailures).toEqual([]);
  });
});

describe("direct uploads are signed, not received", () => {
  it("parses only well-formed upload keys", () => {
    const id = randomUUID();
    expect(parseUploadKey(`uploads/cb-dong-hoa/${id}/page-3`)).toEqual({ cellId: "cb-dong-hoa", uploadId: id, page: 3 });
    expect(parseUploadKey(`uploads/cb-dong-hoa/${id}/manifest.json`)).toEqual({ cellId: "cb-dong-hoa", uploadId: id, page: null });
    expect(parseUploadKey(`uploads/../${id}/page-1`)).toBeNull();
    expect(parseUploadKey(`pages/cb/${id}/page-1`)).toBeNull();
  });

  it("presigns PUTs that pin the content type and the exact size", async () => {
    // configured as functions/clients.ts configures it
    const s3 = new S3Client({ region: "ap-southeast-1", credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret" }, requestChecksumCalculation: "WHEN_REQUIRED" });
    const url = new URL(await new S3UploadSigner(s3, "bienban-pages").signPut("uploads/cb-dong-hoa/x/page-1", "image/jpeg", 123456, 900));
    const signed = (url.searchParams.get("X-Amz-SignedHeaders") ?? "").split(";");
    expect(signed).toEqual(expect.arrayContaining(["content-length", "content-type", "host"]));
    expect(url.searchParams.get("X-Amz-Expires")).toBe("900");
    expect(url.hostname).toContain("bienban-pages");
    // no checksum of an empty body signed into the URL (S3 would refuse every real page)
    expect([...url.searchParams.keys()].filter((k) => k.toLowerCase().startsWith("x-amz-checksum") || k.toLowerCase() === "x-amz-sdk-checksum-algorithm")).toEqual([]);
  });

  it("refuses to sign more pages or bigger pages than allowed", async () => {
    const { blobs } = await freshStore();
    const limits = { maxUploadBytes: 1000, maxPages: 2 };
    await expect(createUpload({ blobs, signer: fakeSigner, limits }, { cellId: "cb-a", pages: [{ contentType: "image/png", bytes: 1001 }] }, "a")).rejects.toMatchObject({ status: 413 });
    await expect(
      createUpload({ blobs, signer: fakeSigner, limits }, { cellId: "cb-a", pages: Array.from({ length: 3 }, () => ({ contentType: "image/png" as const, bytes: 10 })) }, "a"),
    ).rejects.toMatchObject({ code: "TOO_MANY_PAGES" });
  });
});
