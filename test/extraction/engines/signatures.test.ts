import { beforeAll, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { mockClient } from "aws-sdk-client-mock";
import { AnalyzeDocumentCommand, TextractClient } from "@aws-sdk/client-textract";
import * as z from "zod";
import sharp from "sharp";
import { detectSignatures, signatureRegion, type SignatureAnchor } from "../../../shared/extraction/signatures.ts";
import { withSiblingNames } from "../../../shared/extraction/parser/signature-block.ts";
import { preprocess } from "../../../shared/extraction/preprocess.ts";
import { TesseractEngine, unionBox } from "../../../shared/extraction/tesseract.ts";
import { TextractEngine } from "../../../shared/extraction/textract.ts";
import type { PreparedPage } from "../../../shared/extraction/engine.ts";
import type { Box, OcrPage, OcrWord } from "../../../shared/extraction/ocr-page.ts";
import { renderMinutesPage } from "./render.ts";

/** A hand-drawn-looking signature: loops and a flourish of cubic Béziers around (cx, cy). */
function scribble(cx: number, cy: number, scale = 1, colour = "#1b2a7a"): string {
  const p = (dx: number, dy: number): string => `${cx + dx * scale},${cy + dy * scale}`;
  const d = [
    `M ${p(-110, 20)}`,
    `C ${p(-80, -60)} ${p(-40, 60)} ${p(-20, -10)}`,
    `C ${p(0, -70)} ${p(30, 50)} ${p(50, -20)}`,
    `C ${p(70, -60)} ${p(90, 40)} ${p(60, 30)}`,
    `C ${p(20, 20)} ${p(-60, 45)} ${p(120, 5)}`,
  ].join(" ");
  return `<path d="${d}" fill="none" stroke="${colour}" stroke-width="${Math.max(3, 4 * scale)}" stroke-linecap="round"/>`;
}

const SHADOW = `<defs><linearGradient id="sh" x1="0" x2="1" y1="0" y2="1"><stop offset="0.3" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="0.6"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#sh)"/>`;

const fold = (s: string): string =>
  s.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").toUpperCase();

/** The test's own small locator: heading words and the name words below them (the parser has the real one). */
function anchorsFrom(ocr: OcrPage): { chair?: SignatureAnchor; secretary?: SignatureAnchor } {
  const words = ocr.lines.flatMap((l) => l.words);
  const find = (a: string, b: string): SignatureAnchor | undefined => {
    for (let i = words.length - 2; i >= 0; i--) {
      const [w1, w2] = [words[i], words[i + 1]];
      if (!w1 || !w2 || fold(w1.text) !== a || fold(w2.text) !== b || w1.text !== w1.text.toUpperCase()) continue;
      const heading = unionBox([w1.box, w2.box]);
      const centre = heading.left + heading.width / 2;
      const below = words.filter(
        (w: OcrWord) =>
          // a name is letters read with confidence; a scribble read as "~>~" is not
          /\p{L}{2,}/u.test(w.text) &&
          w.confidence >= 0.8 &&
          w.box.top > heading.top + 3 * heading.height &&
          w.box.top < heading.top + 0.2 &&
          Math.abs(w.box.left + w.box.width / 2 - centre) < 0.15,
      );
      const firstTop = Math.min(...below.map((w) => w.box.top));
      const nameWords = below.filter((w) => w.box.top < firstTop + heading.height);
      return { pageNumber: ocr.pageNumber, heading, ...(nameWords.length ? { name: unionBox(nameWords.map((w) => w.box)) } : {}) };
    }
    return undefined;
  };
  const chair = find("CHU", "TRI");
  const secretary = find("THU", "KY");
  return { ...(chair ? { chair } : {}), ...(secretary ? { secretary } : {}) };
}

async function readPage(png: Buffer): Promise<{ prepared: PreparedPage; ocr: OcrPage }> {
  const prepared = await preprocess(png, 1);
  const ocr = await new TesseractEngine().recognize(prepared);
  return { prepared, ocr };
}

// the signature block of renderMinutesPage at width 1700: headings on y=1410, names on y=1658
const CHAIR_X = 1250;
const SECRETARY_X = 400;
const SIGN_Y = 1540;

describe("detectSignatures on rendered pages (real preprocessing and Tesseract)", () => {
  let clean: { prepared: PreparedPage; ocr: OcrPage };
  beforeAll(async () => {
    clean = await readPage((await renderMinutesPage({ extra: scribble(CHAIR_X, SIGN_Y) })).png);
  });

  it("finds the chair's scribble and the minute-taker's blank", async () => {
    const anchors = anchorsFrom(clean.ocr);
    expect(anchors.chair?.name).toBeDefined();
    expect(anchors.secretary?.name).toBeDefined();
    const result = await detectSignatures([clean], anchors);
    expect(result.chair.present).toBe(true);
    expect(result.chair.confidence).toBeGreaterThan(0.6);
    expect(result.secretary.present).toBe(false);
    expect(result.secretary.confidence).toBeGreaterThan(0.6);
    // the ink box sits where the scribble was drawn (page fractions of a 1700 × 2404 page)
    const box = result.chair.box;
    expect(box).toBeDefined();
    if (box) {
      expect(box.left + box.width / 2).toBeCloseTo(CHAIR_X / 1700, 1);
      expect(box.top + box.height / 2).toBeCloseTo(SIGN_Y / 2404, 1);
    }
  });

  it("keeps a scribble the OCR read as a poor line of words, some of them 'sure'", async () => {
    const anchors = anchorsFrom(clean.ocr);
    const box = { left: (CHAIR_X - 120) / 1700, top: (SIGN_Y - 40) / 2404, width: 240 / 1700, height: 80 / 2404 };
    const half = { ...box, width: box.width / 2 };
    const scribbleAsWords: OcrPage = {
      ...clean.ocr,
      lines: [
        ...clean.ocr.lines,
        {
          text: "NHÀ là",
          box,
          confidence: 0.35,
          words: [
            { text: "NHÀ", box, confidence: 0.7 },
            { text: "là", box: half, confidence: 0.1 },
          ],
        },
      ],
    };
    const result = await detectSignatures([{ prepared: clean.prepared, ocr: scribbleAsWords }], anchors);
    expect(result.chair.present).toBe(true);
  });

  it("keeps a scribble read as a confident jumble of letters and figures ('4V'), erases a confident word", async () => {
    const anchors = anchorsFrom(clean.ocr);
    const box = { left: (CHAIR_X - 120) / 1700, top: (SIGN_Y - 40) / 2404, width: 240 / 1700, height: 80 / 2404 };
    const readAs = (text: string, confidence: number): OcrPage => ({
      ...clean.ocr,
      lines: [...clean.ocr.lines, { text, box, confidence, words: [{ text, box, confidence }] }],
    });
    expect((await detectSignatures([{ prepared: clean.prepared, ocr: readAs("4V", 0.67) }], anchors)).chair.present).toBe(true);
    // what reads as a word is text: the space holds no signature then
    expect((await detectSignatures([{ prepared: clean.prepared, ocr: readAs("Nguyễn", 0.9) }], anchors)).chair.present).not.toBe(true);
  });

  it("is not fooled by the rules of lined paper", async () => {
    const ruled = await readPage((await renderMinutesPage({ ruled: true, extra: scribble(CHAIR_X, SIGN_Y) })).png);
    const result = await detectSignatures([ruled], anchorsFrom(ruled.ocr));
    expect(result.chair.present).toBe(true);
    expect(result.secretary.present).toBe(false);
  });

  it("reads a page darkened by a shadow over the signature block", async () => {
    const dark = await readPage((await renderMinutesPage({ extra: scribble(SECRETARY_X, SIGN_Y, 0.9) + SHADOW })).png);
    const result = await detectSignatures([dark], anchorsFrom(dark.ocr));
    expect(result.secretary.present).toBe(true);
    expect(result.chair.present).toBe(false);
  });

  it("says unknown for a faint mark that is neither a signature nor blank", async () => {
    // a short tick: some ink, far too little to call a signature
    const tick = `<path d="M ${CHAIR_X - 12},${SIGN_Y} l 10,10 l 14,-22" fill="none" stroke="#222" stroke-width="4"/>`;
    const page = await readPage((await renderMinutesPage({ extra: tick })).png);
    const result = await detectSignatures([page], anchorsFrom(page.ocr));
    expect(result.chair.present).toBeNull();
    expect(result.secretary.present).toBe(false);
  });

  it("says unknown when the anchor is missing, on another page, or cut off by the photo", async () => {
    const anchors = anchorsFrom(clean.ocr);
    expect(await detectSignatures([clean], {})).toEqual({
      chair: { present: null, confidence: 0 },
      secretary: { present: null, confidence: 0 },
    });
    const elsewhere = await detectSignatures([clean], anchors.chair ? { chair: { ...anchors.chair, pageNumber: 9 } } : {});
    expect(elsewhere.chair.present).toBeNull();
    // a heading at the very bottom of the photo: the space for the signature is not in the picture
    const cropped = await detectSignatures([clean], { chair: { pageNumber: 1, heading: { left: 0.7, top: 0.955, width: 0.1, height: 0.015 } } });
    expect(cropped.chair).toEqual({ present: null, confidence: 0 });
  });
});

describe("detectSignatures with Textract regions", () => {
  const fixture = async (name: string): Promise<unknown> =>
    JSON.parse(await readFile(new URL(`../../fixtures/textract/${name}`, import.meta.url), "utf8"));
  const textract = mockClient(TextractClient);

  it("takes a Textract SIGNATURE over the expected place as strong evidence", async () => {
    // blank paper: the ink detector alone would say absent
    const png = await sharp({ create: { width: 1700, height: 2404, channels: 3, background: "#fff" } }).png().toBuffer();
    const prepared = await preprocess(png, 1);
    textract.reset();
    textract.on(AnalyzeDocumentCommand).resolves(z.record(z.string(), z.unknown()).parse(await fixture("minutes-signatures.analyze-document.json")));
    const ocr = await new TextractEngine({ client: new TextractClient({ region: "ap-southeast-1" }) }).recognize(prepared);
    const anchor = (role: string, nameText: string): SignatureAnchor | undefined => {
      const heading = ocr.lines.find((l) => l.text === role)?.box;
      const name = ocr.lines.find((l) => l.text === nameText)?.box;
      return heading ? { pageNumber: 1, heading, ...(name ? { name } : {}) } : undefined;
    };
    const chair = anchor("CHỦ TRÌ", "Nguyễn Văn An");
    const secretary = anchor("THƯ KÝ", "Trần Thị Bình");
    const result = await detectSignatures([{ prepared, ocr }], { ...(chair ? { chair } : {}), ...(secretary ? { secretary } : {}) });
    expect(result.chair.present).toBe(true);
    expect(result.secretary.present).toBe(true);
    // Textract said 91 % for the chair and 78 % for the secretary; no ink backs either up here
    expect(result.chair.confidence).toBeGreaterThan(result.secretary.confidence);
    expect(result.chair.box).toEqual(ocr.signatures[1]?.box);

    // the same page without Textract's regions: blank
    const inkOnly = await detectSignatures([{ prepared, ocr: { ...ocr, signatures: [] } }], chair ? { chair } : {});
    expect(inkOnly.chair.present).toBe(false);
  });

  it("sees the real handwritten signature of the recorded Textract sample in its pixels", async () => {
    const jpg = await readFile(new URL("../../fixtures/textract/signature.jpg", import.meta.url));
    const prepared = await preprocess(jpg, 1);
    textract.reset();
    textract.on(AnalyzeDocumentCommand).resolves(z.record(z.string(), z.unknown()).parse(await fixture("signature.analyze-document.json")));
    const ocr = await new TextractEngine({ client: new TextractClient({ region: "ap-southeast-1" }) }).recognize(prepared);
    const sig = ocr.signatures[0]?.box;
    expect(sig).toBeDefined();
    if (!sig) return;
    // a heading just above Textract's signature box, as "CHỦ TRÌ" would be, and no name below
    const heading: Box = { left: sig.left + sig.width / 2 - 0.04, top: sig.top - 0.03, width: 0.08, height: 0.012 };
    const region = signatureRegion({ pageNumber: 1, heading });
    expect(region.top).toBeLessThan(sig.top + sig.height / 2);
    // ink alone (Textract's region removed): the printed words around are masked, the signature remains
    const inkOnly = await detectSignatures([{ prepared, ocr: { ...ocr, signatures: [] } }], { chair: { pageNumber: 1, heading } });
    expect(inkOnly.chair.present).toBe(true);
    // with Textract's region as well: present, at least as confident
    const both = await detectSignatures([{ prepared, ocr }], { chair: { pageNumber: 1, heading } });
    expect(both.chair.present).toBe(true);
    expect(both.chair.confidence).toBeGreaterThanOrEqual(inkOnly.chair.confidence);
  });
});

describe("withSiblingNames", () => {
  const heading = (left: number, top: number) => ({ left, top, width: 0.08, height: 0.012 });
  it("puts an unread name where the read one is, relative to its own heading", () => {
    const chair = { pageNumber: 2, heading: heading(0.2, 0.2), name: { left: 0.18, top: 0.27, width: 0.15, height: 0.012 } };
    const secretary = { pageNumber: 2, heading: heading(0.65, 0.21) };
    const out = withSiblingNames({ chair, secretary });
    expect(out.chair).toBe(chair);
    expect(out.secretary?.name?.top).toBeCloseTo(0.28, 5);
    expect(out.secretary?.name?.height).toBe(0.012);
  });
  it("leaves anchors alone when neither or both names were read, or the headings are on two pages", () => {
    const a = { pageNumber: 1, heading: heading(0.2, 0.2) };
    const b = { pageNumber: 2, heading: heading(0.6, 0.1), name: { left: 0.6, top: 0.2, width: 0.1, height: 0.01 } };
    expect(withSiblingNames({ chair: a, secretary: { ...a, heading: heading(0.6, 0.2) } }).secretary?.name).toBeUndefined();
    expect(withSiblingNames({ chair: a, secretary: b }).chair).toBe(a);
  });
});
