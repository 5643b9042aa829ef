/**
 * Logs carry ids, sizes, timings and codes — never names or OCR text. Captures everything the
 * logger writes to stderr (at debug level) during an ingest, a correction, a review, an unhandled
 * error and a failing Lambda ingest, and looks for the fixture's people and phrases.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { setLogLevel } from "../../shared/log.ts";
import { ocrExtractor } from "../../shared/extraction/extractor.ts";
import type { OcrEngine } from "../../shared/extraction/engine.ts";
import { createIngestHandler } from "../../shared/meetings/ingest-events.ts";
import { createUpload } from "../../shared/meetings/uploads.ts";
import { FsBlobStore } from "../../shared/store/blobs.ts";
import { minutesText } from "../helpers/recorded-engine.ts";
import { CELL, harness, type Harness } from "./harness.ts";

/** Names and phrases of the recorded minutes, with and without diacritics. */
const PEOPLE = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Hùng", "Hoàng Thị Mai", "Lê Văn Cường", "Phạm Văn Dũng"];
const PHRASES = ["vệ sinh môi trường", "nhất trí với báo cáo", "Nhà văn hóa", "đi công tác", "đọc sai số có mặt", "Thanh Bình", "Đông Hòa"];
const plain = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D");
const FORBIDDEN = [...PEOPLE, ...PHRASES].flatMap((s) => [s, plain(s), s.toUpperCase(), plain(s).toUpperCase()]).concat(PEOPLE.map((p) => p.split(" ").at(-1) ?? p).filter((g) => g.length > 3));

let h: Harness;
let lines: string[] = [];
const spy = vi.spyOn(process.stderr, "write");

beforeAll(async () => {
  setLogLevel("debug");
  h = await harness();
  spy.mockImplementation((chunk: string | Uint8Array) => {
    lines.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  });
});
afterAll(() => {
  spy.mockRestore();
  setLogLevel("warn");
});

function expectClean(captured: string[]): void {
  const text = captured.join("");
  for (const word of FORBIDDEN) expect(text, `log carries "${word}"`).not.toContain(word);
  for (const line of text.split("\n").filter(Boolean)) {
    // one JSON object per line, with the logger's shape and flat values only
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed).toMatchObject({ t: expect.any(String), level: expect.any(String), event: expect.any(String) });
    for (const v of Object.values(parsed)) expect(["string", "number", "boolean"]).toContain(typeof v === "object" && v === null ? "boolean" : typeof v);
  }
}

describe("logs carry no names or OCR text", () => {
  it("ingest, correction, claim and review (the acting person named like a member)", async () => {
    lines = [];
    const sec = await h.bearer("secretary", CELL, "Phạm Văn Dũng");
    const insp = await h.bearer("inspector", "huyen-dong-son", "Lê Văn Cường");
    const res = await h.upload(sec, CELL, [await h.engine.page(minutesText({ date: "2026-11-03", present: 14, total: 18, absentExcused: ["Lê Văn Cường"] }))]);
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const patch = await h.app.request(`/api/meetings/${id}`, {
      method: "PATCH",
      headers: { ...insp, "if-match": '"1"', "content-type": "application/json" },
      body: JSON.stringify({ changes: [{ field: "chair", value: "Hoàng Thị Mai" }, { field: "attendance.present", value: 16 }], reason: "đọc sai số có mặt" }),
    });
    expect(patch.status).toBe(200);
    const reviewed = await h.app.request(`/api/meetings/${id}/reviewed`, { method: "POST", headers: { ...insp, "if-match": '"2"' } });
    expect(reviewed.status).toBe(200);
    // the captured lines prove the logger ran (a test that saw no log could not fail)
    expect(lines.join("")).toMatch(/"event":"meeting\.ingested"/);
    expect(lines.join("")).toMatch(/"event":"meeting\.corrected"/);
    expectClean(lines);
  });

  it("an unhandled error whose message names a person logs only its class", async () => {
    lines = [];
    const leaky: OcrEngine = { name: "leaky", recognize: async () => { throw new TypeError("Nguyễn Văn An: vệ sinh môi trường"); } };
    const broken = await harness({ engine: leaky });
    const res = await broken.upload(await broken.bearer("secretary", CELL), CELL, [await broken.engine.page("x")]);
    expect(res.status).toBe(500);
    expect(await res.text()).not.toMatch(/Nguyễn|vệ sinh/);
    expect(lines.join("")).toMatch(/"event":"api\.unhandled".*"error":"TypeError"/);
    expectClean(lines);
  });

  it("a failing Lambda ingest logs the code, not the page or the message", async () => {
    lines = [];
    const blobs = new FsBlobStore(h.blobDir);
    const leaky: OcrEngine = { name: "leaky", recognize: async () => { throw new Error("Trần Thị Bình – Thư ký"); } };
    const handler = createIngestHandler({ store: h.store, blobs, extractor: ocrExtractor(leaky) });
    const page = await h.engine.page(minutesText({ date: "2026-12-01", present: 17, total: 18 }));
    const signed = await createUpload(
      { blobs, signer: { signPut: async (k) => `https://example.invalid/${k}` }, limits: { maxUploadBytes: 10_000_000, maxPages: 5 } },
      { cellId: CELL, pages: [{ contentType: "image/png", bytes: page.length }] },
      "Phạm Văn Dũng",
    );
    const key = `uploads/${CELL}/${signed.uploadId}/page-1`;
    await blobs.put(key, page, "image/png");
    const result = await handler({
      Records: [
        {
          messageId: randomUUID(),
          receiptHandle: "x",
          body: JSON.stringify({ Records: [{ eventName: "ObjectCreated:Put", s3: { bucket: { name: "b" }, object: { key } } }] }),
          attributes: { ApproximateReceiveCount: "1", SentTimestamp: "1", SenderId: "x", ApproximateFirstReceiveTimestamp: "1" },
          messageAttributes: {},
          md5OfBody: "x",
          eventSource: "aws:sqs",
          eventSourceARN: "arn:aws:sqs:ap-southeast-1:1:q",
          awsRegion: "ap-southeast-1",
        },
      ],
    });
    expect(result.batchItemFailures).toHaveLength(1);
    expect(lines.join("")).toMatch(/"event":"ingest\.failed"/);
    expectClean(lines);
  });

  it("error answers are bilingual messages, never the error's own text", async () => {
    lines = [];
    const insp = await h.bearer("inspector", "huyen-dong-son");
    const res = await h.app.request(`/api/meetings/${randomUUID()}`, { headers: insp });
    expect(res.status).toBe(404);
    expectClean(lines);
  });
});
