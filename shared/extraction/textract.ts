/**
 * Amazon Textract adapter. Textract's blocks are mapped into OcrPage here and nowhere else: no
 * Textract type leaves this file.
 *
 * - One page image: AnalyzeDocument (synchronous) with SIGNATURES and LAYOUT on the prepared PNG,
 *   so that its geometry matches the pixels the signature detector looks at.
 * - A PDF or multi-page TIFF already in S3: startAnalysis → (SNS notification) → getAnalysisPages.
 *
 * The response is validated with zod before use: the SDK's types say what the service promises,
 * the schema says what this code relies on.
 */
import {
  AnalyzeDocumentCommand,
  GetDocumentAnalysisCommand,
  StartDocumentAnalysisCommand,
  type TextractClient,
} from "@aws-sdk/client-textract";
import * as z from "zod";
import type { OcrEngine, PreparedPage } from "./engine.ts";
import { encodedForService } from "./preprocess.ts";
import type { Box, OcrLine, OcrPage, SignatureRegion } from "./ocr-page.ts";
import { InvalidInputError, OcrError } from "../errors.ts";

/** Textract's features we pay for: signatures (the compliance check) and layout (reading order). */
const FEATURES = ["SIGNATURES", "LAYOUT"] as const;

/** Synchronous AnalyzeDocument accepts at most 10 MB of bytes. */
const MAX_SYNC_BYTES = 10 * 1024 * 1024;

/**
 * Error names that mean "slow down", retried here. Note the SDK client retries these too (3
 * attempts in its default "standard" mode); build the client with `maxAttempts: 1` to let this
 * adapter own the policy, or accept that the two multiply.
 */
const THROTTLING = new Set(["ThrottlingException", "ProvisionedThroughputExceededException", "LimitExceededException"]);

const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 8_000;

/**
 * Page size reported for pages of an asynchronous job, whose pixels we never see: A4 at 150 dpi.
 * Only used to fill OcrPage.width/height; all coordinates are fractions and do not depend on it.
 */
const NOMINAL_PAGE = { width: 1240, height: 1754 } as const;

const BoundingBoxSchema = z.object({
  Width: z.number(),
  Height: z.number(),
  Left: z.number(),
  Top: z.number(),
});

const BlockSchema = z.object({
  BlockType: z.string(),
  Id: z.string(),
  Confidence: z.number().min(0).max(100).optional(),
  Text: z.string().optional(),
  Page: z.number().int().min(1).optional(),
  Geometry: z.object({ BoundingBox: BoundingBoxSchema }).optional(),
  Relationships: z.array(z.object({ Type: z.string().optional(), Ids: z.array(z.string()).optional() })).optional(),
});
type Block = z.infer<typeof BlockSchema>;

const AnalyzeResponseSchema = z.object({
  Blocks: z.array(BlockSchema).default([]),
  DocumentMetadata: z.object({ Pages: z.number().int().min(0).optional() }).optional(),
});

const AnalysisPageSchema = z.object({
  JobStatus: z.enum(["IN_PROGRESS", "SUCCEEDED", "FAILED", "PARTIAL_SUCCESS"]),
  NextToken: z.string().optional(),
  Blocks: z.array(BlockSchema).default([]),
  DocumentMetadata: z.object({ Pages: z.number().int().min(0).optional() }).optional(),
  Warnings: z.array(z.object({ ErrorCode: z.string().optional(), Pages: z.array(z.number()).optional() })).optional(),
});

const StartResponseSchema = z.object({ JobId: z.string().min(1) });

export interface TextractEngineOptions {
  client: TextractClient;
  /** attempts per call including the first, when Textract throttles; default 5 */
  maxAttempts?: number;
  /** default bucket for startAnalysis */
  s3?: { bucket: string };
  /** injectable for tests */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface S3Location {
  bucket?: string;
  key: string;
}

export class TextractEngine implements OcrEngine {
  readonly name = "textract";
  private readonly client: TextractClient;
  private readonly maxAttempts: number;
  private readonly bucket: string | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(options: TextractEngineOptions) {
    this.client = options.client;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.bucket = options.s3?.bucket;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  async recognize(page: PreparedPage, options: { signal?: AbortSignal } = {}): Promise<OcrPage> {
    const bytes = await encodedForService(page);
    if (bytes.length > MAX_SYNC_BYTES) {
      throw new InvalidInputError(
        "IMAGE_TOO_LARGE",
        "Ảnh trang đã xử lý vượt quá 10 MB, giới hạn của dịch vụ nhận dạng.",
        "The prepared page image exceeds 10 MB, the OCR service's limit.",
        413,
      );
    }
    const raw = await this.call(
      () =>
        this.client.send(
          new AnalyzeDocumentCommand({ Document: { Bytes: bytes }, FeatureTypes: [...FEATURES] }),
          options.signal ? { abortSignal: options.signal } : {},
        ),
      options.signal,
    );
    const parsed = AnalyzeResponseSchema.safeParse(raw);
    if (!parsed.success) throw malformed(parsed.error);
    // A single image is one Textract page, numbered 1; it becomes our page.pageNumber.
    const [ocr] = mapBlocks(parsed.data.Blocks, 1, () => ({ width: page.width, height: page.height }));
    if (ocr === undefined) throw malformed();
    return { ...ocr, pageNumber: page.pageNumber };
  }

  /** Starts asynchronous analysis of a PDF or multi-page TIFF in S3; returns the job id. */
  /**
   * `tag` names the job in its completion notification (JobTag) and makes the start idempotent
   * (ClientRequestToken): the same upload started twice is one job.
   */
  async startAnalysis(location: S3Location, snsTopicArn?: string, roleArn?: string, tag?: string): Promise<string> {
    const bucket = location.bucket ?? this.bucket;
    if (bucket === undefined) {
      throw new InvalidInputError(
        "BAD_CONFIG",
        "Chưa cấu hình bucket S3 cho nhận dạng tài liệu nhiều trang.",
        "No S3 bucket is configured for multi-page document analysis.",
        500,
      );
    }
    if ((snsTopicArn === undefined) !== (roleArn === undefined)) {
      throw new InvalidInputError(
        "BAD_CONFIG",
        "Thông báo SNS cần cả ARN của chủ đề và ARN của vai trò.",
        "An SNS notification needs both the topic ARN and the role ARN.",
        500,
      );
    }
    const raw = await this.call(() =>
      this.client.send(
        new StartDocumentAnalysisCommand({
          DocumentLocation: { S3Object: { Bucket: bucket, Name: location.key } },
          FeatureTypes: [...FEATURES],
          ...(tag !== undefined ? { JobTag: tag, ClientRequestToken: tag } : {}),
          ...(snsTopicArn !== undefined && roleArn !== undefined
            ? { NotificationChannel: { SNSTopicArn: snsTopicArn, RoleArn: roleArn } }
            : {}),
        }),
      ),
    );
    const parsed = StartResponseSchema.safeParse(raw);
    if (!parsed.success) throw malformed(parsed.error);
    return parsed.data.JobId;
  }

  /**
   * All pages of a finished job, in page order (every page of the document, empty ones included).
   * Rejects while the job runs (OCR_NOT_READY), when it failed (OCR_FAILED) or only partly
   * succeeded (OCR_PARTIAL): a meeting read with pages missing would be checked wrongly.
   */
  async getAnalysisPages(
    jobId: string,
    options: { pageSize?: (pageNumber: number) => { width: number; height: number } } = {},
  ): Promise<OcrPage[]> {
    const blocks: Block[] = [];
    let pageCount = 0;
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const raw = await this.call(() =>
        this.client.send(
          new GetDocumentAnalysisCommand({ JobId: jobId, ...(token !== undefined ? { NextToken: token } : {}) }),
        ),
      );
      const parsed = AnalysisPageSchema.safeParse(raw);
      if (!parsed.success) throw malformed(parsed.error);
      const response = parsed.data;
      if (response.JobStatus === "IN_PROGRESS") {
        throw new OcrError(
          "OCR_NOT_READY",
          "Dịch vụ nhận dạng vẫn đang xử lý tài liệu.",
          "The OCR service is still processing the document.",
        );
      }
      if (response.JobStatus === "FAILED") {
        throw new OcrError("OCR_FAILED", "Dịch vụ nhận dạng không xử lý được tài liệu.", "The OCR service failed to process the document.");
      }
      if (response.JobStatus === "PARTIAL_SUCCESS") {
        const pages = (response.Warnings ?? []).flatMap((w) => w.Pages ?? []);
        const list = pages.length > 0 ? pages.join(", ") : "?";
        throw new OcrError(
          "OCR_PARTIAL",
          `Dịch vụ nhận dạng chỉ đọc được một phần tài liệu (lỗi ở trang ${list}).`,
          `The OCR service read only part of the document (failed pages: ${list}).`,
        );
      }
      pageCount = Math.max(pageCount, response.DocumentMetadata?.Pages ?? 0);
      blocks.push(...response.Blocks);
      nextToken = response.NextToken;
    } while (nextToken !== undefined);
    const sizeOf = options.pageSize ?? (() => NOMINAL_PAGE);
    return mapBlocks(blocks, pageCount, sizeOf);
  }

  /** One Textract call with retries on throttling: exponential backoff with full jitter. */
  private async call<T>(send: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await send();
      } catch (err) {
        const name = err instanceof Error ? err.name : "";
        if (signal?.aborted) throw new OcrError("OCR_ABORTED", "Nhận dạng chữ đã bị hủy.", "OCR was cancelled.", { cause: err });
        if (!THROTTLING.has(name)) {
          throw new OcrError("OCR_FAILED", "Dịch vụ nhận dạng Textract báo lỗi.", "The Textract OCR service returned an error.", {
            cause: err,
          });
        }
        if (attempt >= this.maxAttempts) {
          throw new OcrError(
            "OCR_THROTTLED",
            "Dịch vụ nhận dạng đang quá tải; hãy thử lại sau ít phút.",
            "The OCR service is throttling requests; try again in a few minutes.",
            { cause: err },
          );
        }
        const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
        await this.sleep(Math.round(this.random() * ceiling));
      }
    }
  }
}

const malformed = (cause?: unknown): OcrError =>
  new OcrError(
    "OCR_FAILED",
    "Phản hồi của dịch vụ nhận dạng không đúng định dạng.",
    "The OCR service's response is not in the expected format.",
    { cause },
  );

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

function toBox(block: Block): Box | undefined {
  const bb = block.Geometry?.BoundingBox;
  if (bb === undefined) return undefined;
  // Textract can return a hair outside the page (e.g. Left −0.0003) for marks at the edge.
  const left = clamp01(bb.Left);
  const top = clamp01(bb.Top);
  return { left, top, width: clamp01(Math.min(bb.Width, 1 - left)), height: clamp01(Math.min(bb.Height, 1 - top)) };
}

function childIds(block: Block): string[] {
  return (block.Relationships ?? []).filter((r) => r.Type === "CHILD").flatMap((r) => r.Ids ?? []);
}

/**
 * Textract blocks → one OcrPage per page 1..pageCount (pages Textract returned blocks for beyond
 * pageCount are kept too). Lines keep the order Textract returns them in (reading order); each
 * line's words are its CHILD WORD blocks.
 */
function mapBlocks(
  blocks: readonly Block[],
  pageCount: number,
  sizeOf: (pageNumber: number) => { width: number; height: number },
): OcrPage[] {
  const byId = new Map(blocks.map((b) => [b.Id, b]));
  const maxPage = Math.max(pageCount, 1, ...blocks.map((b) => b.Page ?? 1));
  const pages: OcrPage[] = [];
  for (let n = 1; n <= maxPage; n++) {
    const onPage = blocks.filter((b) => (b.Page ?? 1) === n);
    const lines: OcrLine[] = [];
    for (const line of onPage.filter((b) => b.BlockType === "LINE")) {
      const box = toBox(line);
      if (box === undefined) continue;
      const words = childIds(line)
        .map((id) => byId.get(id))
        .filter((b): b is Block => b !== undefined && b.BlockType === "WORD")
        .flatMap((w) => {
          const wordBox = toBox(w);
          return wordBox === undefined ? [] : [{ text: w.Text ?? "", box: wordBox, confidence: clamp01((w.Confidence ?? 0) / 100) }];
        });
      lines.push({
        text: line.Text ?? words.map((w) => w.text).join(" "),
        box,
        confidence: clamp01((line.Confidence ?? 0) / 100),
        words,
      });
    }
    const signatures: SignatureRegion[] = onPage
      .filter((b) => b.BlockType === "SIGNATURE")
      .flatMap((b) => {
        const box = toBox(b);
        return box === undefined ? [] : [{ box, confidence: clamp01((b.Confidence ?? 0) / 100), source: "textract" as const }];
      });
    const { width, height } = sizeOf(n);
    pages.push({ pageNumber: n, width, height, lines, signatures, engine: "textract" });
  }
  return pages;
}
