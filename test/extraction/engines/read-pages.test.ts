import { describe, expect, it } from "vitest";
import type { OcrEngine, OcrSession, PreparedPage } from "../../../shared/extraction/engine.ts";
import { extractDocument } from "../../../shared/extraction/extract.ts";
import type { OcrPage } from "../../../shared/extraction/ocr-page.ts";
import { readPages } from "../../../shared/extraction/read-pages.ts";
import { InvalidInputError, OcrError } from "../../../shared/errors.ts";
import { renderPage, textSvg } from "./render.ts";

const page = (pageNumber: number): PreparedPage => ({ pageNumber, image: Buffer.alloc(4), width: 2, height: 2, original: Buffer.alloc(0), deskewDegrees: 0 });
const read = (pageNumber: number): OcrPage => ({ pageNumber, width: 2, height: 2, lines: [], signatures: [], engine: "fake" });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An engine that records what happened when, and reads a page in `readMs`. */
function recordingEngine(readMs: number) {
  const events: string[] = [];
  const cancelled: number[] = [];
  let sessions = 0;
  const engine: OcrEngine = {
    name: "fake",
    recognize: () => Promise.reject(new Error("a session is used when the engine has one")),
    begin: (options): OcrSession => {
      const id = ++sessions;
      events.push(`begin ${id}`);
      let dead = false;
      // as the Tesseract engine does: the caller's abort ends the session
      options?.signal?.addEventListener("abort", () => {
        if (!dead) (dead = true), cancelled.push(id);
      });
      return {
        recognize: async (p) => {
          events.push(`read ${p.pageNumber}`);
          await sleep(readMs);
          if (dead) throw new OcrError("OCR_ABORTED", "x", "x");
          events.push(`done ${p.pageNumber}`);
          return read(p.pageNumber);
        },
        cancel: () => {
          if (!dead) (dead = true), cancelled.push(id);
        },
      };
    },
  };
  return { engine, events, cancelled };
}

describe("readPages", () => {
  it("begins the engine before the page is prepared, prepares the next page while one is read, keeps page order", async () => {
    const { engine, events } = recordingEngine(80);
    const result = await readPages(
      engine,
      3,
      async (i) => {
        events.push(`prepare ${i + 1}`);
        await sleep(i === 0 ? 60 : 10);
        return page(i + 1);
      },
      { concurrency: 2 },
    );
    expect(result.pages.map((p) => p.pageNumber)).toEqual([1, 2, 3]);
    expect(result.prepared.map((p) => p.pageNumber)).toEqual([1, 2, 3]);
    expect(events.indexOf("begin 1")).toBeLessThan(events.indexOf("prepare 1"));
    // page 2 is being read before page 1 is done
    expect(events.indexOf("read 2")).toBeLessThan(events.indexOf("done 1"));
    expect(result.timings).toHaveLength(3);
    expect(result.timings[0]?.prepareMs).toBeGreaterThanOrEqual(50);
  });

  it("a page that cannot be prepared cancels what is in flight and begins nothing more", async () => {
    const { engine, cancelled, events } = recordingEngine(200);
    const bad = new InvalidInputError("NOT_AN_IMAGE", "Tệp không phải là ảnh.", "The file is not an image.");
    const err = await readPages(
      engine,
      4,
      async (i) => {
        await sleep(10);
        if (i === 1) throw bad;
        return page(i + 1);
      },
      { concurrency: 2 },
    ).catch((e: unknown) => e);
    expect(err).toBe(bad);
    // the session begun for the bad page is ended, and so is page 1's reading
    expect(cancelled.sort()).toEqual([1, 2]);
    expect(events.filter((e) => e.startsWith("begin"))).toEqual(["begin 1", "begin 2"]);
  });
});

describe("extractDocument", () => {
  it("names a damaged page found while the pages are read", async () => {
    const { engine } = recordingEngine(10);
    const good = await renderPage(400, 300, textSvg([{ text: "BIÊN BẢN", x: 20, y: 60 }]));
    const err = await extractDocument([good, good.subarray(0, Math.floor(good.length / 2))], { engine }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "NOT_AN_IMAGE" });
    expect((err as InvalidInputError).messageEn).toMatch(/^Page 2: /u);
  });

  it("refuses a meeting with a page that is not an image before any page is read", async () => {
    const { engine, events } = recordingEngine(10);
    const good = await renderPage(400, 300, textSvg([{ text: "BIÊN BẢN", x: 20, y: 60 }]));
    const err = await extractDocument([good, Buffer.from("%PDF-1.7 not a page image")], { engine }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    // the page to take again is named, in both languages
    expect(err).toMatchObject({ code: "NOT_AN_IMAGE", status: 415 });
    expect((err as InvalidInputError).messageVi).toMatch(/^Trang 2: /u);
    expect((err as InvalidInputError).messageEn).toMatch(/^Page 2: /u);
    expect(events).toEqual([]);
  });
});
