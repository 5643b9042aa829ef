import { describe, expect, it } from "vitest";
import { evaluate, MEETING_FLAG_CODES, RULE_SET_IDS } from "../../shared/criteria/index.ts";
import { emptyMeeting, FlagSchema } from "../../shared/meeting/schema.ts";
import { codes, flag, goodMeeting, withAttendance } from "./fixtures.ts";

describe("a meeting that meets every criterion", () => {
  it.each(RULE_SET_IDS)("raises nothing under %s", (ruleSet) => {
    expect(evaluate(goodMeeting(), { ruleSet })).toEqual([]);
  });
});

describe("an empty meeting (nothing recorded)", () => {
  it("raises every MISSING_* entry it can decide, in rule order, and no criterion flag from unknowns", () => {
    expect(codes(emptyMeeting())).toEqual([
      "MISSING_MEETING_DATE",
      "MISSING_START_TIME",
      "MISSING_END_TIME",
      "MISSING_CHAIR",
      "MISSING_SECRETARY",
      "MISSING_ATTENDANCE",
      "MISSING_OPINIONS",
      "MISSING_VOTE_RESULT",
    ]);
  });

  it("every flag passes FlagSchema and carries vi + en messages and a basis", () => {
    for (const f of evaluate(emptyMeeting())) {
      expect(FlagSchema.parse(f)).toEqual(f);
      expect(f.severity).toBe("error");
      expect(f.message.length).toBeGreaterThan(0);
      expect(f.messageEn?.length).toBeGreaterThan(0);
      expect(f.basis).toMatch(/12-HD\/BTCTW/);
    }
  });
});

describe("missing entries", () => {
  it.each([
    ["meetingDate", "MISSING_MEETING_DATE"],
    ["startTime", "MISSING_START_TIME"],
    ["endTime", "MISSING_END_TIME"],
    ["chair", "MISSING_CHAIR"],
    ["secretary", "MISSING_SECRETARY"],
  ] as const)("%s null → %s", (field, code) => {
    const f = flag(goodMeeting({ [field]: null }), code);
    expect(f).toMatchObject({ code, severity: "error", field });
  });

  it("missing start time alone does not make the duration unknown when durationMinutes is recorded", () => {
    expect(codes(goodMeeting({ startTime: null }))).toEqual(["MISSING_START_TIME"]);
  });

  it("MISSING_ATTENDANCE when total or present is null, not when both are known", () => {
    expect(codes(withAttendance({ total: null }))).toContain("MISSING_ATTENDANCE");
    expect(codes(withAttendance({ present: null }))).toContain("MISSING_ATTENDANCE");
    expect(codes(withAttendance({ absentExcused: null, absentUnexcused: null }))).not.toContain("MISSING_ATTENDANCE");
  });

  it("MISSING_OPINIONS when no opinion is recorded", () => {
    const f = flag(goodMeeting({ opinions: [] }), "MISSING_OPINIONS");
    expect(f?.message).toBe("Chưa ghi ý kiến thảo luận của đảng viên.");
  });

  it("MISSING_VOTE_RESULT when there is no vote, or no vote with an agree count", () => {
    expect(flag(goodMeeting({ votes: [] }), "MISSING_VOTE_RESULT")?.message).toBe("Chưa ghi kết quả biểu quyết (số tán thành).");
    expect(codes(goodMeeting({ votes: [{ subject: "Nghị quyết", agree: null, disagree: 0, abstain: 0 }] }))).toContain(
      "MISSING_VOTE_RESULT",
    );
    const oneCounted = goodMeeting({
      votes: [
        { subject: "Nghị quyết", agree: null, disagree: null, abstain: null },
        { subject: "Kết nạp đảng viên", agree: 0, disagree: 18, abstain: 0 },
      ],
    });
    expect(codes(oneCounted)).not.toContain("MISSING_VOTE_RESULT");
  });

  it("a signature seen to be absent (false) is flagged; an unknown one (null) is not", () => {
    expect(flag(goodMeeting({ signatures: { chair: false, secretary: true } }), "MISSING_CHAIR_SIGNATURE")?.message).toBe(
      "Biên bản thiếu chữ ký của người chủ trì.",
    );
    expect(flag(goodMeeting({ signatures: { chair: true, secretary: false } }), "MISSING_SECRETARY_SIGNATURE")?.message).toBe(
      "Biên bản thiếu chữ ký của thư ký.",
    );
    expect(codes(goodMeeting({ signatures: { chair: null, secretary: null } }))).toEqual([]);
  });
});

describe("ATTENDANCE_BELOW_THRESHOLD: present ÷ (total − exempt) must be over 85 %", () => {
  const consistent = (total: number, exempt: number, present: number) =>
    withAttendance(
      { total, exempt, present, absentExcused: total - exempt - present, absentUnexcused: 0, absentees: [] },
      { votes: [{ subject: "Nghị quyết", agree: present, disagree: 0, abstain: 0 }] },
    );

  it("exactly 85 % (17/20) is raised, with the rate in the message", () => {
    const f = flag(consistent(20, 0, 17), "ATTENDANCE_BELOW_THRESHOLD");
    expect(f).toMatchObject({ severity: "error", field: "attendance.present" });
    expect(f?.message).toBe("Tỷ lệ đảng viên dự sinh hoạt 85% (có mặt 17/20), không trên 85% theo quy định.");
    expect(f?.messageEn).toBe("Attendance 85% (17 of 20 present), not above the required 85%.");
  });

  it("86 % (43/50) is not raised", () => {
    expect(codes(consistent(50, 0, 43))).toEqual([]);
  });

  it("exactly 85 % is raised at any cell size (20, 40, 200, 1000 members)", () => {
    for (const [total, present] of [[20, 17], [40, 34], [200, 170], [1000, 850]] as const) {
      expect(codes(consistent(total, 0, present))).toEqual(["ATTENDANCE_BELOW_THRESHOLD"]);
    }
  });

  it("the smallest step above 85 % passes (851/1000)", () => {
    expect(codes(consistent(1000, 0, 851))).toEqual([]);
  });

  it("exempt members are left out of the denominator", () => {
    // 17 of 20 is 85 % (raised); with 1 exempt it is 17 of 19 = 89.4 % (met)
    expect(codes(consistent(20, 1, 17))).toEqual([]);
    // 16 of (20 − 1) = 84.2 %: raised, shown rounded down to a tenth with the Vietnamese decimal comma
    const f = flag(consistent(20, 1, 16), "ATTENDANCE_BELOW_THRESHOLD");
    expect(f?.message).toBe("Tỷ lệ đảng viên dự sinh hoạt 84,2% (có mặt 16/19), không trên 85% theo quy định.");
    expect(f?.messageEn).toContain("84.2%");
  });

  it("undecidable (unknown count, nobody required to attend) raises nothing", () => {
    expect(codes(withAttendance({ present: null }))).not.toContain("ATTENDANCE_BELOW_THRESHOLD");
    expect(codes(withAttendance({ total: null }))).not.toContain("ATTENDANCE_BELOW_THRESHOLD");
    expect(codes(consistent(3, 3, 0))).toEqual([]);
  });
});

describe("ABSENT_WITHOUT_REASON", () => {
  it("raised from the count of unexcused absences", () => {
    const f = flag(withAttendance({ present: 17, absentUnexcused: 1 }), "ABSENT_WITHOUT_REASON");
    expect(f?.message).toBe("Có 1 đảng viên vắng mặt không có lý do (không ghi họ tên).");
  });

  it("raised from an absentee marked without reason, naming them", () => {
    const m = withAttendance({
      absentees: [
        { name: "Lê Văn Cường", excused: true, reason: "ốm" },
        { name: "Hoàng Thị Em", excused: false, reason: null },
      ],
    });
    const f = flag(m, "ABSENT_WITHOUT_REASON");
    expect(f?.message).toBe("Có 1 đảng viên vắng mặt không có lý do (Hoàng Thị Em).");
  });

  it("not raised for excused absentees, unknown excuse (null), or a zero/unknown count", () => {
    expect(codes(goodMeeting())).not.toContain("ABSENT_WITHOUT_REASON");
    expect(codes(withAttendance({ absentUnexcused: null, absentees: [{ name: "Lê Văn Cường", excused: null, reason: null }] }))).not.toContain(
      "ABSENT_WITHOUT_REASON",
    );
  });
});

describe("DURATION_TOO_SHORT", () => {
  it.each([
    ["regular", 89, true],
    ["regular", 90, false],
    ["thematic", 89, true],
    ["thematic", 90, false],
    ["combined", 119, true],
    ["combined", 120, false],
    [null, 89, true],
    [null, 90, false],
  ] as const)("kind %s, %i minutes → raised %s", (kind, minutes, raised) => {
    const m = goodMeeting({ kind, durationMinutes: minutes });
    expect(codes(m).includes("DURATION_TOO_SHORT")).toBe(raised);
  });

  it("says how long and what was required", () => {
    const f = flag(goodMeeting({ kind: "combined", durationMinutes: 100 }), "DURATION_TOO_SHORT");
    expect(f?.message).toBe("Thời gian sinh hoạt 100 phút, ít hơn 120 phút quy định (loại sinh hoạt: thường kỳ kết hợp chuyên đề).");
  });

  it("an unknown kind uses the weakest requirement: 100 minutes is never flagged as a short combined meeting", () => {
    expect(codes(goodMeeting({ kind: null, durationMinutes: 100 }))).toEqual([]);
  });

  it("computes the duration from the times when durationMinutes is null", () => {
    expect(codes(goodMeeting({ startTime: "14:00", endTime: "15:29", durationMinutes: null }))).toEqual(["DURATION_TOO_SHORT"]);
    expect(codes(goodMeeting({ startTime: "14:00", endTime: "15:30", durationMinutes: null }))).toEqual([]);
  });

  it("no duration and a missing time → only the missing time is flagged", () => {
    expect(codes(goodMeeting({ endTime: null, durationMinutes: null }))).toEqual(["MISSING_END_TIME"]);
  });
});

describe("inconsistency warnings", () => {
  it("ATTENDANCE_INCONSISTENT when present + absent ≠ total − exempt", () => {
    const f = flag(withAttendance({ present: 17 }), "ATTENDANCE_INCONSISTENT");
    expect(f).toMatchObject({ severity: "warning", field: "attendance" });
    expect(f?.message).toBe("Số có mặt cộng số vắng mặt (18) không khớp với số đảng viên phải dự sinh hoạt (19).");
  });

  it("ATTENDANCE_INCONSISTENT not raised when an absent count is unknown", () => {
    expect(codes(withAttendance({ present: 17, absentUnexcused: null }))).not.toContain("ATTENDANCE_INCONSISTENT");
  });

  it("VOTE_COUNT_INCONSISTENT when a vote counts more than those present (nulls as 0)", () => {
    const m = goodMeeting({
      votes: [
        { subject: "Nghị quyết", agree: 18, disagree: null, abstain: null },
        { subject: "Kết nạp", agree: 17, disagree: 1, abstain: 1 },
      ],
    });
    const f = flag(m, "VOTE_COUNT_INCONSISTENT");
    expect(f).toMatchObject({ severity: "warning", field: "votes" });
    expect(f?.message).toBe("Lần biểu quyết thứ 2 có tổng cộng 19 đảng viên biểu quyết, nhiều hơn số đảng viên có mặt (18).");
  });

  it("VOTE_COUNT_INCONSISTENT not raised at exactly the number present, or when present is unknown", () => {
    expect(codes(goodMeeting({ votes: [{ subject: null, agree: 16, disagree: 1, abstain: 1 }] }))).toEqual([]);
    expect(codes(withAttendance({ present: null }, { votes: [{ subject: null, agree: 99, disagree: 0, abstain: 0 }] }))).not.toContain(
      "VOTE_COUNT_INCONSISTENT",
    );
  });
});

describe("the shipped rule sets", () => {
  it("12-HD-2018 raises every per-meeting code of CONTRACT.md §3 on some meeting", () => {
    const bad = goodMeeting({
      meetingDate: "2026-04-02",
      startTime: null,
      endTime: null,
      chair: null,
      secretary: null,
      durationMinutes: 30,
      opinions: [],
      votes: [{ subject: null, agree: null, disagree: 30, abstain: 0 }],
      signatures: { chair: false, secretary: false },
      attendance: {
        total: 20,
        exempt: 0,
        present: 10,
        absentExcused: 1,
        absentUnexcused: 1,
        absentees: [{ name: "Lê Văn Cường", excused: true, reason: "ốm" }],
      },
    });
    const history = ["2026-01-05", "2026-02-05", "2026-03-05"].map((d) => goodMeeting({ meetingDate: d }));
    const seen = new Set([...codes(bad, { history }), ...codes(emptyMeeting())]);
    expect([...seen].sort()).toEqual([...MEETING_FLAG_CODES].sort());
  });

  it("42-HD-2025 raises the same codes with 42-HD basis texts", () => {
    const m = goodMeeting({ durationMinutes: 60, opinions: [] });
    const hd12 = evaluate(m, { ruleSet: "12-HD-2018" });
    const hd42 = evaluate(m, { ruleSet: "42-HD-2025" });
    expect(hd42.map((f) => f.code)).toEqual(hd12.map((f) => f.code));
    expect(hd42.map((f) => f.message)).toEqual(hd12.map((f) => f.message));
    for (const f of hd42) expect(f.basis).toMatch(/^Hướng dẫn 42-HD\/BTCTW \(2025\)/);
  });
});
