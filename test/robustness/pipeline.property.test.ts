/**
 * Property: the whole path after OCR — parser → signatures (from OCR regions) → criteria →
 * extraction document — never throws on arbitrary OCR output and always yields a document that
 * passes the zod schema, with both rule sets and any history. (The parser's own property tests,
 * test/extraction/parser/robustness.test.ts, stop at the parsed meeting.)
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MEETING_FLAG_CODES, RULE_SET_IDS } from "../../shared/criteria/index.ts";
import { documentFromOcr } from "../../shared/extraction/extract.ts";
import type { OcrPage } from "../../shared/extraction/ocr-page.ts";
import { OcrPageSchema } from "../../shared/extraction/ocr-page.ts";
import { ExtractionDocumentSchema, type ExtractionDocument, type Meeting } from "../../shared/meeting/schema.ts";
import { recheck } from "../../shared/meetings/recheck.ts";
import { fixture, pageFromText } from "../extraction/parser/helpers.ts";
import { minutesText } from "../helpers/recorded-engine.ts";

const FIXTURES = ["typed-template.txt", "typed-template.tesseract-psm4.txt", "school-combined.tesseract-noisy.txt", "no-diacritics-noisy.txt", "sparse-unreadable.txt"].map(fixture);
const KNOWN_CODES = new Set<string>(MEETING_FLAG_CODES);

function assertDocument(doc: ExtractionDocument): void {
  const parsed = ExtractionDocumentSchema.safeParse(doc);
  expect(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues.slice(0, 3))).toBe(true);
  for (const f of doc.flags) expect(KNOWN_CODES.has(f.code), f.code).toBe(true);
  for (const [k, v] of Object.entries(doc.confidence)) {
    expect(Number.isFinite(v), k).toBe(true);
    expect(v, k).toBeGreaterThanOrEqual(0);
    expect(v, k).toBeLessThanOrEqual(1);
  }
  expect(doc.review.needed).toBe(doc.review.fields.length > 0);
  const m = doc.meeting;
  // a date that is not on the calendar would become a month like 2026-13 in the store
  if (m.meetingDate) expect(new Date(`${m.meetingDate}T00:00:00Z`).toISOString().slice(0, 10)).toBe(m.meetingDate);
  if (m.durationMinutes !== null) expect(m.durationMinutes).toBeGreaterThanOrEqual(0);
}

/** OCR text: a fixture with lines mutated, or noise, or the template with odd figures. */
const ocrText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.record({ src: fc.integer({ min: 0, max: FIXTURES.length - 1 }), drop: fc.array(fc.nat(), { maxLength: 10 }), noise: fc.array(fc.tuple(fc.nat(), fc.string({ unit: "grapheme", maxLength: 6 })), { maxLength: 10 }) }).map(({ src, drop, noise }) => {
    const lines = (FIXTURES[src] ?? "").split("\n");
    for (const d of drop) lines.splice(d % Math.max(1, lines.length), 1);
    for (const [at, s] of noise) {
      const i = at % Math.max(1, lines.length);
      lines[i] = `${(lines[i] ?? "").slice(0, at % 40)}${s}${(lines[i] ?? "").slice((at % 40) + 1)}`;
    }
    return lines.join("\n");
  }),
  fc.record({ y: fc.integer({ min: 1900, max: 2100 }), mo: fc.integer({ min: 0, max: 13 }), d: fc.integer({ min: 0, max: 32 }), total: fc.integer({ min: 0, max: 10_000 }), present: fc.integer({ min: 0, max: 10_000 }) }).map(({ y, mo, d, total, present }) =>
    // impossible dates (2026-13-32) and present > total on purpose
    minutesText({ date: `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`, present, total }),
  ),
);

const box = fc.record({ left: fc.double({ min: 0, max: 1, noNaN: true }), top: fc.double({ min: 0, max: 1, noNaN: true }), width: fc.double({ min: 0, max: 1, noNaN: true }), height: fc.double({ min: 0, max: 1, noNaN: true }) }).map((b) => ({
  ...b,
  width: Math.min(b.width, 1 - b.left),
  height: Math.min(b.height, 1 - b.top),
}));

/** One OCR page from text, with random word confidences and random signature regions. */
const ocrPage = (pageNumber: number) =>
  fc.record({ text: ocrText, confidences: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }), signatures: fc.array(fc.record({ box, confidence: fc.double({ min: 0, max: 1, noNaN: true }) }), { maxLength: 3 }) }).map(({ text, confidences, signatures }): OcrPage => {
    let i = 0;
    const page = pageFromText(text, pageNumber, () => confidences[i++ % confidences.length] ?? 0.5);
    return { ...page, engine: "textract", signatures: signatures.map((s) => ({ ...s, source: "textract" as const })) };
  });

const pages = fc.integer({ min: 0, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => ocrPage(i + 1))));

describe("OCR output → extraction document", () => {
  it("never throws and always passes the schema (any pages, rule set, members)", async () => {
    await fc.assert(
      fc.asyncProperty(pages, fc.constantFrom(...RULE_SET_IDS), fc.array(fc.string({ unit: "grapheme", minLength: 2, maxLength: 30 }), { maxLength: 5 }), async (ps, ruleSet, members) => {
        // the generated pages are themselves valid OCR pages, so a failure is the pipeline's
        for (const p of ps) expect(OcrPageSchema.safeParse(p).success).toBe(true);
        assertDocument(await documentFromOcr(ps, { ruleSet, members }));
      }),
      { numRuns: 150 },
    );
  });

  it("with a history of earlier meetings (cross-meeting rules), and re-checked again", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(ocrPage(1), { minLength: 1, maxLength: 5 }), fc.constantFrom(...RULE_SET_IDS), async (history, ruleSet) => {
        const earlier: Meeting[] = [];
        for (const h of history) earlier.push((await documentFromOcr([h], { ruleSet })).meeting);
        const [last, ...before] = earlier.reverse();
        if (!last) return;
        const doc = recheck({ meeting: last }, { ruleSet, history: before });
        assertDocument(doc);
        // idempotent: checking the checked document again changes nothing
        expect(recheck(doc, { ruleSet, history: before })).toEqual(doc);
      }),
      { numRuns: 60 },
    );
  });
});
