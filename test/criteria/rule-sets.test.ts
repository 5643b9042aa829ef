import { describe, expect, it } from "vitest";
import {
  DEFAULT_RULE_SET,
  describeRuleSet,
  evaluate,
  getRuleSet,
  isRuleSetId,
  MEETING_FLAG_CODES,
  parseRuleSet,
  RULE_SET_IDS,
  toRuleSetId,
  type RuleSetInput,
} from "../../shared/criteria/index.ts";
import { BienbanError, InvalidInputError } from "../../shared/errors.ts";
import { codes, goodMeeting, withAttendance } from "./fixtures.ts";

describe("registry", () => {
  it("ships 12-HD-2018 (default) and 42-HD-2025", () => {
    expect(RULE_SET_IDS).toEqual(["12-HD-2018", "42-HD-2025"]);
    expect(DEFAULT_RULE_SET).toBe("12-HD-2018");
    for (const id of RULE_SET_IDS) {
      const set = getRuleSet(id);
      expect(set.id).toBe(id);
      // each shipped set covers exactly the per-meeting codes of CONTRACT.md §3, in the same order
      expect(set.rules.map((r) => r.code)).toEqual([...MEETING_FLAG_CODES]);
    }
  });

  it("the default is 12-HD-2018", () => {
    const m = goodMeeting({ opinions: [] });
    expect(evaluate(m)).toEqual(evaluate(m, { ruleSet: "12-HD-2018" }));
  });

  it("an unknown rule set id is bad input with a Vietnamese and an English message", () => {
    let caught: unknown;
    try {
      getRuleSet("99-HD-2030");
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidInputError);
    expect(caught).toBeInstanceOf(BienbanError);
    expect(caught).toMatchObject({ code: "UNKNOWN_RULE_SET", status: 400 });
    if (caught instanceof BienbanError) {
      expect(caught.messageVi).toContain("Không có bộ tiêu chí");
      expect(caught.messageVi).toContain("12-HD-2018, 42-HD-2025");
      expect(caught.messageEn).toContain("Unknown rule set");
    }
  });

  it("toRuleSetId / isRuleSetId turn a typed string into a RuleSetId without a cast", () => {
    expect(toRuleSetId("42-HD-2025")).toBe("42-HD-2025");
    expect(isRuleSetId("12-HD-2018")).toBe(true);
    expect(isRuleSetId("12-hd-2018")).toBe(false);
    expect(() => toRuleSetId("12-hd-2018")).toThrow(expect.objectContaining({ code: "UNKNOWN_RULE_SET" }));
  });

  it("evaluate with an unknown id string throws the same error", () => {
    // a caller passing a raw CLI string without checking it first
    expect(() => evaluate(goodMeeting(), { ruleSet: "nope" as never })).toThrow(InvalidInputError);
  });

  it("describeRuleSet lists code, severity, basis and vi/en descriptions", () => {
    const d = describeRuleSet("42-HD-2025");
    expect(d.id).toBe("42-HD-2025");
    expect(d.name.vi).toContain("42-HD/BTCTW");
    expect(d.rules).toHaveLength(MEETING_FLAG_CODES.length);
    const threshold = d.rules.find((r) => r.code === "ATTENDANCE_BELOW_THRESHOLD");
    expect(threshold).toMatchObject({ severity: "error", needsHistory: false });
    expect(threshold?.description.vi).toContain("85%");
    expect(threshold?.description.en).toContain("85%");
    expect(threshold?.basis).toContain("42-HD/BTCTW");
    expect(d.rules.find((r) => r.code === "REPEATED_EXCUSED_ABSENCE")?.needsHistory).toBe(true);
    expect(d.rules.filter((r) => r.severity === "warning").map((r) => r.code)).toEqual([
      "ATTENDANCE_INCONSISTENT",
      "VOTE_COUNT_INCONSISTENT",
    ]);
    expect(() => describeRuleSet("x")).toThrow(InvalidInputError);
  });
});

/** A province's own rule set, as it would arrive from a JSON file: no new code. */
const THRESHOLD_95 = {
  code: "ATTENDANCE_BELOW_THRESHOLD",
  severity: "error",
  field: "attendance.present",
  dependsOn: ["attendance.present", "attendance.total", "attendance.exempt"],
  check: {
    type: "ratioAbove",
    numerator: "attendance.present",
    denominator: "attendance.total",
    minus: ["attendance.exempt"],
    thresholdPercent: 95,
    inclusive: true,
  },
  message: {
    vi: "Tỷ lệ dự sinh hoạt {rate}% (có mặt {present}/{required}), dưới {threshold}% theo quy định của Tỉnh ủy.",
    en: "Attendance {rate}% ({present}/{required}), below the province's {threshold}%.",
  },
  description: { vi: "Tỷ lệ dự sinh hoạt từ 95% trở lên.", en: "Attendance at least 95%." },
  basis: "Quy định 01-QĐ/TU, điều 3",
} satisfies RuleSetInput["rules"][number];

const PROVINCE = {
  id: "TINH-X-2026",
  name: { vi: "Quy định của Tỉnh ủy X về chất lượng sinh hoạt chi bộ", en: "Province X regulation on cell meeting quality" },
  source: "Quy định số 01-QĐ/TU (giả định, dùng cho kiểm thử)",
  rules: [
    THRESHOLD_95,
    {
      code: "DURATION_TOO_SHORT",
      severity: "warning",
      field: "durationMinutes",
      dependsOn: ["durationMinutes", "startTime", "endTime"],
      check: { type: "durationAtLeast", minutesByKind: { regular: 100, thematic: 110, combined: 150 } },
      message: { vi: "Chỉ sinh hoạt {minutes} phút (yêu cầu {min} phút).", en: "Only {minutes} minutes ({min} required)." },
      description: { vi: "Thời gian sinh hoạt theo quy định của Tỉnh ủy.", en: "Meeting length per the province." },
      basis: "Quy định 01-QĐ/TU, điều 4",
    },
    {
      code: "SUPERIOR_NOT_RECORDED",
      severity: "warning",
      field: "superiorAttendees",
      dependsOn: ["superiorAttendees"],
      check: { type: "required", fields: ["superiorAttendees"] },
      message: { vi: "Không ghi cấp ủy cấp trên dự sinh hoạt.", en: "No superior committee member recorded." },
      description: { vi: "Ghi cấp ủy viên cấp trên dự.", en: "Record the superior committee members attending." },
      basis: "Quy định 01-QĐ/TU, điều 5",
    },
  ],
} satisfies RuleSetInput;

describe("a custom rule set as data", () => {
  it("a province requiring at least 95 % attendance flags 18/19 (94.7 %) and passes 19/20 (95 %, inclusive)", () => {
    const ruleSet = parseRuleSet(PROVINCE);
    // goodMeeting: 18 of (20 − 1) = 94.7 %: fine under 12-HD, not under the province
    expect(codes(goodMeeting({ superiorAttendees: ["Phạm Văn Dũng"] }))).toEqual([]);
    const flags = evaluate(goodMeeting({ superiorAttendees: ["Phạm Văn Dũng"] }), { ruleSet });
    expect(flags).toEqual([
      {
        code: "ATTENDANCE_BELOW_THRESHOLD",
        severity: "error",
        field: "attendance.present",
        message: "Tỷ lệ dự sinh hoạt 94,7% (có mặt 18/19), dưới 95% theo quy định của Tỉnh ủy.",
        messageEn: "Attendance 94.7% (18/19), below the province's 95%.",
        basis: "Quy định 01-QĐ/TU, điều 3",
      },
    ]);
    const exactly95 = withAttendance({ total: 20, exempt: 0, present: 19, absentExcused: 1 }, { superiorAttendees: ["Phạm Văn Dũng"] });
    expect(evaluate(exactly95, { ruleSet })).toEqual([]);
  });

  it("its own durations, severities and new codes apply; rules it does not list are not checked", () => {
    const m = goodMeeting({ durationMinutes: 95, opinions: [], signatures: { chair: false, secretary: false } });
    expect(codes(m)).toEqual(["MISSING_OPINIONS", "MISSING_CHAIR_SIGNATURE", "MISSING_SECRETARY_SIGNATURE"]);
    const flags = evaluate(m, { ruleSet: parseRuleSet(PROVINCE) });
    expect(flags.map((f) => [f.code, f.severity])).toEqual([
      ["ATTENDANCE_BELOW_THRESHOLD", "error"],
      ["DURATION_TOO_SHORT", "warning"],
      ["SUPERIOR_NOT_RECORDED", "warning"],
    ]);
    expect(flags[1]?.message).toBe("Chỉ sinh hoạt 95 phút (yêu cầu 100 phút).");
  });

  it("a threshold compared in integers: 11 of 20 is exactly 55 %, not above it (floating point says 55.00000000000001)", () => {
    const fiftyFive = parseRuleSet({
      ...PROVINCE,
      rules: [{ ...THRESHOLD_95, check: { ...THRESHOLD_95.check, thresholdPercent: 55, inclusive: false } }],
    });
    expect((11 / 20) * 100 > 55).toBe(true); // the trap
    const m = withAttendance({ total: 20, exempt: 0, present: 11, absentExcused: 9, absentUnexcused: 0 });
    expect(codes(m, { ruleSet: fiftyFive })).toEqual(["ATTENDANCE_BELOW_THRESHOLD"]);
    expect(codes(withAttendance({ total: 20, exempt: 0, present: 12 }), { ruleSet: fiftyFive })).toEqual([]);
  });

  it("fractional thresholds: 87.5 % is shown with a decimal comma and compared exactly", () => {
    const set = parseRuleSet({
      ...PROVINCE,
      rules: [{ ...THRESHOLD_95, check: { ...THRESHOLD_95.check, thresholdPercent: 87.5, inclusive: false } }],
    });
    const exactly = evaluate(withAttendance({ total: 8, exempt: 0, present: 7 }), { ruleSet: set });
    expect(exactly[0]?.message).toBe("Tỷ lệ dự sinh hoạt 87,5% (có mặt 7/8), dưới 87,5% theo quy định của Tỉnh ủy.");
    expect(codes(withAttendance({ total: 16, exempt: 0, present: 15 }), { ruleSet: set })).toEqual([]);
  });

  it("a raw rule set object (defaults not filled in) can be passed to evaluate again and again", () => {
    // as read from a province's JSON file, leaving out `minus` and `inclusive`, which have defaults
    const { minus: _minus, inclusive: _inclusive, ...check } = THRESHOLD_95.check;
    const raw: unknown = JSON.parse(JSON.stringify({ ...PROVINCE, rules: [{ ...THRESHOLD_95, check }, ...PROVINCE.rules.slice(1)] }));
    const m = withAttendance({ total: 20, exempt: 0, present: 18, absentExcused: 2 });
    const first = evaluate(m, { ruleSet: raw as never });
    expect(first.map((f) => f.code)).toEqual(["ATTENDANCE_BELOW_THRESHOLD", "SUPERIOR_NOT_RECORDED"]);
    expect(evaluate(m, { ruleSet: raw as never })).toEqual(first);
  });

  it("the shipped rule sets cannot be changed by a caller", () => {
    const set = getRuleSet("12-HD-2018");
    expect(() => {
      Object.assign(set.rules[0] ?? {}, { severity: "warning" });
    }).toThrow(TypeError);
    expect(getRuleSet("12-HD-2018").rules[0]?.severity).toBe("error");
  });

  it("invalid rule sets are rejected at load with the path of the problem", () => {
    const bad = (rules: unknown[]) => () => parseRuleSet({ ...PROVINCE, rules });
    // a field that is not in the meeting model
    expect(bad([{ ...THRESHOLD_95, dependsOn: ["attendance.presnt"] }])).toThrow(/rules\.0\.dependsOn\.0/);
    // a placeholder this check type does not fill
    expect(bad([{ ...THRESHOLD_95, message: { ...THRESHOLD_95.message, vi: "Có mặt {minutes}" } }])).toThrow(/\{minutes\}/);
    // an unknown check type
    expect(bad([{ ...THRESHOLD_95, check: { type: "scoreOutOf100" } }])).toThrow(InvalidInputError);
    // duplicate codes
    expect(bad([THRESHOLD_95, THRESHOLD_95])).toThrow(/duplicate rule code/);
    // a threshold over 100 %
    expect(bad([{ ...THRESHOLD_95, check: { ...THRESHOLD_95.check, thresholdPercent: 101 } }])).toThrow(/thresholdPercent/);
    // a duration rule missing a kind
    const noKinds = { type: "durationAtLeast", minutesByKind: { regular: 90 } };
    expect(bad([{ ...THRESHOLD_95, message: { vi: "Ngắn.", en: "Short." }, check: noKinds }])).toThrow(/minutesByKind/);
    // evaluate validates a rule set object it is given, too (once; the defaults it fills in stay)
    expect(() => evaluate(goodMeeting(), { ruleSet: { ...PROVINCE, rules: [] } as never })).toThrow(InvalidInputError);
  });
});
