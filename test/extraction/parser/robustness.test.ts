import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseMeeting, parseText } from "../../../shared/extraction/parser/index.ts";
import { MeetingSchema } from "../../../shared/meeting/schema.ts";
import { fixture, pageFromText } from "./helpers.ts";

const FIXTURES = ["typed-template.txt", "typed-template.tesseract-psm4.txt", "school-combined.tesseract-noisy.txt", "no-diacritics-noisy.txt", "sparse-unreadable.txt"];

function assertValid(r: ReturnType<typeof parseText>): void {
  expect(MeetingSchema.safeParse(r.meeting).success).toBe(true);
  for (const [k, v] of Object.entries(r.confidence)) {
    expect(v, k).toBeGreaterThanOrEqual(0);
    expect(v, k).toBeLessThanOrEqual(1);
  }
  for (const f of r.review) expect(r.confidence[f], f).toBeDefined();
}

describe("never throws, always schema-valid", () => {
  it("on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), (s) => assertValid(parseText(s))),
      { numRuns: 300 },
    );
  });

  it("on fixture text with lines dropped, duplicated, cut and characters replaced", () => {
    const sources = FIXTURES.map(fixture);
    const mutation = fc.record({
      src: fc.integer({ min: 0, max: sources.length - 1 }),
      ops: fc.array(
        fc.record({ kind: fc.constantFrom("drop", "dup", "cut", "replace", "join"), at: fc.nat(), ch: fc.string({ unit: "grapheme", maxLength: 3 }) }),
        { maxLength: 12 },
      ),
    });
    fc.assert(
      fc.property(mutation, ({ src, ops }) => {
        const lines = (sources[src] ?? "").split("\n");
        for (const op of ops) {
          const i = op.at % Math.max(1, lines.length);
          const line = lines[i] ?? "";
          if (op.kind === "drop") lines.splice(i, 1);
          else if (op.kind === "dup") lines.splice(i, 0, line);
          else if (op.kind === "cut") lines[i] = line.slice(0, op.at % (line.length + 1));
          else if (op.kind === "join") lines.splice(i, 2, `${line} ${lines[i + 1] ?? ""}`);
          else {
            const p = op.at % (line.length + 1);
            lines[i] = line.slice(0, p) + op.ch + line.slice(p + 1);
          }
        }
        assertValid(parseText(lines.join("\n")));
      }),
      { numRuns: 200 },
    );
  });

  it("on extreme values: huge counts, very long lines, many speakers", () => {
    const speakers = Array.from({ length: 1500 }, (_, i) => `- Đồng chí Nguyễn Văn A${"n".repeat(i % 5)}: ý kiến ${i}`).join("\n");
    const text = `Tổng số đảng viên: 99999999\nCó mặt: 123456 đồng chí\nChủ trì: đồng chí ${"Ă".repeat(300)}\nÝ kiến thảo luận\n${speakers}\nBiểu quyết: tán thành 9999999/9999999\n${"x".repeat(50_000)}`;
    const r = parseText(text);
    assertValid(r);
    expect(r.meeting.opinions.length).toBeLessThanOrEqual(1000);
  });

  it("on OCR pages with empty lines, no words, odd confidences", () => {
    const page = pageFromText(fixture("typed-template.txt"), 1, (w) => (w.length % 3 === 0 ? 0 : 1));
    page.lines.push({ text: "", box: { left: 0, top: 0, width: 0, height: 0 }, confidence: 0, words: [] });
    assertValid(parseMeeting([page, { ...page, pageNumber: 2, lines: [] }]));
    assertValid(parseMeeting([]));
  });
});
