/**
 * Test helpers: read text fixtures and lay text out as an OcrPage (words with boxes proportional
 * to their character position, as a monospaced page would give), with chosen word confidences.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { OcrLine, OcrPage, OcrWord } from "../../../shared/extraction/ocr-page.ts";

export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../fixtures/ocr-text/${name}`, import.meta.url)), "utf8");
}

const CHAR_W = 1 / 100;
const LINE_H = 1 / 60;

/** One page from text; `confidenceOf(word)` lets a test make some words doubtful. */
export function pageFromText(text: string, pageNumber = 1, confidenceOf: (word: string) => number = () => 0.95): OcrPage {
  const lines: OcrLine[] = [];
  text.split("\n").forEach((raw, row) => {
    const words: OcrWord[] = [];
    for (const m of raw.matchAll(/\S+/g)) {
      words.push({
        text: m[0],
        box: { left: 0.05 + m.index * CHAR_W, top: 0.05 + row * LINE_H, width: m[0].length * CHAR_W, height: LINE_H * 0.8 },
        confidence: confidenceOf(m[0]),
      });
    }
    if (words.length === 0) return;
    const first = words[0]!;
    const last = words.at(-1)!;
    lines.push({
      text: words.map((w) => w.text).join(" "),
      box: { left: first.box.left, top: first.box.top, width: last.box.left + last.box.width - first.box.left, height: LINE_H * 0.8 },
      confidence: Math.min(...words.map((w) => w.confidence)),
      words,
    });
  });
  return { pageNumber, width: 2480, height: 3508, lines, signatures: [], engine: "test" };
}
