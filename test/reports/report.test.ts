/**
 * The figures of the monthly report against the hand-computed example (example.ts), on DynamoDB
 * Local. Every number below was worked out by hand from the meetings listed in example.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { InvalidInputError, NotFoundError } from "../../shared/errors.ts";
import { buildReport, type ReportProgress } from "../../shared/reports/build.ts";
import { ReportSchema, type Report } from "../../shared/reports/schema.ts";
import type { DynamoStore } from "../../shared/store/dynamo-store.ts";
import { freshStore } from "../helpers/dynamo.ts";
import { seedExample } from "./example.ts";

const NOW = new Date("2026-07-01T00:00:00Z");

describe("monthly report figures (hand-computed example, June 2026)", () => {
  let store: DynamoStore;
  let june: Report;
  const progress: ReportProgress[] = [];

  beforeAll(async () => {
    ({ store } = await freshStore());
    await seedExample(store);
    june = await buildReport(store, { orgId: "tinh-a", month: "2026-06", now: NOW }, (e) => progress.push(e));
  });

  const cell = (id: string) => {
    const c = june.cells.find((x) => x.id === id);
    if (!c) throw new Error(`no cell ${id}`);
    return c;
  };
  const level = (id: string) => june.levels.find((x) => x.id === id)?.stats;

  it("is a valid, versioned report of the organisation and month", () => {
    expect(ReportSchema.parse(june)).toEqual(june);
    expect(june.schemaVersion).toBe(1);
    expect(june.org).toEqual({ id: "tinh-a", name: "Đảng bộ tỉnh An", kind: "committee", path: "tinh-a" });
    expect(june.month).toBe("2026-06");
    expect(june.generatedAt).toBe(NOW.toISOString());
    expect(june.ruleSet).toEqual({ id: "12-HD-2018", maxExcusedInRow: 3 });
    expect(june.quarter).toEqual({ id: "2026-Q2", months: ["2026-04", "2026-05", "2026-06"], isLastMonth: true });
  });

  it("lists the subtree's cells only, most findings first", () => {
    // tay 3 (ABT, DTS, NO_THEMATIC), nam 2 (MSS, ABT), then co-quan 1 and dong 1 by name (C < t)
    expect(june.cells.map((c) => [c.id, c.findingCount])).toEqual([
      ["cb-tay", 3],
      ["cb-nam", 2],
      ["cb-co-quan", 1],
      ["cb-dong", 1],
    ]);
  });

  it("per cell: meeting held or NO_MEETING_IN_MONTH, kind, date, duration, attendance, flags, review", () => {
    const dong = cell("cb-dong");
    expect(dong.meetingHeld).toBe(true);
    expect(dong.parentName).toBe("Đảng bộ xã Cẩm");
    expect(dong.meetings).toHaveLength(1);
    expect(dong.meetings[0]).toMatchObject({ kind: "regular", date: "2026-06-05", durationMinutes: 120, present: 8, required: 9, attendanceRate: 88.9, reviewNeeded: false });
    // the meeting's own REPEATED_EXCUSED_ABSENCE flag is shown on the meeting …
    expect(dong.meetings[0]?.flagsByCode).toEqual({ REPEATED_EXCUSED_ABSENCE: 1 });
    // … but counted once, per member, for the cell
    expect(dong.flagsByCode).toEqual({ REPEATED_EXCUSED_ABSENCE: 1 });
    expect(dong.thematicInQuarter).toBe(true); // combined meeting in April

    const tay = cell("cb-tay");
    expect(tay.meetings[0]).toMatchObject({ kind: "regular", date: "2026-06-10", durationMinutes: 60, present: 9, required: 12, attendanceRate: 75, reviewNeeded: true, reviewFields: ["attendance.present"] });
    expect(tay.reviewNeeded).toBe(true);
    expect(tay.thematicInQuarter).toBe(false);
    expect(tay.flagsByCode).toEqual({ ATTENDANCE_BELOW_THRESHOLD: 1, DURATION_TOO_SHORT: 1, NO_THEMATIC_IN_QUARTER: 1 });
    // the quarter's last month: a missing thematic meeting is an error
    expect(tay.findings.find((f) => f.code === "NO_THEMATIC_IN_QUARTER")).toEqual({ code: "NO_THEMATIC_IN_QUARTER", severity: "error", count: 1 });

    const coQuan = cell("cb-co-quan");
    expect(coQuan.meetingHeld).toBe(false);
    expect(coQuan.meetings).toEqual([]);
    expect(coQuan.flagsByCode).toEqual({ NO_MEETING_IN_MONTH: 1 });
    expect(coQuan.thematicInQuarter).toBe(true); // thematic in May

    const nam = cell("cb-nam");
    expect(nam.meetings.map((m) => [m.date, m.kind, m.durationMinutes, m.attendanceRate])).toEqual([
      ["2026-06-03", "regular", 95, 100],
      ["2026-06-20", "thematic", 100, 80],
    ]);
    expect(nam.flagsByCode).toEqual({ ATTENDANCE_BELOW_THRESHOLD: 1, MISSING_SECRETARY_SIGNATURE: 1 });
  });

  it("names the member absent with reason four meetings in a row (the January absence is a separate run)", () => {
    expect(june.members).toEqual([{ cellId: "cb-dong", cellName: "Chi bộ thôn Đông", name: "Lê Văn Cường", inRow: 4, from: "2026-03-05", to: "2026-06-05" }]);
  });

  it("rolls the figures up level by level", () => {
    expect(june.levels.map((l) => [l.id, l.depth])).toEqual([
      ["tinh-a", 0],
      ["huyen-b", 1],
      ["xa-c", 2],
      ["huyen-d", 1],
    ]);
    // (88.89 + 75 + 100 + 80) / 4 = 85.97
    expect(level("tinh-a")).toEqual({
      cells: 4,
      cellsWithMeeting: 3,
      meetingRate: 75,
      meetings: 4,
      flaggedMeetings: 4,
      meetingsNeedingReview: 1,
      averageAttendanceRate: 86,
      countsByCode: {
        ATTENDANCE_BELOW_THRESHOLD: 2,
        DURATION_TOO_SHORT: 1,
        MISSING_SECRETARY_SIGNATURE: 1,
        NO_MEETING_IN_MONTH: 1,
        NO_THEMATIC_IN_QUARTER: 1,
        REPEATED_EXCUSED_ABSENCE: 1,
      },
      findings: 7,
      // cb-nam's two June meetings were read in the cloud: 0.087 + 0.0581
      readingCostUsd: 0.1451,
    });
    expect(june.totals).toEqual(level("tinh-a"));
    // (88.89 + 75) / 2 = 81.94
    expect(level("huyen-b")).toEqual({
      cells: 3,
      cellsWithMeeting: 2,
      meetingRate: 66.7,
      meetings: 2,
      flaggedMeetings: 2,
      meetingsNeedingReview: 1,
      averageAttendanceRate: 81.9,
      countsByCode: { ATTENDANCE_BELOW_THRESHOLD: 1, DURATION_TOO_SHORT: 1, NO_MEETING_IN_MONTH: 1, NO_THEMATIC_IN_QUARTER: 1, REPEATED_EXCUSED_ABSENCE: 1 },
      findings: 5,
      readingCostUsd: 0,
    });
    expect(level("xa-c")).toMatchObject({ cells: 2, cellsWithMeeting: 2, meetingRate: 100, meetings: 2, averageAttendanceRate: 81.9, findings: 4 });
    expect(level("huyen-d")).toEqual({
      cells: 1,
      cellsWithMeeting: 1,
      meetingRate: 100,
      meetings: 2,
      flaggedMeetings: 2,
      meetingsNeedingReview: 0,
      averageAttendanceRate: 90,
      countsByCode: { ATTENDANCE_BELOW_THRESHOLD: 1, MISSING_SECRETARY_SIGNATURE: 1 },
      findings: 2,
      readingCostUsd: 0.1451,
    });
  });

  it("gives the findings by code for the chart, most first", () => {
    expect(june.findingsByCode).toEqual([
      { code: "ATTENDANCE_BELOW_THRESHOLD", severity: "error", count: 2 },
      { code: "DURATION_TOO_SHORT", severity: "error", count: 1 },
      { code: "MISSING_SECRETARY_SIGNATURE", severity: "error", count: 1 },
      { code: "NO_MEETING_IN_MONTH", severity: "error", count: 1 },
      { code: "NO_THEMATIC_IN_QUARTER", severity: "error", count: 1 },
      { code: "REPEATED_EXCUSED_ABSENCE", severity: "error", count: 1 },
    ]);
  });

  it("compares with the three previous months", () => {
    expect(june.trend).toEqual([
      { month: "2026-03", cells: 4, cellsWithMeeting: 1, meetingRate: 25, meetings: 1, flaggedMeetings: 0, averageAttendanceRate: 88.9, meetingFlagsByCode: {} },
      // (88.89 + 91.67) / 2 = 90.28
      { month: "2026-04", cells: 4, cellsWithMeeting: 2, meetingRate: 50, meetings: 2, flaggedMeetings: 0, averageAttendanceRate: 90.3, meetingFlagsByCode: {} },
      // (88.89 + 83.33 + 100) / 3 = 90.74
      { month: "2026-05", cells: 4, cellsWithMeeting: 3, meetingRate: 75, meetings: 3, flaggedMeetings: 1, averageAttendanceRate: 90.7, meetingFlagsByCode: { ATTENDANCE_BELOW_THRESHOLD: 1 } },
      {
        month: "2026-06",
        cells: 4,
        cellsWithMeeting: 3,
        meetingRate: 75,
        meetings: 4,
        flaggedMeetings: 4,
        averageAttendanceRate: 86,
        meetingFlagsByCode: { ATTENDANCE_BELOW_THRESHOLD: 2, DURATION_TOO_SHORT: 1, MISSING_SECRETARY_SIGNATURE: 1, REPEATED_EXCUSED_ABSENCE: 1 },
      },
    ]);
  });

  it("reads January to June once each, by subtree range, and reports progress", () => {
    const months = progress.flatMap((e) => (e.stage === "meetings" ? [e.month] : [])).sort();
    expect(months).toEqual(["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]);
    expect(progress[0]).toEqual({ stage: "orgs", orgs: 8, cells: 4 });
    expect(progress.at(-1)).toMatchObject({ stage: "computed", orgId: "tinh-a", cells: 4 });
  });

  it("before the quarter's last month, a missing thematic meeting is a warning; three in a row is not yet a finding", async () => {
    const may = await buildReport(store, { orgId: "xa-c", month: "2026-05", now: NOW });
    expect(may.quarter).toEqual({ id: "2026-Q2", months: ["2026-04", "2026-05"], isLastMonth: false });
    expect(may.cells.map((c) => c.id)).toEqual(["cb-tay", "cb-dong"]);
    const tay = may.cells[0];
    expect(tay?.findings).toEqual([
      { code: "ATTENDANCE_BELOW_THRESHOLD", severity: "error", count: 1 },
      { code: "NO_THEMATIC_IN_QUARTER", severity: "warning", count: 1 },
    ]);
    expect(may.cells[1]?.findingCount).toBe(0);
    expect(may.members).toEqual([]);
    expect(may.levels.map((l) => l.id)).toEqual(["xa-c"]);
    expect(may.totals).toMatchObject({ cells: 2, cellsWithMeeting: 2, meetingRate: 100, findings: 2 });
  });

  it("a cell's own report and a trend of other length", async () => {
    const r = await buildReport(store, { orgId: "cb-nam", month: "2026-06", previousMonths: 1, now: NOW });
    expect(r.cells.map((c) => c.id)).toEqual(["cb-nam"]);
    expect(r.levels.map((l) => [l.id, l.stats.cells, l.stats.meetings])).toEqual([["cb-nam", 1, 2]]);
    expect(r.trend.map((t) => [t.month, t.cellsWithMeeting])).toEqual([
      ["2026-05", 0],
      ["2026-06", 1],
    ]);
  });

  it("reads the subtree level by level, in the order of a depth-first walk of the children", async () => {
    const depthFirst = async (id: string | null): Promise<string[]> => {
      const out: string[] = [];
      for (const child of await store.listChildren(id)) out.push(child.id, ...(child.kind === "committee" ? await depthFirst(child.id) : []));
      return out;
    };
    for (const id of [null, "tinh-a", "huyen-b", "cb-nam"]) {
      expect((await store.listSubtree(id)).map((o) => o.id)).toEqual(await depthFirst(id));
    }
  });

  it("refuses a bad month, a month to come and an unknown organisation, in both languages", async () => {
    await expect(buildReport(store, { orgId: "tinh-a", month: "2026-13", now: NOW })).rejects.toThrow(InvalidInputError);
    await expect(buildReport(store, { orgId: "tinh-a", month: "2026-13", now: NOW })).rejects.toThrow(/YYYY-MM.*\/.*YYYY-MM/);
    await expect(buildReport(store, { orgId: "tinh-a", month: "2026-08", now: NOW })).rejects.toMatchObject({ code: "MONTH_IN_FUTURE" });
    await expect(buildReport(store, { orgId: "khong-co", month: "2026-06", now: NOW })).rejects.toThrow(NotFoundError);
    await expect(buildReport(store, { orgId: "../x", month: "2026-06", now: NOW })).rejects.toThrow(NotFoundError);
  });
});
