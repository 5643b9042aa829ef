import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AccessDeniedException,
  ConverseCommand,
  ThrottlingException,
  type ConverseCommandInput,
} from "@aws-sdk/client-bedrock-runtime";
import { AnalyzeDocumentCommand } from "@aws-sdk/client-textract";
import * as z from "zod";
import { extractWithBedrock, meetingCost, PRICES, TOOL_NAME } from "../../../shared/extraction/bedrock/index.ts";
import { ALL_FIELDS } from "../../../shared/extraction/bedrock/confidence.ts";
import { ExtractionDocumentSchema } from "../../../shared/meeting/schema.ts";
import { OcrError } from "../../../shared/errors.ts";
import { setLogLevel } from "../../../shared/log.ts";
import { bedrock, bedrockMock, converseWith, fixture, isRecord, meetingPages, textract, textractMock } from "./helpers.ts";

const SIGNED = ["textract.page-1.analyze-document.json", "textract.page-2.analyze-document.json"];
const UNSIGNED = ["textract.page-1.analyze-document.json", "textract.page-2-unsigned.analyze-document.json"];
const MODEL = "apac.anthropic.claude-sonnet-4-20250514-v1:0";

const sleeps: number[] = [];
const options = { textract, bedrock, modelId: MODEL, sleep: async (ms: number) => void sleeps.push(ms), random: () => 0.5 };

beforeEach(() => {
  bedrockMock.reset();
  textractMock.reset();
  sleeps.length = 0;
});

const converseInputs = (): ConverseCommandInput[] => bedrockMock.commandCalls(ConverseCommand).map((c) => c.args[0].input);

/** The fields of the good answer: what a correct reading of the fixture minutes gives. */
const EXPECTED = {
  partyCommittee: "Đảng bộ xã Thanh Bình",
  cellName: "Chi bộ thôn Đông Hòa",
  kind: "regular",
  meetingDate: "2026-11-03",
  startTime: "14:00",
  endTime: "15:45",
  durationMinutes: 105,
  chair: "Nguyễn Văn An",
  secretary: "Trần Thị Bình",
  attendance: { total: 18, exempt: 0, present: 16, absentExcused: 2, absentUnexcused: 0 },
  votes: [{ subject: "Nghị quyết tháng 11/2026", agree: 16, disagree: 0, abstain: 0 }],
  minutesApproved: true,
  signatures: { chair: true, secretary: true },
};

describe("extractWithBedrock: a good answer", () => {
  it("reads every field, with confidence from Textract's evidence, and no review", async () => {
    const images = await meetingPages(SIGNED);
    bedrockMock.on(ConverseCommand).resolves(fixture("converse.good.json"));

    const result = await extractWithBedrock(images, options);

    expect(ExtractionDocumentSchema.parse(result.document)).toEqual(result.document);
    expect(result.document.meeting).toMatchObject(EXPECTED);
    expect(result.document.meeting.opinions.map((o) => o.speaker)).toEqual(["Lê Văn Hùng", "Hoàng Thị Mai"]);
    expect(result.document.flags).toEqual([]);
    expect(result.document.review).toEqual({ needed: false, fields: [] });
    // every field read is supported by Textract's words: high, but not certainty
    for (const [field, c] of Object.entries(result.document.confidence)) {
      expect(c, field).toBeGreaterThanOrEqual(0.85);
      expect(c, field).toBeLessThan(1);
    }
    expect(result.pages.map((p) => p.engine)).toEqual(["textract", "textract"]);
    expect(result.attempts).toBe(1);
    expect(result.reader).toEqual({ outcome: "answered", stopReason: "tool_use" });
  });

  it("sends the pages as images and forces the tool generated from the schema", async () => {
    const images = await meetingPages(SIGNED);
    bedrockMock.on(ConverseCommand).resolves(fixture("converse.good.json"));
    await extractWithBedrock(images, options);

    const [input] = converseInputs();
    expect(input?.modelId).toBe(MODEL);
    expect(input?.toolConfig?.toolChoice).toEqual({ tool: { name: TOOL_NAME } });
    const spec = input?.toolConfig?.tools?.[0]?.toolSpec;
    expect(spec?.name).toBe(TOOL_NAME);
    const schema = z
      .object({ type: z.literal("object"), properties: z.record(z.string(), z.unknown()), required: z.array(z.string()) })
      .parse(spec?.inputSchema?.json);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["attendance", "votes", "signatures", "evidence", "unreadable"]));
    expect(schema.required).toEqual(expect.arrayContaining(["chair", "startTime", "minutesApproved", "evidence"]));

    const blocks = input?.messages?.[0]?.content ?? [];
    const imageBlocks = blocks.flatMap((b) => (b.image ? [b.image] : []));
    expect(imageBlocks.map((i) => i.format)).toEqual(["jpeg", "png"]);
    // the original bytes, untouched: both are far under Bedrock's limits
    expect(imageBlocks.map((i) => Buffer.from(i.source?.bytes ?? new Uint8Array()))).toEqual(images);

    const textractCalls = textractMock.commandCalls(AnalyzeDocumentCommand);
    expect(textractCalls).toHaveLength(2);
    expect(textractCalls[0]?.args[0].input.FeatureTypes).toEqual(["SIGNATURES", "LAYOUT"]);
  });

  it("costs Textract's pages and the model's tokens at the price table", async () => {
    const images = await meetingPages(SIGNED);
    bedrockMock.on(ConverseCommand).resolves(fixture("converse.good.json"));
    const { cost } = await extractWithBedrock(images, options);
    // 2 pages × ($3.50 + $4.00)/1000 + 7,412 × $0.003/1000 + 1,893 × $0.015/1000
    expect(cost).toEqual({ textractPages: 2, inputTokens: 7412, outputTokens: 1893, usd: 0.065631 });
    expect(meetingCost({ pages: 2, inputTokens: 7412, outputTokens: 1893 }, PRICES)).toBe(0.065631);

    const doubled = { ...PRICES, bedrockOutputPer1000Tokens: 0.03 };
    const again = await extractWithBedrock(images, { ...options, prices: doubled });
    expect(again.cost.usd).toBeCloseTo(0.065631 + 0.028395, 6);
  });

  it("snaps names to the cell's member list when one member fits", async () => {
    const images = await meetingPages(SIGNED);
    bedrockMock.on(ConverseCommand).resolves(
      converseWith("converse.good.json", (input) => {
        input.chair = "Nguyễn Văn Ân";
      }),
    );
    const { document } = await extractWithBedrock(images, { ...options, members: ["Nguyễn Văn An", "Trần Thị Bình"] });
    expect(document.meeting.chair).toBe("Nguyễn Văn An");
  });

  it("logs token counts and codes, never names or page text", async () => {
    const images = await meetingPages(SIGNED);
    bedrockMock.on(ConverseCommand).resolves(fixture("converse.good.json"));
    const lines: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = (chunk: string | Uint8Array): boolean => {
      lines.push(String(chunk));
      return true;
    };
    setLogLevel("debug");
    try {
      await extractWithBedrock(images, options);
    } finally {
      process.stderr.write = write;
      setLogLevel("warn");
    }
    const logged = lines.join("");
    expect(logged).toContain('"event":"bedrock.extract"');
    expect(logged).toContain('"inputTokens":7412');
    for (const secret of ["Nguyễn", "Nguyen", "Trần", "Tran Thi", "Thanh Bình", "Có mặt", "Co mat"]) expect(logged).not.toContain(secret);
  });
});

describe("extractWithBedrock: an answer that fails validation", () => {
  it("sends the issues back as an error toolResult and uses the corrected answer", async () => {
    const images = await meetingPages(SIGNED);
    bedrockMock
      .on(ConverseCommand)
      .resolvesOnce(fixture("converse.invalid.json"))
      .resolvesOnce(fixture("converse.corrected.json"));

    const result = await extractWithBedrock(images, options);

    expect(result.attempts).toBe(2);
    expect(result.reader.outcome).toBe("answered");
    expect(result.document.meeting).toMatchObject(EXPECTED);
    expect(result.document.review.needed).toBe(false);
    expect(result.cost).toMatchObject({ inputTokens: 7412 + 9431, outputTokens: 1901 + 1893 });

    const [, retry] = converseInputs();
    expect(retry?.messages).toHaveLength(3);
    const [, assistant, correction] = retry?.messages ?? [];
    expect(assistant?.role).toBe("assistant");
    expect(assistant?.content?.[0]?.toolUse?.toolUseId).toBe("tooluse_P0c8Zr2mS1eT4uVwXy9AbQ");
    expect(correction?.role).toBe("user");
    const toolResult = correction?.content?.[0]?.toolResult;
    expect(toolResult?.toolUseId).toBe("tooluse_P0c8Zr2mS1eT4uVwXy9AbQ");
    expect(toolResult?.status).toBe("error");
    const feedback = toolResult?.content?.map((c) => c.text ?? "").join("\n") ?? "";
    expect(feedback).toMatch(/^startTime: /m);
    expect(feedback).toMatch(/^attendance\.present: /m);
    expect(feedback).toMatch(/^votes\.0\.agree: /m);
    // the same forced tool on the retry
    expect(retry?.toolConfig?.toolChoice).toEqual({ tool: { name: TOOL_NAME } });
  });

  it("a second invalid answer: its valid fields kept as suggestions, every field to review, no criterion flag", async () => {
    const images = await meetingPages(SIGNED);
    bedrockMock
      .on(ConverseCommand)
      .resolvesOnce(fixture("converse.invalid.json"))
      .resolvesOnce(fixture("converse.invalid-again.json"));

    const result = await extractWithBedrock(images, options);

    expect(bedrockMock.commandCalls(ConverseCommand)).toHaveLength(2);
    expect(result.attempts).toBe(2);
    expect(result.reader.outcome).toBe("invalid");
    const { meeting, review, confidence, flags } = result.document;
    expect(meeting.startTime).toBeNull(); // "14h00" is not HH:MM: not kept
    expect(meeting.durationMinutes).toBeNull();
    expect(meeting.chair).toBe("Nguyễn Văn An");
    expect(meeting.attendance.present).toBe(16);
    expect(review.needed).toBe(true);
    expect(review.fields).toEqual(expect.arrayContaining([...ALL_FIELDS]));
    for (const c of Object.values(confidence)) expect(c).toBeLessThanOrEqual(0.5);
    // startTime is unknown, not missing: MISSING_START_TIME would blame the cell for the reader's failure
    expect(flags.map((f) => f.code)).not.toContain("MISSING_START_TIME");
    expect(flags.filter((f) => f.severity === "error")).toEqual([]);
  });
});

describe("extractWithBedrock: refusals", () => {
  it.each([
    ["converse.refusal.end-turn.json", "end_turn"],
    ["converse.guardrail-intervened.json", "guardrail_intervened"],
    ["converse.content-filtered.json", "content_filtered"],
  ])("%s: no retry, the parser's reading of Textract's text with every field to review", async (name, stopReason) => {
    const images = await meetingPages(SIGNED);
    bedrockMock.on(ConverseCommand).resolves(fixture(name));

    const result = await extractWithBedrock(images, options);

    expect(bedrockMock.commandCalls(ConverseCommand)).toHaveLength(1);
    expect(result.reader).toEqual({ outcome: "refused", stopReason });
    expect(result.attempts).toBe(1);
    const { meeting, review, confidence, flags } = result.document;
    // Textract's digits survive without the reader
    expect(meeting.attendance.present).toBe(16);
    expect(meeting.startTime).toBe("14:00");
    expect(review.fields).toEqual(expect.arrayContaining([...ALL_FIELDS]));
    for (const c of Object.values(confidence)) expect(c).toBeLessThanOrEqual(0.5);
    expect(flags.filter((f) => f.severity === "error")).toEqual([]);
    expect(result.cost.textractPages).toBe(2);
  });
});

describe("extractWithBedrock: throttling", () => {
  it("retries ThrottlingException with growing backoff through the injected sleep", async () => {
    const images = await meetingPages(SIGNED);
    const throttled = () => new ThrottlingException({ message: "Too many requests, please wait before trying again.", $metadata: {} });
    bedrockMock
      .on(ConverseCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolvesOnce(fixture("converse.good.json"));

    const result = await extractWithBedrock(images, options);

    expect(bedrockMock.commandCalls(ConverseCommand)).toHaveLength(3);
    // equal jitter with random 0.5: 3/4 of ceilings 1 s, 2 s
    expect(sleeps).toEqual([750, 1500]);
    expect(result.attempts).toBe(1);
    expect(result.cost.inputTokens).toBe(7412);
    expect(result.document.meeting.chair).toBe("Nguyễn Văn An");
  });

  it("gives up after maxAttempts with READER_THROTTLED", async () => {
    const images = await meetingPages(SIGNED);
    const recorded = z.object({ name: z.string(), message: z.string() }).parse(fixture("throttling.error.json"));
    expect(recorded.name).toBe("ThrottlingException");
    bedrockMock.on(ConverseCommand).rejects(new ThrottlingException({ message: recorded.message, $metadata: {} }));

    const failure = await extractWithBedrock(images, { ...options, maxAttempts: 3 }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(OcrError);
    expect(failure).toMatchObject({ code: "READER_THROTTLED", status: 502 });
    expect(bedrockMock.commandCalls(ConverseCommand)).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it("does not retry an error that is not throttling", async () => {
    const images = await meetingPages(SIGNED);
    bedrockMock.on(ConverseCommand).rejects(new AccessDeniedException({ message: "no model access", $metadata: {} }));
    await expect(extractWithBedrock(images, options)).rejects.toMatchObject({ code: "READER_FAILED" });
    expect(bedrockMock.commandCalls(ConverseCommand)).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });
});

describe("extractWithBedrock: signatures from Textract and the reader", () => {
  it("a page with no signature: both witnesses agree → false, flagged", async () => {
    const images = await meetingPages(UNSIGNED);
    bedrockMock.on(ConverseCommand).resolves(fixture("converse.unsigned.json"));

    const { document } = await extractWithBedrock(images, options);

    expect(document.meeting.signatures).toEqual({ chair: false, secretary: false });
    expect(document.confidence["signatures.chair"]).toBeGreaterThanOrEqual(0.8);
    expect(document.review.fields).not.toContain("signatures.chair");
    expect(document.flags.map((f) => f.code)).toEqual(
      expect.arrayContaining(["MISSING_CHAIR_SIGNATURE", "MISSING_SECRETARY_SIGNATURE"]),
    );
  });

  it("the reader sees ink that Textract does not: null and review, no flag", async () => {
    const images = await meetingPages(UNSIGNED);
    bedrockMock.on(ConverseCommand).resolves(fixture("converse.good.json"));

    const { document } = await extractWithBedrock(images, options);

    expect(document.meeting.signatures).toEqual({ chair: null, secretary: null });
    expect(document.review.fields).toEqual(expect.arrayContaining(["signatures.chair", "signatures.secretary"]));
    expect(document.flags.map((f) => f.code)).not.toContain("MISSING_CHAIR_SIGNATURE");
  });

  it("Textract sees signatures the reader calls absent: null and review", async () => {
    const images = await meetingPages(SIGNED);
    bedrockMock.on(ConverseCommand).resolves(fixture("converse.unsigned.json"));
    const { document } = await extractWithBedrock(images, options);
    expect(document.meeting.signatures).toEqual({ chair: null, secretary: null });
    expect(document.review.fields).toEqual(expect.arrayContaining(["signatures.chair", "signatures.secretary"]));
  });
});

describe("extractWithBedrock: confidence from evidence", () => {
  const run = async (edit: (input: Record<string, unknown>) => void) => {
    const images = await meetingPages(SIGNED);
    bedrockMock.on(ConverseCommand).resolves(converseWith("converse.good.json", edit));
    return (await extractWithBedrock(images, options)).document;
  };
  const evidenceOf = (input: Record<string, unknown>) => recordIn(input, "evidence");
  const attendanceOf = (input: Record<string, unknown>) => recordIn(input, "attendance");

  it("a count Textract read with other digits in that place goes to review", async () => {
    const document = await run((input) => {
      attendanceOf(input).present = 15;
      evidenceOf(input)["attendance.present"] = "Có mặt: 15 đồng chí";
    });
    expect(document.meeting.attendance.present).toBe(15);
    expect(document.confidence["attendance.present"]).toBeLessThan(0.3);
    expect(document.review.fields).toContain("attendance.present");
    // unknown, not inconsistent: the attendance rules wait for a person
    expect(document.flags.map((f) => f.code)).not.toContain("ATTENDANCE_INCONSISTENT");
  });

  it("a value whose own quote says otherwise goes to review", async () => {
    const document = await run((input) => {
      attendanceOf(input).total = 19;
    });
    expect(document.confidence["attendance.total"]).toBeLessThan(0.3);
    expect(document.review.fields).toContain("attendance.total");
  });

  it("a value given without evidence gets low confidence", async () => {
    const document = await run((input) => {
      delete evidenceOf(input).location;
    });
    expect(document.meeting.location).toBe("Nhà văn hóa thôn Đông Hòa");
    expect(document.confidence.location).toBe(0.3);
    expect(document.review.fields).toContain("location");
  });

  it("a field the reader left null but Textract's text clearly has goes to review", async () => {
    const document = await run((input) => {
      input.startTime = null;
      delete evidenceOf(input).startTime;
    });
    expect(document.meeting.startTime).toBeNull();
    expect(document.review.fields).toContain("startTime");
    expect(document.flags.map((f) => f.code)).not.toContain("MISSING_START_TIME");
  });

  it("a duration the minutes state otherwise lowers both times", async () => {
    const good = await run(() => {});
    const document = await run((input) => {
      input.durationMinutes = 90;
    });
    expect(document.meeting.durationMinutes).toBe(105); // always from the two times
    expect(document.confidence.startTime).toBeLessThan(good.confidence.startTime ?? 0);
    expect(document.confidence.endTime).toBeLessThan(good.confidence.endTime ?? 0);
  });

  it("a field the reader lists as unreadable is null and in review", async () => {
    const document = await run((input) => {
      input.endTime = null;
      delete evidenceOf(input).endTime;
      input.unreadable = ["endTime", "ignore previous instructions"];
    });
    expect(document.meeting.endTime).toBeNull();
    expect(document.confidence.endTime).toBe(0.1);
    expect(document.review.fields).toContain("endTime");
    expect(document.review.fields).not.toContain("ignore previous instructions");
    expect(document.flags.map((f) => f.code)).not.toContain("MISSING_END_TIME");
  });
});

describe("extractWithBedrock: input", () => {
  it("rejects a file that is not an image before calling any service", async () => {
    await expect(extractWithBedrock([Buffer.from("%PDF-1.7\n")], options)).rejects.toMatchObject({ code: "UNSUPPORTED_IMAGE", status: 415 });
    expect(bedrockMock.commandCalls(ConverseCommand)).toHaveLength(0);
    expect(textractMock.commandCalls(AnalyzeDocumentCommand)).toHaveLength(0);
  });

  it("rejects no pages and more pages than one Converse request takes", async () => {
    await expect(extractWithBedrock([], options)).rejects.toMatchObject({ code: "NO_PAGES" });
    const many = Array.from({ length: 21 }, () => Buffer.alloc(8));
    await expect(extractWithBedrock(many, options)).rejects.toMatchObject({ code: "TOO_MANY_PAGES" });
  });
});

/** The object under `key`, itself (not a parsed copy: the test edits it in place). */
function recordIn(input: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = input[key];
  if (!isRecord(v)) throw new Error(`no object at ${key}`);
  return v;
}

afterEach(() => {
  setLogLevel("warn");
});
