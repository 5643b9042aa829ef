/**
 * The hand-computed example of the report tests: a small tree and half a year of meetings, every
 * figure of the June 2026 report worked out by hand in report.test.ts.
 *
 *   tinh-a  Đảng bộ tỉnh An (root)
 *   ├─ huyen-b  Đảng bộ huyện Bắc
 *   │  ├─ cb-co-quan  Chi bộ Cơ quan huyện   (cell directly under the district)
 *   │  └─ xa-c  Đảng bộ xã Cẩm
 *   │     ├─ cb-dong  Chi bộ thôn Đông
 *   │     └─ cb-tay   Chi bộ thôn Tây
 *   └─ huyen-d  Đảng bộ huyện Dương
 *      └─ cb-nam  Chi bộ thôn Nam
 *   tinh-khac  Đảng bộ tỉnh Khác (another root, for isolation)
 *      └─ cb-khac  Chi bộ Khác
 */
import { createHash, randomUUID } from "node:crypto";
import { emptyMeeting, type Absentee, type Flag, type MeetingKind } from "../../shared/meeting/schema.ts";
import type { DynamoStore } from "../../shared/store/dynamo-store.ts";
import type { MeetingRecord, Org } from "../../shared/store/records.ts";

export const ORGS: Org[] = [
  { id: "tinh-a", name: "Đảng bộ tỉnh An", kind: "committee", parentId: null, path: "tinh-a" },
  { id: "huyen-b", name: "Đảng bộ huyện Bắc", kind: "committee", parentId: "tinh-a", path: "tinh-a/huyen-b" },
  { id: "cb-co-quan", name: "Chi bộ Cơ quan huyện", kind: "cell", parentId: "huyen-b", path: "tinh-a/huyen-b/cb-co-quan" },
  { id: "xa-c", name: "Đảng bộ xã Cẩm", kind: "committee", parentId: "huyen-b", path: "tinh-a/huyen-b/xa-c" },
  { id: "cb-dong", name: "Chi bộ thôn Đông", kind: "cell", parentId: "xa-c", path: "tinh-a/huyen-b/xa-c/cb-dong" },
  { id: "cb-tay", name: "Chi bộ thôn Tây", kind: "cell", parentId: "xa-c", path: "tinh-a/huyen-b/xa-c/cb-tay" },
  { id: "huyen-d", name: "Đảng bộ huyện Dương", kind: "committee", parentId: "tinh-a", path: "tinh-a/huyen-d" },
  { id: "cb-nam", name: "Chi bộ thôn Nam", kind: "cell", parentId: "huyen-d", path: "tinh-a/huyen-d/cb-nam" },
  { id: "tinh-khac", name: "Đảng bộ tỉnh Khác", kind: "committee", parentId: null, path: "tinh-khac" },
  { id: "cb-khac", name: "Chi bộ Khác", kind: "cell", parentId: "tinh-khac", path: "tinh-khac/cb-khac" },
];

const flag = (code: string, severity: Flag["severity"] = "error"): Flag => ({ code, severity, field: "x", message: "m", basis: "b" });
const CUONG: Absentee = { name: "Lê Văn Cường", excused: true, reason: "đi công tác" };
const HOA: Absentee = { name: "Trần Thị Hoa", excused: false, reason: null };

interface M {
  cell: string;
  date: string;
  kind: MeetingKind;
  total: number;
  exempt?: number;
  present: number;
  start?: string;
  end?: string;
  absentees?: Absentee[];
  flags?: Flag[];
  review?: string[];
  /** cloud reading cost recorded on the meeting, USD */
  costUsd?: number;
}

export const MEETINGS: M[] = [
  // cb-dong: Cường absent with reason in January, present in February, then March–June (4 in a row)
  { cell: "cb-dong", date: "2026-01-05", kind: "regular", total: 10, exempt: 1, present: 8, absentees: [CUONG] },
  { cell: "cb-dong", date: "2026-02-05", kind: "regular", total: 10, exempt: 1, present: 9 },
  { cell: "cb-dong", date: "2026-03-05", kind: "regular", total: 10, exempt: 1, present: 8, absentees: [CUONG] },
  { cell: "cb-dong", date: "2026-04-05", kind: "combined", total: 10, exempt: 1, present: 8, absentees: [{ ...CUONG, name: "LÊ VĂN CƯỜNG" }] },
  { cell: "cb-dong", date: "2026-05-05", kind: "regular", total: 10, exempt: 1, present: 8, absentees: [CUONG] },
  // the ingest already flagged the run on the meeting itself: the report must not count it twice
  { cell: "cb-dong", date: "2026-06-05", kind: "regular", total: 10, exempt: 1, present: 8, start: "08:00", end: "10:00", absentees: [CUONG], flags: [flag("REPEATED_EXCUSED_ABSENCE")] },
  // cb-tay: no thematic meeting in Q2; June below threshold, too short, under review
  { cell: "cb-tay", date: "2026-04-10", kind: "regular", total: 12, present: 11 },
  { cell: "cb-tay", date: "2026-05-10", kind: "regular", total: 12, present: 10, absentees: [HOA], flags: [flag("ATTENDANCE_BELOW_THRESHOLD")] },
  { cell: "cb-tay", date: "2026-06-10", kind: "regular", total: 12, present: 9, start: "14:00", end: "15:00", flags: [flag("ATTENDANCE_BELOW_THRESHOLD"), flag("DURATION_TOO_SHORT")], review: ["attendance.present"] },
  // cb-co-quan: a thematic meeting in May, nothing in June
  { cell: "cb-co-quan", date: "2026-05-15", kind: "thematic", total: 6, present: 6 },
  // cb-nam: two meetings in June, one thematic
  { cell: "cb-nam", date: "2026-06-03", kind: "regular", total: 5, present: 5, start: "07:30", end: "09:05", flags: [flag("MISSING_SECRETARY_SIGNATURE")], costUsd: 0.087 },
  { cell: "cb-nam", date: "2026-06-20", kind: "thematic", total: 5, present: 4, start: "19:00", end: "20:40", flags: [flag("ATTENDANCE_BELOW_THRESHOLD")], costUsd: 0.0581 },
  // another tree: must never appear in tinh-a's report
  { cell: "cb-khac", date: "2026-06-01", kind: "regular", total: 7, present: 2, flags: [flag("ATTENDANCE_BELOW_THRESHOLD")] },
];

export function recordOf(m: M): MeetingRecord {
  const org = ORGS.find((o) => o.id === m.cell);
  if (!org) throw new Error(`no org ${m.cell}`);
  const absentees = m.absentees ?? [];
  return {
    id: randomUUID(),
    cellId: org.id,
    orgPath: org.path,
    month: m.date.slice(0, 7),
    version: 1,
    createdAt: `${m.date}T10:00:00.000Z`,
    updatedAt: `${m.date}T10:00:00.000Z`,
    contentHash: createHash("sha256").update(`${m.cell}#${m.date}#${m.kind}`).digest("hex"),
    engine: "test",
    pages: [],
    ...(m.costUsd ? { cost: { textractPages: 3, inputTokens: 9000, outputTokens: 2500, usd: m.costUsd } } : {}),
    document: {
      schemaVersion: 1,
      meeting: {
        ...emptyMeeting(),
        kind: m.kind,
        meetingDate: m.date,
        startTime: m.start ?? null,
        endTime: m.end ?? null,
        attendance: {
          total: m.total,
          exempt: m.exempt ?? 0,
          present: m.present,
          absentExcused: absentees.filter((a) => a.excused).length,
          absentUnexcused: absentees.filter((a) => a.excused === false).length,
          absentees,
        },
      },
      flags: m.flags ?? [],
      confidence: {},
      review: { needed: (m.review ?? []).length > 0, fields: m.review ?? [] },
    },
  };
}

export async function seedExample(store: DynamoStore): Promise<void> {
  for (const o of ORGS) await store.putOrg(o);
  await Promise.all(MEETINGS.map((m) => store.createMeeting(recordOf(m))));
}
