/**
 * Preparing and reading the pages of one meeting, overlapped: at most `concurrency` pages in
 * flight, each prepared and then read, so page n+1 is prepared while page n is read; and an engine
 * that can begin before its page is ready (Tesseract: process start and model load) is begun
 * first, so that its set-up runs alongside the preparation. Results come back in page order.
 */
import os from "node:os";
import { OcrError } from "../errors.ts";
import type { OcrEngine, OcrSession, PreparedPage } from "./engine.ts";
import type { OcrPage } from "./ocr-page.ts";

export interface ReadPagesResult {
  prepared: PreparedPage[];
  pages: OcrPage[];
  /** per page: time spent preparing it, and reading it once prepared */
  timings: { prepareMs: number; recognizeMs: number }[];
}

/**
 * The first failure (of a preparation or a reading) cancels the pages still in flight, begins no
 * other, and rejects with that failure.
 */
export async function readPages(
  engine: OcrEngine,
  count: number,
  prepare: (index: number) => Promise<PreparedPage>,
  options: { concurrency?: number; signal?: AbortSignal } = {},
): Promise<ReadPagesResult> {
  const concurrency = Math.max(1, Math.min(options.concurrency ?? os.availableParallelism(), count));
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort();
  options.signal?.addEventListener("abort", onOuterAbort, { once: true });
  if (options.signal?.aborted) controller.abort();

  const prepared = new Array<PreparedPage>(count);
  const pages = new Array<OcrPage>(count);
  const timings = Array.from({ length: count }, () => ({ prepareMs: 0, recognizeMs: 0 }));
  let next = 0;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (failure === undefined && !controller.signal.aborted && next < count) {
      const index = next++;
      let session: OcrSession | undefined;
      try {
        session = engine.begin?.({ signal: controller.signal });
        const t0 = performance.now();
        const page = await prepare(index);
        const t1 = performance.now();
        prepared[index] = page;
        pages[index] = session ? await session.recognize(page) : await engine.recognize(page, { signal: controller.signal });
        timings[index] = { prepareMs: t1 - t0, recognizeMs: performance.now() - t1 };
      } catch (err) {
        session?.cancel();
        if (failure === undefined) failure = err;
        controller.abort();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    options.signal?.removeEventListener("abort", onOuterAbort);
  }
  if (failure !== undefined) throw failure;
  if (controller.signal.aborted) throw new OcrError("OCR_ABORTED", "Nhận dạng chữ đã bị hủy.", "OCR was cancelled.");
  return { prepared, pages, timings };
}
