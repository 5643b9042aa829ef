/**
 * The vision reader: the page images to Amazon Bedrock through the Converse API, with one tool the
 * model is forced to call (toolChoice.tool), whose input schema is generated from the zod answer
 * schema. The answer is validated with that same schema; an invalid answer is sent back once as a
 * toolResult with status "error" and the validation issues, and the corrected answer validated
 * again. A second invalid answer, a refusal, a guardrail or content filter is reported as such:
 * deciding what it means for the meeting is the caller's job.
 *
 * Raw Converse shapes stay in this file. Nothing here logs the model's answer or the page text.
 */
import {
  ConverseCommand,
  type BedrockRuntimeClient,
  type ContentBlock,
  type ConverseCommandOutput,
  type Message,
  type ToolConfiguration,
} from "@aws-sdk/client-bedrock-runtime";
import * as z from "zod";
import { OcrError } from "../../errors.ts";
import { log } from "../../log.ts";
import { ReaderAnswerSchema, SYSTEM_PROMPT, TOOL_DESCRIPTION, TOOL_NAME, toolInputSchema, type ReaderAnswer } from "./answer.ts";
import type { ImageFormat } from "./images.ts";

export interface ReaderImage {
  pageNumber: number;
  format: ImageFormat;
  bytes: Buffer;
}

export interface ReaderOptions {
  client: BedrockRuntimeClient;
  modelId: string;
  /** attempts per Converse call when Bedrock throttles, the first included; default 5 */
  maxAttempts?: number;
  /** output budget of one answer; a long meeting's opinions need room */
  maxTokens?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface ReaderUsage {
  inputTokens: number;
  outputTokens: number;
  /** Converse calls that returned an answer (throttled attempts are not billed and not counted) */
  calls: number;
}

export type ReaderResult =
  /** a valid answer: on the first call (attempts 1) or after one correction (attempts 2) */
  | { outcome: "answered"; answer: ReaderAnswer; attempts: number; usage: ReaderUsage; stopReason: string }
  /** still invalid after the correction: the last input as sent, and what was wrong with it */
  | { outcome: "invalid"; input: unknown; issues: string[]; attempts: number; usage: ReaderUsage; stopReason: string }
  /** no tool call: a refusal in text, a guardrail, a content filter */
  | { outcome: "refused"; attempts: number; usage: ReaderUsage; stopReason: string };

/** Bedrock's errors that mean "slow down or try again shortly". */
const RETRYABLE = new Set(["ThrottlingException", "ServiceUnavailableException", "ModelNotReadyException"]);
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 20_000;
/** Claude's answer with every opinion and its evidence is long; 8k output tokens is ~ 25k characters. */
const DEFAULT_MAX_TOKENS = 8_192;
/** Converse accepts at most 20 images in a request. */
export const MAX_IMAGES = 20;
/** Corrections sent back to the model, at most: the issue grants one retry. */
const MAX_CORRECTIONS = 1;
const MAX_ISSUES_SENT = 40;

/** The parts of a Converse response this code relies on; the SDK's types are promises, this is a check. */
const ConverseAnswerSchema = z.object({
  output: z
    .object({
      message: z.object({
        role: z.string(),
        content: z.array(
          z.looseObject({
            text: z.string().optional(),
            toolUse: z.object({ toolUseId: z.string().min(1), name: z.string(), input: z.unknown() }).optional(),
          }),
        ),
      }),
    })
    .optional(),
  stopReason: z.string(),
  usage: z
    .object({
      inputTokens: z.number().int().min(0),
      outputTokens: z.number().int().min(0),
      totalTokens: z.number().int().min(0).optional(),
    })
    .optional(),
  metrics: z.object({ latencyMs: z.number().min(0) }).optional(),
});

export async function readMeeting(images: readonly ReaderImage[], options: ReaderOptions): Promise<ReaderResult> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const usage: ReaderUsage = { inputTokens: 0, outputTokens: 0, calls: 0 };

  const userTurn: ContentBlock[] = [];
  for (const image of images) {
    userTurn.push({ text: `Page ${image.pageNumber} of ${images.length}:` });
    userTurn.push({ image: { format: image.format, source: { bytes: image.bytes } } });
  }
  userTurn.push({ text: `Read the minutes on these ${images.length} page(s) and record them with ${TOOL_NAME}.` });
  const messages: Message[] = [{ role: "user", content: userTurn }];
  const toolConfig: ToolConfiguration = {
    tools: [{ toolSpec: { name: TOOL_NAME, description: TOOL_DESCRIPTION, inputSchema: { json: toolInputSchema() } } }],
    toolChoice: { tool: { name: TOOL_NAME } },
  };

  for (let attempt = 1; ; attempt++) {
    const started = performance.now();
    const raw = await converse(
      () =>
        options.client.send(
          new ConverseCommand({
            modelId: options.modelId,
            system: [{ text: SYSTEM_PROMPT }],
            messages,
            toolConfig,
            inferenceConfig: { maxTokens: options.maxTokens ?? DEFAULT_MAX_TOKENS, temperature: 0 },
          }),
        ),
      { maxAttempts, sleep, random },
    );
    const parsed = ConverseAnswerSchema.safeParse(raw);
    if (!parsed.success) {
      throw new OcrError(
        "READER_MALFORMED",
        "Phản hồi của mô hình đọc ảnh không đúng định dạng.",
        "The vision reader's response is not in the expected format.",
        { cause: parsed.error },
      );
    }
    const response = parsed.data;
    usage.calls++;
    usage.inputTokens += response.usage?.inputTokens ?? 0;
    usage.outputTokens += response.usage?.outputTokens ?? 0;
    const toolUse = response.output?.message.content.find((b) => b.toolUse?.name === TOOL_NAME)?.toolUse;
    log("info", "bedrock.converse", {
      attempt,
      stopReason: response.stopReason,
      toolUse: toolUse !== undefined,
      inputTokens: response.usage?.inputTokens,
      outputTokens: response.usage?.outputTokens,
      latencyMs: response.metrics?.latencyMs,
      ms: Math.round(performance.now() - started),
    });

    if (toolUse === undefined) {
      // Forced tool use leaves no room for prose: text only, a guardrail or a content filter is a refusal.
      if (response.stopReason !== "max_tokens") return { outcome: "refused", attempts: attempt, usage, stopReason: response.stopReason };
    }

    const checked = toolUse === undefined ? undefined : ReaderAnswerSchema.safeParse(toolUse.input);
    if (checked?.success === true && response.stopReason !== "max_tokens") {
      return { outcome: "answered", answer: checked.data, attempts: attempt, usage, stopReason: response.stopReason };
    }
    const issues =
      response.stopReason === "max_tokens"
        ? ["The answer was cut off at the output limit: keep opinion texts and evidence short (the first sentence)."]
        : checked === undefined
          ? ["No tool call."]
          : (checked.error?.issues ?? []).map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`);
    const assistant = raw.output?.message;
    if (attempt > MAX_CORRECTIONS || toolUse === undefined || assistant === undefined) {
      return { outcome: "invalid", input: toolUse?.input, issues, attempts: attempt, usage, stopReason: response.stopReason };
    }
    // The correction turn: the model's own call, then its result marked as an error with what to fix.
    messages.push(assistant, {
      role: "user",
      content: [
        {
          toolResult: {
            toolUseId: toolUse.toolUseId,
            status: "error",
            content: [{ text: `The input does not match the schema:\n${issues.slice(0, MAX_ISSUES_SENT).join("\n")}` }],
          },
        },
        { text: `Call ${TOOL_NAME} again with the whole corrected answer. Fields you cannot read stay null.` },
      ],
    });
  }
}

/** One Converse call, retried with exponential backoff and jitter when Bedrock throttles. */
async function converse(
  send: () => Promise<ConverseCommandOutput>,
  policy: { maxAttempts: number; sleep: (ms: number) => Promise<void>; random: () => number },
): Promise<ConverseCommandOutput> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      const name = err instanceof Error ? err.name : "";
      if (!RETRYABLE.has(name)) {
        log("warn", "bedrock.error", { code: name || "unknown", attempt });
        throw new OcrError("READER_FAILED", "Mô hình đọc ảnh (Bedrock) báo lỗi.", "The vision reader (Bedrock) returned an error.", {
          cause: err,
        });
      }
      if (attempt >= policy.maxAttempts) {
        log("warn", "bedrock.throttled", { code: name, attempts: attempt });
        throw new OcrError(
          "READER_THROTTLED",
          "Mô hình đọc ảnh đang quá tải; hãy thử lại sau ít phút.",
          "The vision reader is throttling requests; try again in a few minutes.",
          { cause: err },
        );
      }
      // "Equal jitter": at least half the ceiling, so retries never bunch at zero.
      const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
      const delay = Math.round(ceiling / 2 + policy.random() * (ceiling / 2));
      log("info", "bedrock.retry", { code: name, attempt, delayMs: delay });
      await policy.sleep(delay);
    }
  }
}
