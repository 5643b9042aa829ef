import { beforeEach, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { mockClient } from "aws-sdk-client-mock";
import {
  AnalyzeDocumentCommand,
  GetDocumentAnalysisCommand,
  LimitExceededException,
  ProvisionedThroughputExceededException,
  StartDocumentAnalysisCommand,
  TextractClient,
  ThrottlingException,
  InvalidParameterException,
} from "@aws-sdk/client-textract";
import * as z from "zod";
import { TextractEngine } from "../../../shared/extraction/textract.ts";
import type { PreparedPage } from "../../../shared/extraction/engine.ts";
import { OcrPageSchema } from "../../../shared/extraction/ocr-page.ts";
import { OcrError } from "../../../shared/errors.ts";

const fixture = async (name: string): Promise<Record<string, unknown>> =>
  z.record(z.string(), z.unknown()).parse(JSON.parse(await readFile(new URL(`../../fixtures/textract/${name}`, import.meta.url), "utf8")));

const page = (pageNumber = 1): PreparedPage => ({
  pageNumber,
  image: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
  width: 2504,
  height: 3229,
  original: Buffer.alloc(0),
  deskewDegrees: 0,
});

const textract = mockClient(TextractClient);
const client = new TextractClient({ region: "ap-southeast-1", maxAttempts: 1 });
const sleeps: number[] = [];
const engine = (maxAttempts = 4): TextractEngine =>
  new TextractEngine({
    client,
    maxAttempts,
    s3: { bucket: "bienban-uploads" },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  });

beforeEach(() => {
  textract.reset();
  sleeps.length = 0;
});

describe("TextractEngine.recognize (AnalyzeDocument)", () => {
  it("maps the recorded response: 62 lines, 353 words, one signature", async () => {
    textract.on(AnalyzeDocumentCommand).resolves(await fixture("signature.analyze-document.json"));
    const ocr = await engine().recognize(page(4));

    expect(OcrPageSchema.parse(ocr)).toEqual(ocr);
    expect(ocr).toMatchObject({ pageNumber: 4, width: 2504, height: 3229, engine: "textract" });
    expect(ocr.lines).toHaveLength(62);
    expect(ocr.lines.flatMap((l) => l.words)).toHaveLength(353);
    expect(ocr.lines[0]?.text).toMatch(/^Notice: Information about the immunizations/);
    expect(ocr.lines[0]?.words[0]).toMatchObject({ text: "Notice:", confidence: expect.closeTo(0.985, 3) });
    expect(ocr.lines[0]?.confidence).toBeCloseTo(0.9978, 3);
    expect(ocr.signatures).toHaveLength(1);
    const [signature] = ocr.signatures;
    expect(signature?.source).toBe("textract");
    expect(signature?.confidence).toBeCloseTo(0.548, 3);
    expect(signature?.box.left).toBeCloseTo(0.3577, 3);
    expect(signature?.box.top).toBeCloseTo(0.4155, 3);
    expect(signature?.box.width).toBeCloseTo(0.108, 3);
    expect(signature?.box.height).toBeCloseTo(0.0274, 3);

    // the request: the prepared PNG's bytes, signatures and layout
    const calls = textract.commandCalls(AnalyzeDocumentCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input.FeatureTypes).toEqual(["SIGNATURES", "LAYOUT"]);
    expect(calls[0]?.args[0].input.Document?.Bytes).toEqual(page().image);
  });

  it("maps a Vietnamese signature block with two signatures and layout blocks", async () => {
    textract.on(AnalyzeDocumentCommand).resolves(await fixture("minutes-signatures.analyze-document.json"));
    const ocr = await engine().recognize(page());
    expect(ocr.lines.map((l) => l.text)).toEqual([
      "Buổi sinh hoạt kết thúc vào lúc 15 giờ 45 phút cùng ngày.",
      "Biên bản đã được thông qua trước chi bộ.",
      "THƯ KÝ",
      "CHỦ TRÌ",
      "Trần Thị Bình",
      "Nguyễn Văn An",
    ]);
    expect(ocr.lines[2]?.words.map((w) => w.text)).toEqual(["THƯ", "KÝ"]);
    expect(ocr.signatures.map((s) => s.confidence)).toEqual([expect.closeTo(0.784, 3), expect.closeTo(0.912, 3)]);
    // the chair's signature lies under "CHỦ TRÌ", right of the page centre
    expect(ocr.signatures[1]?.box.left).toBeGreaterThan(0.5);
  });

  it("returns no signatures for a page without one", async () => {
    textract.on(AnalyzeDocumentCommand).resolves(await fixture("no-signature.analyze-document.json"));
    const ocr = await engine().recognize(page());
    expect(ocr.signatures).toEqual([]);
    expect(ocr.lines.map((l) => l.text)).toContain("BIÊN BẢN");
  });

  it("retries throttling with growing, jittered delays, then succeeds", async () => {
    const errors = z
      .array(z.object({ __type: z.string(), Message: z.string() }))
      .parse(JSON.parse(await readFile(new URL("../../fixtures/textract/throttling.errors.json", import.meta.url), "utf8")));
    const [throttling, provisioned, limit] = errors;
    textract
      .on(AnalyzeDocumentCommand)
      .rejectsOnce(new ThrottlingException({ message: throttling?.Message ?? "", $metadata: {} }))
      .rejectsOnce(new ProvisionedThroughputExceededException({ message: provisioned?.Message ?? "", $metadata: {} }))
      .rejectsOnce(new LimitExceededException({ message: limit?.Message ?? "", $metadata: {} }))
      .resolves(await fixture("no-signature.analyze-document.json"));
    const ocr = await engine(4).recognize(page());
    expect(ocr.lines.length).toBeGreaterThan(0);
    expect(textract.commandCalls(AnalyzeDocumentCommand)).toHaveLength(4);
    // full jitter at random()=0.5: half of 250, 500, 1000 ms
    expect(sleeps).toEqual([125, 250, 500]);
  });

  it("gives up after maxAttempts with OCR_THROTTLED", async () => {
    textract.on(AnalyzeDocumentCommand).rejects(new ThrottlingException({ message: "Rate exceeded", $metadata: {} }));
    const err = await engine(3)
      .recognize(page())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OcrError);
    expect(err).toMatchObject({ code: "OCR_THROTTLED", status: 502 });
    expect(textract.commandCalls(AnalyzeDocumentCommand)).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it("does not retry other errors, and never passes the vendor message on", async () => {
    textract.on(AnalyzeDocumentCommand).rejects(new InvalidParameterException({ message: "secret internals", $metadata: {} }));
    const err = await engine()
      .recognize(page())
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "OCR_FAILED" });
    expect(String(err)).not.toContain("secret internals");
    expect(textract.commandCalls(AnalyzeDocumentCommand)).toHaveLength(1);
  });

  it("rejects a response that is not Textract's shape", async () => {
    textract.on(AnalyzeDocumentCommand).resolves({ Blocks: [{ BlockType: "LINE" }] });
    await expect(engine().recognize(page())).rejects.toMatchObject({ code: "OCR_FAILED" });
  });
});

describe("TextractEngine asynchronous analysis", () => {
  it("starts a job on the configured bucket with both features and the SNS channel", async () => {
    textract.on(StartDocumentAnalysisCommand).resolves({ JobId: "job-123" });
    const jobId = await engine().startAnalysis({ key: "uploads/m1.pdf" }, "arn:aws:sns:ap-southeast-1:1:t", "arn:aws:iam::1:role/r");
    expect(jobId).toBe("job-123");
    expect(textract.commandCalls(StartDocumentAnalysisCommand)[0]?.args[0].input).toEqual({
      DocumentLocation: { S3Object: { Bucket: "bienban-uploads", Name: "uploads/m1.pdf" } },
      FeatureTypes: ["SIGNATURES", "LAYOUT"],
      NotificationChannel: { SNSTopicArn: "arn:aws:sns:ap-southeast-1:1:t", RoleArn: "arn:aws:iam::1:role/r" },
    });
  });

  it("follows NextToken and groups blocks by page", async () => {
    textract
      .on(GetDocumentAnalysisCommand, { JobId: "job-123" })
      .resolvesOnce(await fixture("get-document-analysis.succeeded.1.json"))
      .resolvesOnce(await fixture("get-document-analysis.succeeded.2.json"));
    const pages = await engine().getAnalysisPages("job-123", { pageSize: () => ({ width: 2000, height: 2828 }) });
    expect(pages.map((p) => p.pageNumber)).toEqual([1, 2]);
    expect(pages[0]?.lines[0]?.text).toBe("ĐẢNG BỘ XÃ THANH BÌNH");
    expect(pages[0]?.signatures).toEqual([]);
    expect(pages[1]?.lines.map((l) => l.text)).toContain("CHỦ TRÌ");
    expect(pages[1]?.signatures).toHaveLength(1);
    expect(pages[1]).toMatchObject({ width: 2000, height: 2828, engine: "textract" });
    const calls = textract.commandCalls(GetDocumentAnalysisCommand);
    expect(calls.map((c) => c.args[0].input.NextToken)).toEqual([undefined, "AAAAAHk8y3FhSWt0QmNGb2pQ2vJ0eGpPZz09"]);
  });

  it("refuses a failed job and a partly successful one", async () => {
    textract.on(GetDocumentAnalysisCommand).resolves(await fixture("get-document-analysis.failed.json"));
    await expect(engine().getAnalysisPages("job-9")).rejects.toMatchObject({ code: "OCR_FAILED" });
    textract.reset();
    textract.on(GetDocumentAnalysisCommand).resolves(await fixture("get-document-analysis.partial.json"));
    const err = await engine()
      .getAnalysisPages("job-9")
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "OCR_PARTIAL" });
    expect(err instanceof OcrError ? err.messageEn : "").toContain("2");
    textract.reset();
    textract.on(GetDocumentAnalysisCommand).resolves({ JobStatus: "IN_PROGRESS" });
    await expect(engine().getAnalysisPages("job-9")).rejects.toMatchObject({ code: "OCR_NOT_READY" });
  });
});
