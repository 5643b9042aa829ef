/**
 * Building the monthly report: read once, compute many.
 *
 * Reading (loadTree): the organisation subtree (GSI1 CHILDREN# queries) and, for each month the
 * report needs, the subtree's meetings as ONE GSI1 range (TREE#root#month, begins_with(orgPath/)),
 * paged. Never a query per cell, never a Scan. The months needed: the previous N months for the
 * trend, and January up to the report month for the runs of excused absences ("within the year";
 * this also covers the quarter). Each meeting is reduced to the few fields the report uses as soon
 * as it is read, so a province's year fits in memory.
 *
 * Computing (computeReport): pure, for the tree's root or any committee inside it, so the scheduled
 * run reads a tree once and reports every committee of it.
 */
import { mapLimit } from "../concurrency.ts";
import { excusedAbsenceRuns, getRuleSet, type RuleSet, type RuleSetId } from "../criteria/index.ts";
import { InvalidInputError, NotFoundError } from "../errors.ts";
import { minutesBetween, type Meeting, type MeetingKind, type Severity } from "../meeting/schema.ts";
import type { DynamoStore } from "../store/dynamo-store.ts";
import { MonthSchema, OrgIdSchema, type MeetingRecord, type Org } from "../store/records.ts";
import { addMonths, monthInVietnam, monthRange, quarterOf } from "./month.ts";
import {
  REPORT_SCHEMA_VERSION,
  ReportSchema,
  type CellRow,
  type Finding,
  type LevelRow,
  type LevelStats,
  type MeetingSummary,
  type MemberRow,
  type Report,
  type TrendRow,
} from "./schema.ts";

export interface BuildReportOptions {
  orgId: string;
  month: string;
  /** a shipped rule set id or a rule set object; default 12-HD-2018 */
  ruleSet?: RuleSetId | RuleSet;
  /** months of trend before the report month */
  previousMonths?: number;
  /** "now", for generatedAt and the future-month check (tests) */
  now?: Date;
}

export type ReportProgress =
  | { stage: "orgs"; orgs: number; cells: number }
  | { stage: "meetings"; month: string; meetings: number; monthsDone: number; months: number }
  | { stage: "computed"; orgId: string; cells: number; ms: number };

export type OnProgress = (e: ReportProgress) => void;

/** What the report keeps of one stored meeting. Shaped as DatedAbsences for the run detection. */
export interface CompactMeeting {
  id: string;
  cellId: string;
  month: string;
  meetingDate: string | null;
  kind: MeetingKind | null;
  durationMinutes: number | null;
  present: number | null;
  required: number | null;
  /** unrounded percent */
  rate: number | null;
  /** distinct codes, each with its most severe severity */
  flags: Map<string, Severity>;
  reviewNeeded: boolean;
  reviewFields: string[];
  /** what reading the meeting cost (cloud engines), USD */
  costUsd: number;
  /** only the members absent with reason: all the run detection needs */
  attendance: { absentees: Meeting["attendance"]["absentees"] };
}

export interface TreeData {
  root: Org;
  /** root first, then its subtree depth first */
  orgs: Org[];
  month: string;
  trendMonths: string[];
  meetingsByMonth: Map<string, CompactMeeting[]>;
  ruleSet: RuleSet;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const percent = (num: number, den: number): number | null => (den > 0 ? round1((num / den) * 100) : null);
const inSubtree = (scopePath: string, path: string) => path === scopePath || path.startsWith(`${scopePath}/`);
const worse = (a: Severity | undefined, b: Severity): Severity => (a === "error" || b === "error" ? "error" : "warning");

/** The month is checked here, not only at the edges: every caller gets the same bilingual message. */
export function parseReportMonth(month: string, now: Date = new Date()): string {
  const parsed = MonthSchema.safeParse(month);
  if (!parsed.success) {
    const shown = JSON.stringify(month.slice(0, 20));
    throw new InvalidInputError("BAD_MONTH", `Tháng ${shown} không hợp lệ; cần dạng YYYY-MM (tháng 01–12).`, `Invalid month ${shown}; use YYYY-MM (month 01–12).`);
  }
  if (parsed.data > monthInVietnam(now)) {
    throw new InvalidInputError("MONTH_IN_FUTURE", `Tháng ${parsed.data} chưa tới, chưa thể lập báo cáo.`, `Month ${parsed.data} has not begun; no report can be made yet.`);
  }
  return parsed.data;
}

export function resolveRuleSet(ruleSet: RuleSetId | RuleSet | undefined): RuleSet {
  return typeof ruleSet === "object" ? ruleSet : getRuleSet(ruleSet ?? "12-HD-2018");
}

export async function getReportOrg(store: DynamoStore, orgId: string): Promise<Org> {
  const id = OrgIdSchema.safeParse(orgId);
  const org = id.success ? await store.getOrg(id.data) : null;
  if (!org) throw new NotFoundError({ vi: "tổ chức đảng", en: "Organisation" });
  return org;
}

export function compactMeeting(r: MeetingRecord): CompactMeeting {
  const m = r.document.meeting;
  const a = m.attendance;
  const required = a.total === null ? null : Math.max(a.total - a.exempt, 0);
  const duration = m.durationMinutes ?? (m.startTime && m.endTime ? minutesBetween(m.startTime, m.endTime) : null);
  const flags = new Map<string, Severity>();
  for (const f of r.document.flags) flags.set(f.code, worse(flags.get(f.code), f.severity));
  return {
    id: r.id,
    cellId: r.cellId,
    month: r.month,
    meetingDate: m.meetingDate,
    kind: m.kind,
    durationMinutes: duration,
    present: a.present,
    required,
    rate: a.present !== null && required !== null && required > 0 ? (a.present / required) * 100 : null,
    flags,
    reviewNeeded: r.document.review.needed,
    costUsd: r.cost?.usd ?? 0,
    reviewFields: r.document.review.fields,
    attendance: { absentees: a.absentees.filter((x) => x.excused === true) },
  };
}


/** Reads everything a report of `root` (or of any committee below it) for `month` needs. */
export async function loadTree(
  store: DynamoStore,
  root: Org,
  month: string,
  options: { ruleSet?: RuleSetId | RuleSet; previousMonths?: number } = {},
  onProgress?: OnProgress,
): Promise<TreeData> {
  const previous = Math.max(0, Math.min(options.previousMonths ?? 3, 24));
  const orgs = [root, ...(root.kind === "committee" ? await store.listSubtree(root.id) : [])];
  onProgress?.({ stage: "orgs", orgs: orgs.length, cells: orgs.filter((o) => o.kind === "cell").length });

  const trendMonths = monthRange(addMonths(month, -previous), month);
  const yearMonths = monthRange(`${month.slice(0, 4)}-01`, month);
  const months = [...new Set([...trendMonths, ...yearMonths])].sort();
  let done = 0;
  const perMonth = await mapLimit(months, 4, async (m) => {
    const items: CompactMeeting[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listMeetings({ orgPath: root.path, month: m, limit: 200, cursor });
      for (const r of page.items) items.push(compactMeeting(r));
      cursor = page.cursor ?? undefined;
    } while (cursor);
    onProgress?.({ stage: "meetings", month: m, meetings: items.length, monthsDone: ++done, months: months.length });
    return [m, items] as const;
  });
  return { root, orgs, month, trendMonths, meetingsByMonth: new Map(perMonth), ruleSet: resolveRuleSet(options.ruleSet) };
}

interface CellState {
  org: Org;
  meetings: CompactMeeting[];
  counts: Map<string, number>;
  severities: Map<string, Severity>;
}

function emptyStats(): LevelStats {
  return { cells: 0, cellsWithMeeting: 0, meetingRate: null, meetings: 0, flaggedMeetings: 0, meetingsNeedingReview: 0, averageAttendanceRate: null, countsByCode: {}, findings: 0, readingCostUsd: 0 };
}

function stats(cells: readonly CellState[]): LevelStats {
  const s = emptyStats();
  let rateSum = 0;
  let rated = 0;
  const counts: Record<string, number> = {};
  for (const c of cells) {
    s.cells++;
    if (c.meetings.length > 0) s.cellsWithMeeting++;
    for (const m of c.meetings) {
      s.meetings++;
      if (m.flags.size > 0) s.flaggedMeetings++;
      if (m.reviewNeeded) s.meetingsNeedingReview++;
      s.readingCostUsd += m.costUsd;
      if (m.rate !== null) {
        rateSum += m.rate;
        rated++;
      }
    }
    for (const [code, n] of c.counts) {
      counts[code] = (counts[code] ?? 0) + n;
      s.findings += n;
    }
  }
  s.meetingRate = percent(s.cellsWithMeeting, s.cells);
  s.averageAttendanceRate = rated > 0 ? round1(rateSum / rated) : null;
  s.countsByCode = sortedRecord(counts);
  s.readingCostUsd = Math.round(s.readingCostUsd * 10_000) / 10_000;
  return s;
}

function sortedRecord(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function findingsOf(counts: Map<string, number>, severities: Map<string, Severity>): Finding[] {
  return [...counts]
    .map(([code, count]) => ({ code, count, severity: severities.get(code) ?? "error" }))
    .sort((a, b) => (a.severity !== b.severity ? (a.severity === "error" ? -1 : 1) : b.count - a.count || (a.code < b.code ? -1 : 1)));
}

function summary(m: CompactMeeting): MeetingSummary {
  const flagsByCode: Record<string, number> = {};
  for (const code of [...m.flags.keys()].sort()) flagsByCode[code] = 1;
  return {
    id: m.id,
    kind: m.kind,
    date: m.meetingDate,
    durationMinutes: m.durationMinutes,
    present: m.present,
    required: m.required,
    attendanceRate: m.rate === null ? null : round1(m.rate),
    flagsByCode,
    reviewNeeded: m.reviewNeeded,
    reviewFields: m.reviewFields,
  };
}

const byDate = (a: CompactMeeting, b: CompactMeeting) => (a.meetingDate ?? "9999") < (b.meetingDate ?? "9999") ? -1 : (a.meetingDate ?? "9999") > (b.meetingDate ?? "9999") ? 1 : a.id < b.id ? -1 : 1;
const collator = new Intl.Collator("vi");

/** The report of `scopeId` (the tree's root or a committee or cell inside it), from loaded data. */
export function computeReport(data: TreeData, scopeId: string, generatedAt: Date = new Date()): Report {
  const scope = data.orgs.find((o) => o.id === scopeId);
  if (!scope) throw new NotFoundError({ vi: "tổ chức đảng", en: "Organisation" });
  const orgs = data.orgs.filter((o) => inSubtree(scope.path, o.path));
  const byId = new Map(data.orgs.map((o) => [o.id, o]));
  const month = data.month;
  const quarter = quarterOf(month);
  const rule = data.ruleSet.rules.find((r) => r.check.type === "repeatedExcusedAbsence");
  const maxInRow = rule?.check.type === "repeatedExcusedAbsence" ? rule.check.maxInRow : null;

  // meetings of the scope's cells, per month and cell; a meeting of a cell no longer in the tree is ignored
  const cellIds = new Set(orgs.filter((o) => o.kind === "cell").map((o) => o.id));
  const byCell = new Map<string, Map<string, CompactMeeting[]>>();
  for (const [m, list] of data.meetingsByMonth) {
    const perCell = new Map<string, CompactMeeting[]>();
    for (const meeting of list) {
      if (!cellIds.has(meeting.cellId)) continue;
      const bucket = perCell.get(meeting.cellId);
      if (bucket) bucket.push(meeting);
      else perCell.set(meeting.cellId, [meeting]);
    }
    byCell.set(m, perCell);
  }
  const meetingsOf = (cellId: string, m: string) => byCell.get(m)?.get(cellId) ?? [];

  const members: MemberRow[] = [];
  const states = new Map<string, CellState>();
  for (const org of orgs) {
    if (org.kind !== "cell") continue;
    const meetings = [...meetingsOf(org.id, month)].sort(byDate);
    const counts = new Map<string, number>();
    const severities = new Map<string, Severity>();
    const add = (code: string, severity: Severity, n = 1) => {
      counts.set(code, (counts.get(code) ?? 0) + n);
      severities.set(code, worse(severities.get(code), severity));
    };
    for (const m of meetings) for (const [code, sev] of m.flags) if (code !== "REPEATED_EXCUSED_ABSENCE") add(code, sev);
    if (meetings.length === 0) add("NO_MEETING_IN_MONTH", "error");
    const thematic = quarter.monthsSoFar.some((q) => meetingsOf(org.id, q).some((m) => m.kind === "thematic" || m.kind === "combined"));
    if (!thematic) add("NO_THEMATIC_IN_QUARTER", quarter.isLastMonth ? "error" : "warning");
    if (rule && maxInRow !== null) {
      const year = monthRange(`${month.slice(0, 4)}-01`, month).flatMap((m) => meetingsOf(org.id, m));
      // runs still open in the report month: the member was absent with reason this month too
      const runs = excusedAbsenceRuns(year).filter((r) => r.length > maxInRow && r.last.meetingDate?.slice(0, 7) === month);
      for (const r of runs) {
        members.push({ cellId: org.id, cellName: org.name, name: r.name, inRow: r.length, from: r.first.meetingDate ?? "", to: r.last.meetingDate ?? "" });
      }
      if (runs.length > 0) add("REPEATED_EXCUSED_ABSENCE", rule.severity, runs.length);
    }
    states.set(org.id, { org, meetings, counts, severities });
  }

  const cellsUnder = (o: Org) => [...states.values()].filter((s) => inSubtree(o.path, s.org.path));
  const levelOrgs = orgs.filter((o) => o.kind === "committee" || o.id === scope.id);
  const depthOf = (o: Org) => o.path.split("/").length - scope.path.split("/").length;
  const levels: LevelRow[] = levelOrgs.map((o) => ({ id: o.id, name: o.name, kind: o.kind, path: o.path, parentId: o.parentId, depth: depthOf(o), stats: stats(cellsUnder(o)) }));

  const cells: CellRow[] = [...states.values()]
    .map((s) => {
      const findingCount = [...s.counts.values()].reduce((a, b) => a + b, 0);
      const parent = s.org.parentId ? byId.get(s.org.parentId) : undefined;
      return {
        id: s.org.id,
        name: s.org.name,
        path: s.org.path,
        parentId: s.org.parentId,
        parentName: parent?.name ?? null,
        meetingHeld: s.meetings.length > 0,
        meetings: s.meetings.map(summary),
        thematicInQuarter: !s.counts.has("NO_THEMATIC_IN_QUARTER"),
        findings: findingsOf(s.counts, s.severities),
        flagsByCode: sortedRecord(Object.fromEntries(s.counts)),
        findingCount,
        reviewNeeded: s.meetings.some((m) => m.reviewNeeded),
      };
    })
    .sort((a, b) => b.findingCount - a.findingCount || collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1));

  const all = [...states.values()];
  const allCounts = new Map<string, number>();
  const allSeverities = new Map<string, Severity>();
  for (const s of all) {
    for (const [code, n] of s.counts) allCounts.set(code, (allCounts.get(code) ?? 0) + n);
    for (const [code, sev] of s.severities) allSeverities.set(code, worse(allSeverities.get(code), sev));
  }

  const trend: TrendRow[] = data.trendMonths.map((m) => {
    let cellsWithMeeting = 0;
    let meetings = 0;
    let flagged = 0;
    let rateSum = 0;
    let rated = 0;
    const codes: Record<string, number> = {};
    for (const s of all) {
      const list = meetingsOf(s.org.id, m);
      if (list.length > 0) cellsWithMeeting++;
      for (const x of list) {
        meetings++;
        if (x.flags.size > 0) flagged++;
        if (x.rate !== null) {
          rateSum += x.rate;
          rated++;
        }
        for (const code of x.flags.keys()) codes[code] = (codes[code] ?? 0) + 1;
      }
    }
    return {
      month: m,
      cells: all.length,
      cellsWithMeeting,
      meetingRate: percent(cellsWithMeeting, all.length),
      meetings,
      flaggedMeetings: flagged,
      averageAttendanceRate: rated > 0 ? round1(rateSum / rated) : null,
      meetingFlagsByCode: sortedRecord(codes),
    };
  });

  members.sort((a, b) => b.inRow - a.inRow || collator.compare(a.cellName, b.cellName) || collator.compare(a.name, b.name));
  const totals = levels[0]?.stats ?? emptyStats();
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    org: { id: scope.id, name: scope.name, kind: scope.kind, path: scope.path },
    month,
    generatedAt: generatedAt.toISOString(),
    ruleSet: { id: data.ruleSet.id, maxExcusedInRow: maxInRow },
    quarter: { id: quarter.id, months: quarter.monthsSoFar, isLastMonth: quarter.isLastMonth },
    totals,
    findingsByCode: findingsOf(allCounts, allSeverities).sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1)),
    levels,
    cells,
    members,
    trend,
  };
}

/** The report of one organisation's subtree for one month, read from the store. */
export async function buildReport(store: DynamoStore, options: BuildReportOptions, onProgress?: OnProgress): Promise<Report> {
  const now = options.now ?? new Date();
  const month = parseReportMonth(options.month, now);
  const org = await getReportOrg(store, options.orgId);
  const started = performance.now();
  const data = await loadTree(store, org, month, options, onProgress);
  const report = ReportSchema.parse(computeReport(data, org.id, now));
  onProgress?.({ stage: "computed", orgId: org.id, cells: report.cells.length, ms: Math.round(performance.now() - started) });
  return report;
}
