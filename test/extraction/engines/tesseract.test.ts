import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { TesseractEngine, checkTesseract, parseTsv, recognizeAll } from "../../../shared/extraction/tesseract.ts";
import { preprocess } from "../../../shared/extraction/preprocess.ts";
import type { OcrEngine, PreparedPage } from "../../../shared/extraction/engine.ts";
import type { OcrPage } from "../../../shared/extraction/ocr-page.ts";
import { OcrPageSchema } from "../../../shared/extraction/ocr-page.ts";
import { DependencyError, OcrError } from "../../../shared/errors.ts";
import { renderPage, textSvg } from "./render.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "bienban-tess-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function script(name: string, body: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

const blankPage = (pageNumber = 1): PreparedPage => ({
  pageNumber,
  image: Buffer.from("not read by fake binaries"),
  width: 100,
  height: 100,
  original: Buffer.alloc(0),
  deskewDegrees: 0,
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function eventuallyDead(pid: number): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe("TesseractEngine with the real tesseract", () => {
  it("reads a rendered Vietnamese line into words with page-relative boxes", async () => {
    const png = await renderPage(
      1400,
      300,
      textSvg([{ text: "Biên bản đã được thông qua trước chi bộ.", x: 60, y: 170, size: 56 }]),
    );
    const page = await preprocess(png, 3);
    const ocr = await new TesseractEngine().recognize(page);
    expect(OcrPageSchema.parse(ocr)).toEqual(ocr);
    expect(ocr).toMatchObject({ pageNumber: 3, width: page.width, height: page.height, engine: "tesseract" });
    expect(ocr.lines).toHaveLength(1);
    const words = ocr.lines[0]?.words ?? [];
    const texts = words.map((w) => w.text.normalize("NFC"));
    for (const expected of ["Biên", "bản", "được", "thông", "qua", "trước"]) expect(texts).toContain(expected);
    for (const w of words) {
      expect(w.box.left).toBeGreaterThanOrEqual(0);
      expect(w.box.top).toBeGreaterThanOrEqual(0);
      expect(w.box.left + w.box.width).toBeLessThanOrEqual(1);
      expect(w.box.top + w.box.height).toBeLessThanOrEqual(1);
      expect(w.box.width).toBeGreaterThan(0);
      expect(w.confidence).toBeGreaterThan(0.6);
      expect(w.confidence).toBeLessThanOrEqual(1);
    }
    // words run left to right on one text line around the middle of the image (y 170 of 300 baseline)
    const lefts = words.map((w) => w.box.left);
    expect(lefts).toEqual([...lefts].sort((a, b) => a - b));
    const line = ocr.lines[0];
    expect(line?.box.top).toBeGreaterThan(0.25);
    expect((line?.box.top ?? 0) + (line?.box.height ?? 0)).toBeLessThan(0.75);
    expect(line?.box.left).toBeLessThan(0.1);
  });

  it("checkTesseract finds the installed version and the Vietnamese model", async () => {
    const check = await checkTesseract();
    expect(check.ok).toBe(true);
    if (check.ok) {
      expect(check.version).toMatch(/^\d+\.\d+/);
      expect(check.langs).toContain("vie");
    }
  });
});

describe("TesseractEngine failure modes", () => {
  it("kills a page that runs past its time limit, with everything it started", async () => {
    const pidFile = path.join(dir, "sleeper.pid");
    const childPidFile = path.join(dir, "sleeper-child.pid");
    const slow = await script("slow-tesseract", `echo $$ > ${pidFile}\nsleep 30 &\necho $! > ${childPidFile}\nwait`);
    const t0 = performance.now();
    const err = await rejection(new TesseractEngine({ binary: slow, timeoutMs: 400 }).recognize(blankPage()));
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(err).toBeInstanceOf(OcrError);
    expect(err).toMatchObject({ code: "OCR_TIMEOUT", status: 502 });
    const pid = Number(await readFile(pidFile, "utf8"));
    const childPid = Number(await readFile(childPidFile, "utf8"));
    expect(await eventuallyDead(pid)).toBe(true);
    expect(await eventuallyDead(childPid)).toBe(true);
  });

  it("stops when the caller aborts", async () => {
    const pidFile = path.join(dir, "aborted.pid");
    const slow = await script("abortable-tesseract", `echo $$ > ${pidFile}\nexec sleep 30`);
    const controller = new AbortController();
    const pending = new TesseractEngine({ binary: slow }).recognize(blankPage(), { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 300));
    controller.abort();
    const err = await rejection(pending);
    expect(err).toMatchObject({ code: "OCR_ABORTED" });
    expect(await eventuallyDead(Number(await readFile(pidFile, "utf8")))).toBe(true);
  });

  it("begins before the page is ready, counts the time limit from the page, and cancel kills it", async () => {
    const pidFile = path.join(dir, "early.pid");
    const startedFile = path.join(dir, "early.started");
    // reads its page from stdin only after a start-up longer than the time limit
    const early = await script(
      "early-tesseract",
      `echo $$ > ${pidFile}\ndate +%s%N > ${startedFile}\ncat > /dev/null\nprintf 'level\\tpage_num\\tblock_num\\tpar_num\\tline_num\\tword_num\\tleft\\ttop\\twidth\\theight\\tconf\\ttext\\n5\\t1\\t1\\t1\\t1\\t1\\t10\\t10\\t20\\t10\\t90\\tBIÊN\\n'`,
    );
    const engine = new TesseractEngine({ binary: early, timeoutMs: 400 });
    const session = engine.begin();
    // the process is there before any page is given to it
    for (let i = 0; i < 40 && (await readFile(startedFile, "utf8").catch(() => "")) === ""; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await readFile(startedFile, "utf8")).not.toBe("");
    await new Promise((r) => setTimeout(r, 600)); // longer than the limit: the wait for the page does not count
    const page = await session.recognize(blankPage(4));
    expect(page.pageNumber).toBe(4);
    expect(page.lines.map((l) => l.text)).toEqual(["BIÊN"]);

    const waitingPidFile = path.join(dir, "waiting.pid");
    const waiting = await script("waiting-tesseract", `echo $$ > ${waitingPidFile}\nexec sleep 30`);
    const cancelled = new TesseractEngine({ binary: waiting }).begin();
    for (let i = 0; i < 40 && !(await readFile(waitingPidFile, "utf8").catch(() => "")).trim(); i++) await new Promise((r) => setTimeout(r, 25));
    const pid = Number(await readFile(waitingPidFile, "utf8"));
    expect(isAlive(pid)).toBe(true);
    cancelled.cancel();
    expect(await eventuallyDead(pid)).toBe(true);
    expect(await rejection(cancelled.recognize(blankPage()))).toMatchObject({ code: "OCR_ABORTED" });
  });

  it("reads a page of a few lines again as sparse text and keeps the reading with more words", async () => {
    const header = "level\\tpage_num\\tblock_num\\tpar_num\\tline_num\\tword_num\\tleft\\ttop\\twidth\\theight\\tconf\\ttext\\n";
    const word = (line: number, left: number, text: string) => `5\\t1\\t${line}\\t1\\t1\\t1\\t${left}\\t${line * 20}\\t30\\t10\\t93\\t${text}\\n`;
    const calls = path.join(dir, "sparse.calls");
    // psm 4 finds only the names; psm 11 finds the headings too
    const fake = await script(
      "sparse-tesseract",
      `cat > /dev/null\necho "$6" >> ${calls}\nif [ "$6" = "11" ]; then printf '${header}${word(1, 10, "CHỦ")}${word(2, 10, "TRÌ")}${word(3, 60, "THƯ")}${word(4, 60, "KÝ")}${word(5, 10, "Phan")}'; else printf '${header}${word(5, 10, "Phan")}'; fi`,
    );
    const page = await new TesseractEngine({ binary: fake }).recognize(blankPage());
    expect(page.lines.map((l) => l.text)).toEqual(["CHỦ", "TRÌ", "THƯ", "KÝ", "Phan"]);
    expect((await readFile(calls, "utf8")).trim().split("\n")).toEqual(["4", "11"]);

    // a full page is read once
    const fullCalls = path.join(dir, "full.calls");
    const lines = Array.from({ length: 8 }, (_, i) => word(i + 1, 10, `dòng${i}`)).join("");
    const full = await script("full-tesseract", `cat > /dev/null\necho "$6" >> ${fullCalls}\nprintf '${header}${lines}'`);
    expect((await new TesseractEngine({ binary: full }).recognize(blankPage())).lines).toHaveLength(8);
    expect((await readFile(fullCalls, "utf8")).trim().split("\n")).toEqual(["4"]);
  });

  it("reports a missing binary as a dependency problem", async () => {
    const err = await rejection(new TesseractEngine({ binary: path.join(dir, "no-such-tesseract") }).recognize(blankPage()));
    expect(err).toBeInstanceOf(DependencyError);
    expect(err).toMatchObject({ code: "TESSERACT_NOT_INSTALLED", status: 503 });
    expect(await checkTesseract(path.join(dir, "no-such-tesseract"))).toEqual({ ok: false, reason: "NOT_INSTALLED" });
  });

  it("reports a crashing binary as OCR_FAILED", async () => {
    const crash = await script("crash-tesseract", "echo 'Error in pixReadMem' >&2\nexit 1");
    const err = await rejection(new TesseractEngine({ binary: crash }).recognize(blankPage()));
    expect(err).toBeInstanceOf(OcrError);
    expect(err).toMatchObject({ code: "OCR_FAILED" });
  });

  it("tells a Tesseract without Vietnamese from a missing one", async () => {
    const noVie = await script(
      "eng-only-tesseract",
      `case "$1" in --version) echo "tesseract 5.3.0";; --list-langs) printf 'List of available languages in "/x/" (2):\\neng\\nosd\\n';; esac`,
    );
    expect(await checkTesseract(noVie)).toEqual({ ok: false, reason: "NO_VIETNAMESE" });
  });
});

describe("parseTsv", () => {
  const header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext";
  it("groups words by block/paragraph/line, skips structural rows and empty words", () => {
    const tsv = [
      header,
      "1\t1\t0\t0\t0\t0\t0\t0\t1000\t500\t-1\t",
      "4\t1\t1\t1\t1\t0\t100\t50\t400\t40\t-1\t",
      "5\t1\t1\t1\t1\t1\t100\t50\t150\t40\t96.5\tTHƯ",
      "5\t1\t1\t1\t1\t2\t260\t52\t100\t38\t91\tKÝ",
      "5\t1\t1\t1\t1\t3\t380\t52\t10\t38\t-1\t ",
      "5\t1\t2\t1\t1\t1\t600\t50\t200\t40\t88\tCHỦ",
      "5\t1\t2\t1\t1\t2\t820\t50\t150\t40\t0\tTRÌ",
      "",
    ].join("\n");
    const page = parseTsv(tsv, 2, 1000, 500);
    expect(page.lines.map((l) => l.text)).toEqual(["THƯ KÝ", "CHỦ TRÌ"]);
    expect(page.lines[0]?.words[0]).toEqual({ text: "THƯ", box: { left: 0.1, top: 0.1, width: 0.15, height: 0.08 }, confidence: 0.965 });
    const box = page.lines[0]?.box;
    expect(box?.left).toBeCloseTo(0.1);
    expect(box?.top).toBeCloseTo(0.1);
    expect(box?.width).toBeCloseTo(0.26);
    expect(box?.height).toBeCloseTo(0.08);
    expect(page.lines[1]?.confidence).toBeCloseTo(0.44);
  });
  it("rejects output that is not Tesseract TSV", () => {
    expect(() => parseTsv("hello\nworld", 1, 10, 10)).toThrow(OcrError);
  });
});

describe("recognizeAll", () => {
  const fake = (delays: number[], failAt?: number): { engine: OcrEngine; maxInFlight: () => number; aborted: number[] } => {
    let inFlight = 0;
    let max = 0;
    const aborted: number[] = [];
    const engine: OcrEngine = {
      name: "fake",
      recognize: (page, options) =>
        new Promise<OcrPage>((resolve, reject) => {
          inFlight++;
          max = Math.max(max, inFlight);
          let settled = false;
          const timer = setTimeout(() => {
            settled = true;
            inFlight--;
            if (page.pageNumber === failAt) reject(new OcrError("OCR_FAILED", "x", "x"));
            else resolve({ pageNumber: page.pageNumber, width: 1, height: 1, lines: [], signatures: [], engine: "fake" });
          }, delays[page.pageNumber - 1] ?? 0);
          options?.signal?.addEventListener("abort", () => {
            if (settled) return;
            clearTimeout(timer);
            inFlight--;
            aborted.push(page.pageNumber);
            reject(new OcrError("OCR_ABORTED", "x", "x"));
          });
        }),
    };
    return { engine, maxInFlight: () => max, aborted };
  };

  it("keeps page order whatever finishes first, and never exceeds the concurrency", async () => {
    const { engine, maxInFlight } = fake([120, 10, 60, 5, 30]);
    const pages = [1, 2, 3, 4, 5].map(blankPage);
    const result = await recognizeAll(engine, pages, { concurrency: 2 });
    expect(result.map((p) => p.pageNumber)).toEqual([1, 2, 3, 4, 5]);
    expect(maxInFlight()).toBe(2);
  });

  it("rejects with the first failure and cancels the pages still running", async () => {
    const { engine, aborted } = fake([10, 500, 500], 1);
    const err = await rejection(recognizeAll(engine, [1, 2, 3].map(blankPage), { concurrency: 3 }));
    expect(err).toMatchObject({ code: "OCR_FAILED" });
    expect(aborted.sort()).toEqual([2, 3]);
  });
});
