/**
 * The extraction use case: the page images of ONE meeting, in order → the extraction document of
 * CONTRACT.md §2. The same function runs behind the CLI, the local server and the ingest Lambda;
 * only the OcrEngine differs.
 *
 * images → preprocess → OcrEngine → OcrPage[] → parser → signatures → criteria → document
 */
import type { RuleSetId } from "../criteria/index.ts";
import { InvalidInputError } from "../errors.ts";
import type { ExtractionDocument, Meeting } from "../meeting/schema.ts";
import { recheck } from "../meetings/recheck.ts";
import type { OcrEngine, PreparedPage } from "./engine.ts";
import type { OcrPage } from "./ocr-page.ts";
import type { KnownOrganisation } from "./parser/header.ts";
import { findSignatureBlock, parseMeeting } from "./parser/index.ts";
import { inspectImage, preprocess, type ImageInfo } from "./preprocess.ts";
import { readPages } from "./read-pages.ts";
import { detectSignatures, signaturesFromRegions, type SignatureDecision } from "./signatures.ts";

/** A field whose confidence is under this goes to review (fields.review). */
export const REVIEW_THRESHOLD = 0.6;

export type Progress = (event: { stage: "preprocess" | "ocr" | "parse" | "signatures" | "criteria"; page?: number; of?: number }) => void;

export interface ExtractOptions {
  engine: OcrEngine;
  ruleSet?: RuleSetId;
  /** the cell's member names, when known: names are restored to their diacritics */
  members?: readonly string[];
  /** the store's names of the cell and its committee: the header's names are restored to them */
  organisation?: KnownOrganisation;
  /** earlier meetings of the cell for cross-meeting rules */
  history?: readonly Meeting[];
  onProgress?: Progress;
  concurrency?: number;
}

export interface ExtractResult {
  document: ExtractionDocument;
  pages: OcrPage[];
  /**
   * preprocessMs and ocrMs: summed over the pages (they overlap in time: pages are prepared and
   * read side by side); readMs: the wall time of both together; analysisMs: parser, signatures and
   * criteria.
   */
  timings: { preprocessMs: number; ocrMs: number; readMs: number; analysisMs: number };
}

export async function extractDocument(images: readonly Buffer[], options: ExtractOptions): Promise<ExtractResult> {
  const progress = options.onProgress ?? (() => {});
  // Every page is looked at (type, size — headers only) before any is read: a meeting with one
  // bad page is refused at once, not after the others' OCR.
  const inspected: ImageInfo[] = [];
  for (const [i, image] of images.entries()) inspected.push(await inspectImage(image).catch((err: unknown) => Promise.reject(ofPage(i + 1, err))));
  const t0 = performance.now();
  // Page n+1 is prepared while page n is read, and Tesseract starts while its page is prepared.
  const { prepared, pages, timings } = await readPages(
    options.engine,
    images.length,
    async (i) => {
      progress({ stage: "preprocess", page: i + 1, of: images.length });
      const page = await preprocess(images[i] as Buffer, i + 1, { inspected: inspected[i] }).catch((err: unknown) => Promise.reject(ofPage(i + 1, err)));
      progress({ stage: "ocr", page: i + 1, of: images.length });
      return page;
    },
    { concurrency: options.concurrency },
  );
  const t1 = performance.now();
  const document = await documentFromOcr(pages, { ...options, prepared });
  return {
    document,
    pages,
    timings: {
      preprocessMs: timings.reduce((s, t) => s + t.prepareMs, 0),
      ocrMs: timings.reduce((s, t) => s + t.recognizeMs, 0),
      readMs: t1 - t0,
      analysisMs: performance.now() - t1,
    },
  };
}

/** A page that cannot be read is named, so that the secretary knows which one to take again. */
function ofPage(n: number, err: unknown): unknown {
  if (!(err instanceof InvalidInputError) || /^Trang \d+/u.test(err.messageVi)) return err;
  return new InvalidInputError(err.code, `Trang ${n}: ${err.messageVi}`, `Page ${n}: ${err.messageEn}`, err.status, { cause: err });
}

/**
 * OCR pages of one meeting → the extraction document: parser, signatures, confidence and review,
 * criteria. With the prepared page images the signature spaces are judged from their ink (and
 * Textract's regions when present); without them (Textract's asynchronous PDF analysis) from
 * Textract's regions only.
 */
export async function documentFromOcr(
  pages: readonly OcrPage[],
  options: Omit<ExtractOptions, "engine" | "concurrency"> & { prepared?: readonly PreparedPage[] },
): Promise<ExtractionDocument> {
  const progress = options.onProgress ?? (() => {});
  progress({ stage: "parse" });
  const parsed = parseMeeting(pages, { members: options.members, organisation: options.organisation });

  progress({ stage: "signatures" });
  const anchors = findSignatureBlock(pages);
  const prepared = options.prepared;
  const found = prepared
    ? await detectSignatures(
        prepared.map((p, i) => ({ prepared: p, ocr: pages[i] ?? emptyPage(p) })),
        anchors,
      )
    : signaturesFromRegions(pages, anchors);

  // Where the heading was not read and its place only inferred from the name row, a blank region
  // may simply be the wrong region: "absent" is then a question for a person, never a finding.
  if (anchors.chair?.inferred && found.chair.present === false) found.chair = { present: null, confidence: 0.3 };
  if (anchors.secretary?.inferred && found.secretary.present === false) found.secretary = { present: null, confidence: 0.3 };
  const meeting: Meeting = { ...parsed.meeting, signatures: { chair: found.chair.present, secretary: found.secretary.present } };
  const confidence: Record<string, number> = { ...parsed.confidence };
  const review = new Set(parsed.review);
  applySignature("signatures.chair", found.chair, confidence, review);
  applySignature("signatures.secretary", found.secretary, confidence, review);
  for (const [field, c] of Object.entries(confidence)) if (c < REVIEW_THRESHOLD) review.add(field);

  progress({ stage: "criteria" });
  return recheck({ meeting, confidence }, { ruleSet: options.ruleSet, review: [...review], history: options.history });
}

function applySignature(field: string, d: SignatureDecision, confidence: Record<string, number>, review: Set<string>): void {
  confidence[field] = d.confidence;
  if (d.present === null) review.add(field);
}

function emptyPage(p: PreparedPage): OcrPage {
  return { pageNumber: p.pageNumber, width: p.width, height: p.height, lines: [], signatures: [], engine: "none" };
}
