/**
 * The cloud reader: the page images of ONE meeting → the extraction document of CONTRACT.md §2,
 * read by a vision model on Amazon Bedrock beside Amazon Textract.
 *
 * Textract reads no Vietnamese (its handwriting support is English only), so it cannot read a
 * minute book on its own. The vision model reads the fields and quotes the words it read each one
 * from; Textract supplies what it does well and cheaply — the words' geometry and confidences, the
 * digits and times, and its signature detector. Confidence is computed from how the two agree
 * (confidence.ts), never taken from the model.
 *
 *   images ─┬─ fit to Textract's limits → AnalyzeDocument (SIGNATURES + LAYOUT) → OcrPage[] ─┐
 *           └─ fit to Bedrock's limits  → Converse, forced tool call → ReaderAnswer ───────────┴→ evidence → signatures → criteria
 *
 * Logs carry ids, sizes, timings, token counts and codes only: never page text, names or answers.
 */
import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import * as z from "zod";
import type { RuleSetId } from "../../criteria/index.ts";
import { InvalidInputError } from "../../errors.ts";
import { log } from "../../log.ts";
import { AttendanceSchema, emptyMeeting, MeetingSchema, minutesBetween, type ExtractionDocument, type Meeting } from "../../meeting/schema.ts";
import { recheck } from "../../meetings/recheck.ts";
import type { OcrEngine, PreparedPage } from "../engine.ts";
import type { OcrPage } from "../ocr-page.ts";
import { parseMeeting, REVIEW_THRESHOLD } from "../parser/index.ts";
import { restoreName } from "../parser/names.ts";
import { restoreOrgName, type KnownOrganisation } from "../parser/header.ts";
import { ALL_FIELDS, scoreAnswer, type Scored } from "./confidence.ts";
import { buildIndex } from "./evidence.ts";
import { BEDROCK_LIMITS, fitImage, requireImageHeader, TEXTRACT_LIMITS } from "./images.ts";
import { meetingCost, PRICES } from "./prices.ts";
import { MAX_IMAGES, readMeeting, type ReaderImage, type ReaderResult } from "./reader.ts";
import { decideSignatures } from "./signatures.ts";

export { meetingCost, PRICES, type MeetingUsage, type Prices } from "./prices.ts";
export { ReaderAnswerSchema, toolInputSchema, TOOL_NAME, type ReaderAnswer } from "./answer.ts";
export { readImageHeader, type ImageHeader } from "./images.ts";

export interface CloudExtractOptions {
  /** the Textract engine (TextractEngine), or any OcrEngine giving words with confidences and signature regions */
  textract: OcrEngine;
  bedrock: BedrockRuntimeClient;
  /** e.g. config BEDROCK_MODEL_ID, "apac.anthropic.claude-sonnet-4-20250514-v1:0" */
  modelId: string;
  ruleSet?: RuleSetId;
  /** the cell's member names: names the reader gives are snapped to the member's spelling */
  members?: readonly string[];
  /** the store's names of the cell and its committee: the header's names are snapped to them */
  organisation?: KnownOrganisation;
  history?: readonly Meeting[];
  /** injectable for tests (throttling backoff) */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  prices?: typeof PRICES;
  /** attempts per Converse call when Bedrock throttles; default 5 */
  maxAttempts?: number;
}

export interface CloudExtractResult {
  document: ExtractionDocument;
  /** what Textract read, one OcrPage per image */
  pages: OcrPage[];
  cost: { textractPages: number; inputTokens: number; outputTokens: number; usd: number };
  /** model answers requested: 1, or 2 when the first answer was invalid and a correction was asked for */
  attempts: number;
  /** how the reader ended: answered (valid), invalid (after the correction), refused (no tool call) */
  reader: { outcome: ReaderResult["outcome"]; stopReason: string };
}

/** Pages read by Textract at the same time: its synchronous TPS quota is small. */
const TEXTRACT_CONCURRENCY = 2;
/** A reader that failed leaves the parser's reading of Textract's text, capped below review. */
const FALLBACK_CAP = 0.5;

export async function extractWithBedrock(images: readonly Buffer[], options: CloudExtractOptions): Promise<CloudExtractResult> {
  const started = performance.now();
  if (images.length === 0) {
    throw new InvalidInputError("NO_PAGES", "Không có trang nào để đọc.", "There are no pages to read.");
  }
  if (images.length > MAX_IMAGES) {
    throw new InvalidInputError(
      "TOO_MANY_PAGES",
      `Một biên bản gửi tối đa ${MAX_IMAGES} trang cho bộ đọc trên AWS.`,
      `At most ${MAX_IMAGES} pages of one meeting can be sent to the AWS reader.`,
    );
  }

  const prepared: PreparedPage[] = [];
  const readerImages: ReaderImage[] = [];
  for (const [i, image] of images.entries()) {
    const pageNumber = i + 1;
    const header = requireImageHeader(image, pageNumber);
    const forTextract = await fitImage(image, header, TEXTRACT_LIMITS, pageNumber);
    const forBedrock = await fitImage(image, header, BEDROCK_LIMITS, pageNumber);
    prepared.push({
      pageNumber,
      image: forTextract.bytes,
      width: forTextract.width,
      height: forTextract.height,
      original: image,
      deskewDegrees: 0,
    });
    readerImages.push({ pageNumber, format: forBedrock.format, bytes: forBedrock.bytes });
    log("debug", "bedrock.page", {
      page: pageNumber,
      bytes: image.length,
      width: header.width,
      height: header.height,
      textractConverted: forTextract.converted,
      bedrockConverted: forBedrock.converted,
    });
  }

  // The two services read independently: in parallel.
  const [pages, reading] = await Promise.all([
    recognizePages(options.textract, prepared),
    readMeeting(readerImages, {
      client: options.bedrock,
      modelId: options.modelId,
      ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.random ? { random: options.random } : {}),
    }),
  ]);

  const index = buildIndex(pages);
  const parsed = parseMeeting(pages, { members: options.members, organisation: options.organisation });
  const members = options.members;

  let scored: Scored;
  let readerSignatures: Meeting["signatures"] | undefined;
  if (reading.outcome === "answered") {
    const { evidence, unreadable, ...fields } = reading.answer;
    const meeting = withMemberNames(withOrgNames(fields, options.organisation), members);
    readerSignatures = meeting.signatures;
    scored = scoreAnswer({ meeting: withDuration(meeting), durationGiven: fields.durationMinutes, evidence, unreadable }, index, parsed);
  } else if (reading.outcome === "invalid") {
    // Its fields go to review: what still validates field by field is kept as a suggestion.
    const salvaged = salvage(reading.input);
    const meeting = withMemberNames(withOrgNames(salvaged.meeting, options.organisation), members);
    readerSignatures = meeting.signatures;
    scored = capped(
      scoreAnswer(
        { meeting: withDuration(meeting), durationGiven: salvaged.meeting.durationMinutes, evidence: salvaged.evidence, unreadable: salvaged.unreadable },
        index,
      ),
    );
  } else {
    // No answer at all: what the parser made of Textract's text, every field for a person to check.
    scored = capped({ meeting: parsed.meeting, confidence: { ...parsed.confidence }, review: new Set(parsed.review) });
  }

  const { meeting, confidence, review } = scored;
  const signatures = decideSignatures(pages, readerSignatures);
  meeting.signatures = { chair: signatures.chair.present, secretary: signatures.secretary.present };
  for (const role of ["chair", "secretary"] as const) {
    const field = `signatures.${role}`;
    // without a valid answer the reader's view of the ink is no witness either
    confidence[field] = reading.outcome === "answered" ? signatures[role].confidence : Math.min(signatures[role].confidence, FALLBACK_CAP);
    if (signatures[role].present === null) review.add(field);
  }
  for (const [field, c] of Object.entries(confidence)) if (c < REVIEW_THRESHOLD) review.add(field);

  const document = recheck(
    { meeting: MeetingSchema.parse(meeting), confidence },
    { ruleSet: options.ruleSet, review: [...review], history: options.history },
  );

  const prices = options.prices ?? PRICES;
  const usage = { pages: pages.length, inputTokens: reading.usage.inputTokens, outputTokens: reading.usage.outputTokens };
  const usd = meetingCost(usage, prices);
  log("info", "bedrock.extract", {
    pages: pages.length,
    outcome: reading.outcome,
    stopReason: reading.stopReason,
    attempts: reading.attempts,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    usd,
    reviewFields: document.review.fields.length,
    flags: document.flags.length,
    chairSignature: signatures.chair.basis,
    secretarySignature: signatures.secretary.basis,
    ms: Math.round(performance.now() - started),
  });
  return {
    document,
    pages,
    cost: { textractPages: usage.pages, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, usd },
    attempts: reading.attempts,
    reader: { outcome: reading.outcome, stopReason: reading.stopReason },
  };
}

async function recognizePages(engine: OcrEngine, prepared: readonly PreparedPage[]): Promise<OcrPage[]> {
  const out: OcrPage[] = new Array<OcrPage>(prepared.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < prepared.length) {
      const i = next++;
      const page = prepared[i];
      if (page === undefined) continue;
      const t = performance.now();
      out[i] = await engine.recognize(page);
      log("debug", "textract.page", { page: page.pageNumber, ms: Math.round(performance.now() - t) });
    }
  };
  await Promise.all(Array.from({ length: Math.min(TEXTRACT_CONCURRENCY, prepared.length) }, worker));
  return out;
}

/** durationMinutes follows from the two times (CONTRACT §2), whatever the reader computed. */
function withDuration(meeting: Meeting): Meeting {
  const durationMinutes = meeting.startTime !== null && meeting.endTime !== null ? minutesBetween(meeting.startTime, meeting.endTime) : null;
  return { ...meeting, durationMinutes };
}

/** Names snapped to the member list's spelling when exactly one member fits. */
function withOrgNames(meeting: Meeting, known: KnownOrganisation | undefined): Meeting {
  if (!known) return meeting;
  const restore = (read: string | null, name: string | undefined): string | null => (read === null ? null : restoreOrgName(read, name).name);
  return { ...meeting, partyCommittee: restore(meeting.partyCommittee, known.committee), cellName: restore(meeting.cellName, known.cell) };
}

function withMemberNames(meeting: Meeting, members: readonly string[] | undefined): Meeting {
  if (members === undefined || members.length === 0) return meeting;
  const name = (n: string): string => restoreName(n, members).name;
  const maybe = (n: string | null): string | null => (n === null ? null : name(n));
  return {
    ...meeting,
    chair: maybe(meeting.chair),
    secretary: maybe(meeting.secretary),
    attendance: { ...meeting.attendance, absentees: meeting.attendance.absentees.map((a) => ({ ...a, name: name(a.name) })) },
    superiorAttendees: meeting.superiorAttendees.map(name),
    opinions: meeting.opinions.map((o) => ({ ...o, speaker: name(o.speaker) })),
  };
}

/** The fields of an invalid answer that are valid on their own; the others stay unknown. */
function salvage(input: unknown): { meeting: Meeting; evidence: Record<string, string>; unreadable: string[] } {
  const raw = z.record(z.string(), z.unknown()).safeParse(input);
  const fields = raw.success ? raw.data : {};
  const candidate: Record<string, unknown> = { ...emptyMeeting() };
  for (const [key, schema] of Object.entries(MeetingSchema.shape)) {
    if (key === "attendance") continue;
    const r = schema.safeParse(fields[key]);
    if (r.success) candidate[key] = r.data;
  }
  const rawAttendance = z.record(z.string(), z.unknown()).safeParse(fields.attendance);
  const attendance: Record<string, unknown> = { ...emptyMeeting().attendance };
  if (rawAttendance.success) {
    for (const [key, schema] of Object.entries(AttendanceSchema.shape)) {
      const r = schema.safeParse(rawAttendance.data[key]);
      if (r.success) attendance[key] = r.data;
    }
  }
  candidate.attendance = attendance;
  const meeting = MeetingSchema.safeParse(candidate);
  const evidence = z.record(z.string(), z.string()).safeParse(fields.evidence);
  const unreadable = z.array(z.string()).safeParse(fields.unreadable);
  return {
    meeting: meeting.success ? meeting.data : emptyMeeting(),
    evidence: evidence.success ? evidence.data : {},
    unreadable: unreadable.success ? unreadable.data : [],
  };
}

/** Every confidence under the review threshold and every field listed for review. */
function capped(scored: Scored): Scored {
  const confidence: Record<string, number> = {};
  for (const [field, c] of Object.entries(scored.confidence)) confidence[field] = Math.min(c, FALLBACK_CAP);
  return { meeting: scored.meeting, confidence, review: new Set([...scored.review, ...ALL_FIELDS]) };
}
