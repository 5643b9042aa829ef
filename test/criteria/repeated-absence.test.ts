import { describe, expect, it } from "vitest";
import { evaluate, excusedAbsenceRuns, nameKey } from "../../shared/criteria/index.ts";
import type { Meeting } from "../../shared/meeting/schema.ts";
import { codes, flag, goodMeeting } from "./fixtures.ts";

const CODE = "REPEATED_EXCUSED_ABSENCE";

/** A good meeting on `date` where `absent` (name → excused) are the absentees. */
function meetingOn(date: string, absent: Record<string, boolean | null> = {}): Meeting {
  const absentees = Object.entries(absent).map(([name, excused]) => ({ name, excused, reason: excused ? "ốm" : null }));
  const excused = absentees.filter((a) => a.excused === true).length;
  const unexcused = absentees.filter((a) => a.excused === false).length;
  const m = goodMeeting({ meetingDate: date });
  return {
    ...m,
    attendance: { total: 20, exempt: 0, present: 20 - absentees.length, absentExcused: excused, absentUnexcused: unexcused, absentees },
    votes: [{ subject: null, agree: 20 - absentees.length, disagree: 0, abstain: 0 }],
  };
}

const CUONG = { "Lê Văn Cường": true };

describe("REPEATED_EXCUSED_ABSENCE", () => {
  it("3 excused absences in a row (the current one included) is not raised", () => {
    const history = [meetingOn("2026-01-05", CUONG), meetingOn("2026-02-05", CUONG)];
    expect(codes(meetingOn("2026-03-05", CUONG), { history })).toEqual([]);
  });

  it("4 in a row is raised, naming the member and the run", () => {
    const history = [meetingOn("2026-01-05", CUONG), meetingOn("2026-02-05", CUONG), meetingOn("2026-03-05", CUONG)];
    const f = flag(meetingOn("2026-04-05", CUONG), CODE, { history });
    expect(f).toMatchObject({ severity: "error", field: "attendance.absentees" });
    expect(f?.message).toBe("1 đảng viên vắng mặt có lý do quá 3 lần liên tiếp trong năm 2026: Lê Văn Cường (4 lần).");
    expect(f?.messageEn).toBe("1 member(s) absent with reason more than 3 times in a row in 2026: Lê Văn Cường (4 times).");
  });

  it("history in any order", () => {
    const history = [meetingOn("2026-03-05", CUONG), meetingOn("2026-01-05", CUONG), meetingOn("2026-02-05", CUONG)];
    expect(codes(meetingOn("2026-04-05", CUONG), { history })).toEqual([CODE]);
  });

  it("a broken run (present in between) is not raised", () => {
    const history = [
      meetingOn("2026-01-05", CUONG),
      meetingOn("2026-02-05", CUONG),
      meetingOn("2026-03-05"), // present
      meetingOn("2026-04-05", CUONG),
      meetingOn("2026-05-05", CUONG),
    ];
    expect(codes(meetingOn("2026-06-05", CUONG), { history })).toEqual([]);
  });

  it("an absence without reason, or with unknown excuse, breaks the run too", () => {
    for (const breaker of [false, null]) {
      const history = [
        meetingOn("2026-01-05", CUONG),
        meetingOn("2026-02-05", { "Lê Văn Cường": breaker }),
        meetingOn("2026-03-05", CUONG),
        meetingOn("2026-04-05", CUONG),
      ];
      expect(codes(meetingOn("2026-05-05", CUONG), { history })).not.toContain(CODE);
    }
  });

  it("does not cross the year boundary", () => {
    const history = [meetingOn("2025-11-05", CUONG), meetingOn("2025-12-05", CUONG), meetingOn("2026-01-05", CUONG)];
    expect(codes(meetingOn("2026-02-05", CUONG), { history })).toEqual([]);
    // the same four within 2025 are raised
    const in2025 = [meetingOn("2025-09-05", CUONG), meetingOn("2025-10-05", CUONG), meetingOn("2025-11-05", CUONG)];
    expect(codes(meetingOn("2025-12-05", CUONG), { history: in2025 })).toEqual([CODE]);
  });

  it("matches names case- and diacritic-insensitively, with spaces trimmed and collapsed", () => {
    const history = [
      meetingOn("2026-01-05", { "LÊ VĂN CƯỜNG": true }),
      meetingOn("2026-02-05", { "  Le Van   Cuong ": true }),
      // decomposed (NFD) spelling, as some keyboards and OCR output produce
      meetingOn("2026-03-05", { ["Lê Văn Cường".normalize("NFD")]: true }),
    ];
    const f = flag(meetingOn("2026-04-05", CUONG), CODE, { history });
    expect(f?.message).toContain("Lê Văn Cường (4 lần)");
  });

  it("names differing only in diacritics are one member (by design); different names are not", () => {
    const history = [
      meetingOn("2026-01-05", { "Lê Văn Cường": true }),
      meetingOn("2026-02-05", { "Lê Văn Cương": true }),
      meetingOn("2026-03-05", { "Lê Văn Cường": true }),
    ];
    // Cường/Cương differ only by a diacritic: matched as one name (documented trade-off), so 4
    expect(codes(meetingOn("2026-04-05", CUONG), { history })).toEqual([CODE]);
    const other = [
      meetingOn("2026-01-05", { "Lê Văn Cường": true }),
      meetingOn("2026-02-05", { "Lê Văn Cảnh": true }),
      meetingOn("2026-03-05", { "Lê Văn Cường": true }),
    ];
    expect(codes(meetingOn("2026-04-05", CUONG), { history: other })).toEqual([]);
  });

  it("counts several members and ignores later, undated and duplicate meetings", () => {
    const both = { "Lê Văn Cường": true, "Hoàng Thị Em": true };
    const current = meetingOn("2026-04-05", both);
    const history = [
      meetingOn("2026-01-05", both),
      meetingOn("2026-02-05", both),
      meetingOn("2026-03-05", both),
      current, // the current meeting passed in its own history must not count twice
      { ...meetingOn("2026-03-20", {}), meetingDate: null }, // undated: cannot be placed, ignored
      meetingOn("2026-05-05", {}), // after the current meeting: not history
    ];
    const f = evaluate(current, { history }).find((x) => x.code === CODE);
    expect(f?.message).toBe("2 đảng viên vắng mặt có lý do quá 3 lần liên tiếp trong năm 2026: Lê Văn Cường (4 lần), Hoàng Thị Em (4 lần).");
    // three earlier and only the current once: with the current counted twice this would be 5
    expect(codes(meetingOn("2026-04-05", both), { history: [...history.slice(1, 3), current] })).toEqual([]);
  });

  it("not raised when the member is present at the current meeting, without history, or without a date", () => {
    const history = [meetingOn("2026-01-05", CUONG), meetingOn("2026-02-05", CUONG), meetingOn("2026-03-05", CUONG), meetingOn("2026-04-05", CUONG)];
    expect(codes(meetingOn("2026-05-05"), { history })).toEqual([]);
    expect(codes(meetingOn("2026-05-05", CUONG))).toEqual([]);
    expect(codes({ ...meetingOn("2026-05-05", CUONG), meetingDate: null }, { history })).toEqual(["MISSING_MEETING_DATE"]);
  });

  it("absentees under review → not raised", () => {
    const history = [meetingOn("2026-01-05", CUONG), meetingOn("2026-02-05", CUONG), meetingOn("2026-03-05", CUONG)];
    expect(codes(meetingOn("2026-04-05", CUONG), { history, review: ["attendance.absentees"] })).toEqual([]);
    expect(codes(meetingOn("2026-04-05", CUONG), { history, review: ["meetingDate"] })).toEqual([]);
  });
});

describe("nameKey and excusedAbsenceRuns (shared with the reports)", () => {
  it("nameKey folds case, diacritics, đ and spacing", () => {
    expect(nameKey("  ĐỖ  Thị   Hồng ")).toBe("do thi hong");
    expect(nameKey("Đỗ Thị Hồng".normalize("NFD"))).toBe(nameKey("do thi hong"));
  });

  it("excusedAbsenceRuns finds every maximal run, split by year", () => {
    const meetings = [
      meetingOn("2025-12-05", CUONG),
      meetingOn("2026-01-05", CUONG),
      meetingOn("2026-02-05", CUONG),
      meetingOn("2026-03-05"),
      meetingOn("2026-04-05", CUONG),
    ];
    const runs = excusedAbsenceRuns(meetings).map((r) => [r.first.meetingDate, r.last.meetingDate, r.length]);
    expect(runs).toEqual([
      ["2025-12-05", "2025-12-05", 1],
      ["2026-01-05", "2026-02-05", 2],
      ["2026-04-05", "2026-04-05", 1],
    ]);
  });
});
