/**
 * Tesseract adapter: runs the `tesseract` command line on one prepared page and maps its TSV output
 * into OcrPage at once. Local mode only (the Lambdas use Textract).
 *
 * Why the CLI and not a WASM build: the native binary with the `vie` LSTM model is 3–5× faster
 * than tesseract.js on this hardware, and a child process can be killed on timeout, which a
 * wedged WASM worker in our own process cannot.
 */
import { spawn } from "node:child_process";
import type { OcrEngine, OcrSession, PreparedPage } from "./engine.ts";
import { readPages } from "./read-pages.ts";
import type { OcrLine, OcrPage, OcrWord, Box } from "./ocr-page.ts";
import { DependencyError, OcrError } from "../errors.ts";

/**
 * Page segmentation mode. Measured on rendered minutes-like pages (single column body, a two-column
 * header and a two-column signature block; see the report in test/extraction/engines/psm-compare.ts):
 * psm 4 ("a single column of text of variable sizes") keeps body lines whole and in order, and
 * keeps each signature-block heading as its own word run; psm 3 (automatic) splits the two-column
 * header into separate blocks (good) but sometimes reorders short lines and is slower; psm 6
 * (one uniform block) merges the header columns into one line and loses lines of larger type.
 */
export const DEFAULT_PSM = 4;
export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * A page with this few lines is read a second time as sparse text (psm 11) and the reading with
 * more confident words is kept. The last page of a meeting often holds only the signature block,
 * and on such a page psm 4 can take the headings and the signatures for a picture and read only
 * the names (measured on the corpus: "CHỦ TRÌ" and "THƯ KÝ" lost, so the signatures were
 * "unknown"); psm 11 finds every scattered word. A full page is never read twice.
 */
export const SPARSE_PAGE_LINES = 6;
const SPARSE_PSM = 11;

export interface TesseractOptions {
  binary?: string;
  lang?: string;
  psm?: number;
  /** per page */
  timeoutMs?: number;
  /**
   * OMP_THREAD_LIMIT for the child. Tesseract's LSTM uses OpenMP; with several pages in flight on
   * few cores the threads only contend. Default 1 (measured: see psm-compare.ts); 0 leaves
   * Tesseract's own default (all cores).
   */
  ompThreads?: number;
}

export class TesseractEngine implements OcrEngine {
  readonly name = "tesseract";
  private readonly binary: string;
  private readonly lang: string;
  private readonly psm: number;
  private readonly timeoutMs: number;
  private readonly ompThreads: number;

  constructor(options: TesseractOptions = {}) {
    this.binary = options.binary ?? "tesseract";
    this.lang = options.lang ?? "vie";
    this.psm = options.psm ?? DEFAULT_PSM;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.ompThreads = options.ompThreads ?? 1;
  }

  async recognize(page: PreparedPage, options: { signal?: AbortSignal } = {}): Promise<OcrPage> {
    return this.begin(options).recognize(page);
  }

  /**
   * Starts Tesseract before the page is ready: the process starts and loads its model (~0.15 s)
   * while the caller is still preparing the image, and reads the image from stdin once it comes.
   * The per-page time limit runs from then.
   */
  begin(options: { signal?: AbortSignal } = {}): OcrSession {
    // The image goes in on stdin ("stdin" as input file name) and TSV comes back on stdout
    // ("stdout" as output base): no temporary files to leak or clean up.
    const args = (psm: number): string[] => ["stdin", "stdout", "-l", this.lang, "--psm", String(psm), "tsv"];
    const env = this.ompThreads > 0 ? { ...process.env, OMP_THREAD_LIMIT: String(this.ompThreads) } : process.env;
    const signal = options.signal ? { signal: options.signal } : {};
    const child = startProcess(this.binary, args(this.psm), { env, ...signal });
    return {
      recognize: async (page) => {
        const { stdout } = await child.feed(page.image, this.timeoutMs);
        const read = parseTsv(stdout, page.pageNumber, page.width, page.height);
        if (this.psm === SPARSE_PSM || read.lines.length > SPARSE_PAGE_LINES) return read;
        const sparse = await runProcess(this.binary, args(SPARSE_PSM), { input: page.image, env, timeoutMs: this.timeoutMs, ...signal });
        const again = parseTsv(sparse.stdout, page.pageNumber, page.width, page.height);
        return confidentWords(again) > confidentWords(read) ? again : read;
      },
      cancel: () => child.kill(),
    };
  }
}

const TSV_COLUMNS = [
  "level",
  "page_num",
  "block_num",
  "par_num",
  "line_num",
  "word_num",
  "left",
  "top",
  "width",
  "height",
  "conf",
  "text",
] as const;

/** Tesseract TSV → OcrPage. Exported for tests; rows that do not parse are skipped, never trusted. */
export function parseTsv(tsv: string, pageNumber: number, width: number, height: number): OcrPage {
  const lines = new Map<string, OcrWord[]>();
  const rows = tsv.split("\n");
  const header = rows[0]?.split("\t") ?? [];
  if (TSV_COLUMNS.some((c, i) => header[i] !== c)) {
    throw new OcrError(
      "OCR_FAILED",
      "Kết quả nhận dạng chữ không đúng định dạng.",
      "The OCR output is not in the expected format.",
    );
  }
  for (const row of rows.slice(1)) {
    const cells = row.split("\t");
    if (cells.length < TSV_COLUMNS.length) continue;
    const [level, , block, par, line, , left, top, w, h, conf] = cells.slice(0, 11).map(Number);
    // the text column may itself contain tabs only in theory; keep everything after column 11
    const text = cells.slice(11).join("\t").trim();
    // level 5 = word; conf -1 marks structural rows and empty words
    if (level !== 5 || conf === undefined || conf < 0 || text === "") continue;
    if ([left, top, w, h].some((v) => v === undefined || !Number.isFinite(v))) continue;
    const box = normaliseBox(left ?? 0, top ?? 0, w ?? 0, h ?? 0, width, height);
    const key = `${block}.${par}.${line}`;
    const words = lines.get(key) ?? [];
    words.push({ text, box, confidence: clamp01(conf / 100) });
    lines.set(key, words);
  }
  const ocrLines: OcrLine[] = [...lines.values()].map((words) => ({
    text: words.map((w) => w.text).join(" "),
    box: unionBox(words.map((w) => w.box)),
    confidence: words.reduce((s, w) => s + w.confidence, 0) / words.length,
    words,
  }));
  return { pageNumber, width, height, lines: ocrLines, signatures: [], engine: "tesseract" };
}

/** Words of two or more letters or figures read with confidence: how much of a page was read. */
function confidentWords(page: OcrPage): number {
  return page.lines.reduce((n, l) => n + l.words.filter((w) => w.confidence >= 0.6 && /[\p{L}\p{N}]{2}/u.test(w.text)).length, 0);
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}

function normaliseBox(left: number, top: number, w: number, h: number, pageW: number, pageH: number): Box {
  const l = clamp01(left / pageW);
  const t = clamp01(top / pageH);
  return { left: l, top: t, width: Math.min(1 - l, Math.max(0, w / pageW)), height: Math.min(1 - t, Math.max(0, h / pageH)) };
}

export function unionBox(boxes: readonly Box[]): Box {
  const left = Math.min(...boxes.map((b) => b.left));
  const top = Math.min(...boxes.map((b) => b.top));
  const right = Math.max(...boxes.map((b) => b.left + b.width));
  const bottom = Math.max(...boxes.map((b) => b.top + b.height));
  return { left, top, width: right - left, height: bottom - top };
}

const notInstalled = (binary: string, cause?: unknown): DependencyError =>
  new DependencyError(
    "TESSERACT_NOT_INSTALLED",
    `Không tìm thấy chương trình nhận dạng chữ Tesseract (${binary}). Hãy cài tesseract-ocr và gói tiếng Việt (tesseract-ocr-vie).`,
    `The Tesseract OCR program (${binary}) was not found. Install tesseract-ocr and its Vietnamese data (tesseract-ocr-vie).`,
    { cause },
  );

interface StartedProcess {
  /** Writes the input to stdin, closes it, and waits for the exit: stdout, or an OcrError. */
  feed(input: Buffer | undefined, timeoutMs: number): Promise<{ stdout: string }>;
  /** Kills the process (and its group) if it still runs; a pending feed rejects. */
  kill(): void;
}

/**
 * Starts a child process in its own process group, so that on timeout, abort or kill the whole
 * group goes (a wrapper script's children included): nothing is left running behind a rejected
 * promise. stdout is collected; stderr only as a short tail for diagnostics (Tesseract never puts
 * page text there).
 */
function startProcess(binary: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; signal?: AbortSignal }): StartedProcess {
  let settle!: (err: Error | null, value?: { stdout: string }) => void;
  const done = new Promise<{ stdout: string }>((resolve, reject) => {
    settle = (err, value) => (err ? reject(err) : resolve(value as { stdout: string }));
  });
  // A process killed before it was fed has nobody waiting on it.
  done.catch(() => undefined);
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  const finish = (err: Error | null, value?: { stdout: string }): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
    settle(err, value);
  };
  if (options.signal?.aborted) {
    finish(aborted());
    return { feed: () => done, kill: () => undefined };
  }
  const child = spawn(binary, args, { env: options.env ?? process.env, stdio: ["pipe", "pipe", "pipe"], detached: true });
  const killGroup = (): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  const onAbort = (): void => {
    killGroup();
    finish(aborted());
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });

  const out: Buffer[] = [];
  let errTail = "";
  child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => {
    errTail = (errTail + chunk.toString("utf8")).slice(-500);
  });
  child.on("error", (err: NodeJS.ErrnoException) => {
    finish(err.code === "ENOENT" || err.code === "EACCES" ? notInstalled(binary, err) : ocrFailed(err));
  });
  child.on("close", (code, signal) => {
    if (code === 0) finish(null, { stdout: Buffer.concat(out).toString("utf8") });
    else finish(ocrFailed(new Error(`exit ${code ?? signal}: ${errTail.trim()}`)));
  });
  // A child that exits before reading all of stdin closes the pipe: that is reported by "close".
  child.stdin.on("error", () => undefined);

  return {
    feed(input, timeoutMs) {
      if (!settled) {
        timer = setTimeout(() => {
          killGroup();
          finish(
            new OcrError(
              "OCR_TIMEOUT",
              `Nhận dạng chữ một trang vượt quá ${Math.round(timeoutMs / 1000)} giây và đã bị dừng.`,
              `OCR of one page took longer than ${Math.round(timeoutMs / 1000)} s and was stopped.`,
            ),
          );
        }, timeoutMs);
        child.stdin.end(input);
      }
      return done;
    },
    kill() {
      killGroup();
      finish(aborted());
    },
  };
}

/** Runs a child process to its end with the given input. */
function runProcess(binary: string, args: readonly string[], options: { input?: Buffer; env?: NodeJS.ProcessEnv; timeoutMs: number; signal?: AbortSignal }): Promise<{ stdout: string }> {
  return startProcess(binary, args, options).feed(options.input, options.timeoutMs);
}

const ocrFailed = (cause?: unknown): OcrError =>
  new OcrError("OCR_FAILED", "Nhận dạng chữ thất bại với trang này.", "OCR failed on this page.", { cause });

const aborted = (): OcrError =>
  new OcrError("OCR_ABORTED", "Nhận dạng chữ đã bị hủy.", "OCR was cancelled.");

export type TesseractCheck =
  | { ok: true; version: string; langs: string[] }
  | { ok: false; reason: "NOT_INSTALLED" | "NO_VIETNAMESE" };

/** Is Tesseract installed, and does it have the Vietnamese model? For start-up checks and `doctor`. */
export async function checkTesseract(binary = "tesseract"): Promise<TesseractCheck> {
  let versionOut: string;
  let langsOut: string;
  try {
    versionOut = (await runProcess(binary, ["--version"], { timeoutMs: 10_000 })).stdout;
    langsOut = (await runProcess(binary, ["--list-langs"], { timeoutMs: 10_000 })).stdout;
  } catch {
    return { ok: false, reason: "NOT_INSTALLED" };
  }
  const version = /tesseract\s+v?([\d.]+\S*)/i.exec(versionOut)?.[1];
  if (version === undefined) return { ok: false, reason: "NOT_INSTALLED" };
  const langs = langsOut
    .split("\n")
    .slice(1) // "List of available languages in ..."
    .map((l) => l.trim())
    .filter((l) => /^[\w-]+$/.test(l));
  if (!langs.includes("vie")) return { ok: false, reason: "NO_VIETNAMESE" };
  return { ok: true, version, langs };
}

/**
 * Recognise pages concurrently, at most `concurrency` at a time, results in page order. The first
 * failure cancels the pages still running and rejects with that failure.
 */
export async function recognizeAll(
  engine: OcrEngine,
  pages: readonly PreparedPage[],
  options: { concurrency?: number; signal?: AbortSignal } = {},
): Promise<OcrPage[]> {
  const { pages: read } = await readPages(engine, pages.length, (i) => Promise.resolve(pages[i] as PreparedPage), options);
  return read;
}
