import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import sharp from "sharp";
import * as z from "zod";
import { ReaderAnswerSchema, toolInputSchema } from "../../../shared/extraction/bedrock/answer.ts";
import { scoreAnswer } from "../../../shared/extraction/bedrock/confidence.ts";
import { buildIndex, support, tokenize } from "../../../shared/extraction/bedrock/evidence.ts";
import { BEDROCK_LIMITS, fitImage, readImageHeader, TEXTRACT_LIMITS } from "../../../shared/extraction/bedrock/images.ts";
import { meetingCost, PRICES } from "../../../shared/extraction/bedrock/prices.ts";
import { emptyMeeting } from "../../../shared/meeting/schema.ts";
import { evaluate } from "../../../shared/criteria/index.ts";
import { pageFromText } from "../parser/helpers.ts";
import { fixture } from "./helpers.ts";

describe("evidence: quotes against Textract's words", () => {
  // what Textract gives for Vietnamese: diacritics gone, digits intact
  const index = buildIndex([
    pageFromText(
      ["Tong so dang vien cua chi bo: 18 dong chi.", "Co mat: 16 dong chi.", "Bieu quyet: tan thanh 16/16 dong chi,", "dat 100%; khong tan thanh: 0."].join("\n"),
      1,
      (w) => (w.startsWith("Tong") ? 0.5 : 0.95),
    ),
  ]);

  it("folds words and splits numbers", () => {
    expect(tokenize("Có mặt: 16 đồng chí, 14g30").map((t) => t.text)).toEqual(["co", "mat", "16", "dong", "chi", "14", "g", "30"]);
  });

  it("finds a Vietnamese quote in diacritic-less OCR, with the value's digits", () => {
    const s = support(index, "Có mặt: 16 đồng chí", [16]);
    expect(s.agreement).toBe(1);
    expect(s.numbersFound).toBe(1);
    expect(s.numberConflict).toBe(false);
    expect(s.wordConfidence).toBeCloseTo(0.95, 5);
  });

  it("digits are compared exactly: other digits in that place are a conflict", () => {
    const s = support(index, "Có mặt: 15 đồng chí", [15]);
    expect(s.numberConflict).toBe(true);
    expect(s.numbersFound).toBe(0);
  });

  it("matches a quote that wraps over two lines, and weighs word confidences", () => {
    const s = support(index, "tán thành 16/16 đồng chí, đạt 100%; không tán thành: 0", [16, 0]);
    expect(s.agreement).toBeGreaterThan(0.95);
    expect(s.numbersFound).toBe(1);
    const doubtful = support(index, "Tổng số đảng viên của chi bộ: 18", [18]);
    expect(doubtful.wordConfidence).toBeLessThan(0.9); // "Tong" read at 0.5
  });

  it("a quote that is not on the page has no support", () => {
    const s = support(index, "Địa điểm: Hội trường xã", []);
    expect(s.agreement).toBeLessThan(0.35);
    expect(s.wordConfidence).toBe(0);
  });
});

describe("confidence: consistency of the figures", () => {
  const page = pageFromText(
    ["Tong so dang vien: 18 dong chi.", "Co mat: 15 dong chi.", "Vang co ly do: 2, khong ly do: 0.", "Bat dau 14 gio 00, ket thuc 15 gio 45."].join("\n"),
  );
  const evidence = {
    "attendance.total": "Tổng số đảng viên: 18 đồng chí",
    "attendance.present": "Có mặt: 15 đồng chí",
    "attendance.absentExcused": "Vắng có lý do: 2",
    "attendance.absentUnexcused": "không lý do: 0",
    startTime: "Bắt đầu 14 giờ 00",
    endTime: "kết thúc 15 giờ 45",
  };
  const meetingWith = (present: number) => {
    const m = emptyMeeting();
    m.attendance = { ...m.attendance, total: 18, present, absentExcused: 2, absentUnexcused: 0 };
    m.startTime = "14:00";
    m.endTime = "15:45";
    m.durationMinutes = 105;
    return m;
  };

  it("an inconsistency written clearly in the minutes stays above review and is flagged", () => {
    // 15 + 2 + 0 ≠ 18, and the page says exactly that: a finding about the minutes, not a misread
    const scored = scoreAnswer({ meeting: meetingWith(15), durationGiven: 105, evidence, unreadable: [] }, buildIndex([page]));
    const present = scored.confidence["attendance.present"] ?? 0;
    expect(present).toBeGreaterThanOrEqual(0.6);
    const consistentPage = pageFromText(page.lines.map((l) => l.text.replace("15 dong", "16 dong")).join("\n"));
    const consistent = scoreAnswer(
      { meeting: meetingWith(16), durationGiven: 105, evidence: { ...evidence, "attendance.present": "Có mặt: 16 đồng chí" }, unreadable: [] },
      buildIndex([consistentPage]),
    );
    // figures that add up vouch for each other
    expect(consistent.confidence["attendance.present"] ?? 0).toBeGreaterThan(present);
    const flags = evaluate(scored.meeting, { review: [] }).map((f) => f.code);
    expect(flags).toContain("ATTENDANCE_INCONSISTENT");
  });

  it("the duration follows from the times and takes the weaker of the two", () => {
    const scored = scoreAnswer({ meeting: meetingWith(16), durationGiven: null, evidence, unreadable: [] }, buildIndex([page]));
    expect(scored.confidence.durationMinutes).toBe(Math.min(scored.confidence.startTime ?? 0, scored.confidence.endTime ?? 0));
  });

  it("vote counts above those present lower the votes' confidence", () => {
    const score = (agree: number): number => {
      const m = emptyMeeting();
      m.attendance = { ...m.attendance, present: 16 };
      m.votes = [{ subject: null, agree, disagree: 0, abstain: 0 }];
      const votePage = pageFromText(`Co mat: 16 dong chi.\nTan thanh: ${agree}, khong tan thanh: 0, khong bieu quyet: 0.`);
      const evidence = { "attendance.present": "Có mặt: 16 đồng chí", "votes.0": `Tán thành: ${agree}, không tán thành: 0, không biểu quyết: 0` };
      return scoreAnswer({ meeting: m, durationGiven: null, evidence, unreadable: [] }, buildIndex([votePage])).confidence.votes ?? 0;
    };
    // both read clearly; 17 of 16 present cannot be
    expect(score(16)).toBeGreaterThan(0.85);
    expect(score(17)).toBeLessThan(score(16) * 0.8);
  });
});

describe("the reader's answer schema and tool", () => {
  const goodInput = (): unknown => {
    const response = z
      .object({ output: z.object({ message: z.object({ content: z.array(z.object({ toolUse: z.object({ input: z.unknown() }) })) }) }) })
      .parse(fixture("converse.good.json"));
    return response.output.message.content[0]?.toolUse.input;
  };

  it("accepts the recorded good answer", () => {
    expect(ReaderAnswerSchema.safeParse(goodInput()).success).toBe(true);
  });

  it("rejects a name with its honorific and a date that is not in the calendar", () => {
    const input = z.record(z.string(), z.unknown()).parse(goodInput());
    const bad = ReaderAnswerSchema.safeParse({ ...input, chair: "đồng chí Nguyễn Văn An", meetingDate: "2026-02-30" });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join(".")) ?? [];
    expect(paths).toEqual(expect.arrayContaining(["chair", "meetingDate"]));
  });

  it("the tool schema is the zod schema as JSON Schema, an object without $schema, with field meanings", () => {
    const schema = z
      .object({ type: z.literal("object"), properties: z.record(z.string(), z.object({ description: z.string().optional() }).loose()) })
      .loose()
      .parse(toolInputSchema());
    expect("$schema" in schema).toBe(false);
    expect(Object.keys(schema.properties).sort()).toEqual(
      [...Object.keys(ReaderAnswerSchema.shape)].sort(),
    );
    expect(schema.properties.signatures?.description).toMatch(/CHỦ TRÌ/);
  });
});

describe("images: headers and service limits", () => {
  const make = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: "#fff" } });

  it("reads the size of JPEG, PNG and WebP (lossy and lossless) from the header", async () => {
    expect(readImageHeader(await make(123, 45).jpeg().toBuffer())).toEqual({ format: "jpeg", width: 123, height: 45 });
    expect(readImageHeader(await make(321, 54).png().toBuffer())).toEqual({ format: "png", width: 321, height: 54 });
    expect(readImageHeader(await make(200, 100).webp().toBuffer())).toEqual({ format: "webp", width: 200, height: 100 });
    expect(readImageHeader(await make(77, 33).webp({ lossless: true }).toBuffer())).toEqual({ format: "webp", width: 77, height: 33 });
    expect(readImageHeader(Buffer.from("GIF89a....................."))).toBeUndefined();
    expect(readImageHeader(Buffer.from([0xff, 0xd8, 0xff]))).toBeUndefined();
  });

  it("keeps originals that fit; converts WebP for Textract only", async () => {
    const webp = await make(400, 600).webp().toBuffer();
    const header = readImageHeader(webp);
    if (header === undefined) throw new Error("no header");
    const forBedrock = await fitImage(webp, header, BEDROCK_LIMITS, 1);
    expect(forBedrock).toMatchObject({ converted: false, format: "webp" });
    expect(forBedrock.bytes).toBe(webp);
    const forTextract = await fitImage(webp, header, TEXTRACT_LIMITS, 1);
    expect(forTextract).toMatchObject({ converted: true, format: "jpeg", width: 400, height: 600 });
    expect(readImageHeader(forTextract.bytes)?.format).toBe("jpeg");
  });

  it("scales a page wider than Bedrock's 8,000 px; Textract's 10,000 px still takes it", async () => {
    const wide = await make(8_400, 60).png().toBuffer();
    const header = readImageHeader(wide);
    if (header === undefined) throw new Error("no header");
    const forBedrock = await fitImage(wide, header, BEDROCK_LIMITS, 1);
    expect(forBedrock.converted).toBe(true);
    expect(Math.max(forBedrock.width, forBedrock.height)).toBeLessThanOrEqual(8_000);
    expect((await fitImage(wide, header, TEXTRACT_LIMITS, 1)).converted).toBe(false);
  });
});

describe("prices", () => {
  it("are the published figures", () => {
    expect(PRICES).toEqual({
      textractSignaturesPer1000Pages: 3.5,
      textractLayoutPer1000Pages: 4,
      bedrockInputPer1000Tokens: 0.003,
      bedrockOutputPer1000Tokens: 0.015,
    });
  });

  it("a typical 3-page meeting: 3 Textract pages, ~9,000 input and ~2,500 output tokens", () => {
    // 3 × $0.0075 + 9 × $0.003 + 2.5 × $0.015 = 0.0225 + 0.027 + 0.0375
    expect(meetingCost({ pages: 3, inputTokens: 9_000, outputTokens: 2_500 })).toBe(0.087);
  });
});

describe("Lambda bundles", () => {
  it("load sharp only lazily from the cloud reader", async () => {
    const entry = fileURLToPath(new URL("../../../shared/extraction/bedrock/index.ts", import.meta.url));
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: "node",
      format: "esm",
      write: false,
      metafile: true,
      external: ["sharp", "@aws-sdk/*", "zod"],
      logLevel: "silent",
    });
    const sharpImports = Object.values(result.metafile.inputs).flatMap((input) => input.imports.filter((i) => i.path === "sharp"));
    expect(sharpImports.length).toBeGreaterThan(0);
    for (const i of sharpImports) expect(i.kind).toBe("dynamic-import");
  });
});
