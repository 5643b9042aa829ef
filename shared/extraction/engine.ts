/**
 * The OcrEngine port. Adapters (tesseract.ts locally, textract.ts in AWS) receive their clients
 * or binaries in the constructor and map vendor output into OcrPage at once.
 */
import type { OcrPage } from "./ocr-page.ts";

/** A page image after preprocessing (preprocess.ts): upright, grayscale, normalised. */
export interface PreparedPage {
  pageNumber: number;
  /**
   * The prepared image's bytes for the engine: a binary PGM (8-bit gray, no encoding cost) from
   * preprocess(), which Tesseract reads as it is; engines that need JPEG or PNG (Textract) encode
   * it with `encodedForService` (preprocess.ts). Other extractors may put JPEG or PNG here.
   */
  image: Buffer;
  width: number;
  height: number;
  /** the original bytes as uploaded (engines with their own limits may prefer them) */
  original: Buffer;
  /** skew angle corrected, in degrees (for diagnostics) */
  deskewDegrees: number;
}

export interface OcrEngine {
  readonly name: string;
  /** Recognise one page. Must reject with OcrError on failure or timeout; never hang. */
  recognize(page: PreparedPage, options?: { signal?: AbortSignal }): Promise<OcrPage>;
  /**
   * Optional: start the engine's own set-up for one page now, before the page is prepared (a
   * local engine's process and model load overlap the preprocessing). The session must be given
   * its page with `recognize` or ended with `cancel`.
   */
  begin?(options?: { signal?: AbortSignal }): OcrSession;
}

/** One page's recognition, begun before its image was ready. */
export interface OcrSession {
  recognize(page: PreparedPage): Promise<OcrPage>;
  cancel(): void;
}
