/**
 * Runs of excused absences across a cell's meetings (12-HD/BTCTW mục 1: no member absent with
 * reason more than 3 times in a row within the year). Used per meeting by the criteria engine and,
 * per member over a month's meetings, by the reports.
 */
import type { Meeting } from "../meeting/schema.ts";

/** What the run detection needs of a meeting. */
export type DatedAbsences = Pick<Meeting, "meetingDate"> & {
  attendance: Pick<Meeting["attendance"], "absentees">;
};

/**
 * The key a member's name is matched by: NFC, trimmed, spaces collapsed, case and diacritics
 * removed (đ → d), so "Lê Văn  Cường", "LÊ VĂN CƯỜNG" and "Le Van Cuong" are one member. OCR and
 * hand-typed minutes disagree on exactly these.
 */
export function nameKey(name: string): string {
  return name
    .normalize("NFC")
    .trim()
    .replace(/\s+/g, " ")
    .toLowerCase()
    .replace(/đ/g, "d")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .normalize("NFC");
}

export interface ExcusedAbsenceRun<T extends DatedAbsences> {
  /** the name as written in the last meeting of the run */
  name: string;
  key: string;
  /** number of consecutive meetings the member was absent with reason */
  length: number;
  first: T;
  last: T;
}

/** The members absent with reason (excused === true) in one meeting, by name key. */
function excusedAbsentees(meeting: DatedAbsences): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of meeting.attendance.absentees) {
    if (a.excused !== true) continue;
    const key = nameKey(a.name);
    if (key.length > 0 && !out.has(key)) out.set(key, a.name.normalize("NFC").trim().replace(/\s+/g, " "));
  }
  return out;
}

/**
 * Every maximal run of consecutive excused absences of each member. Meetings are ordered by
 * meetingDate (ties keep their given order); undated meetings cannot be placed and are ignored. A
 * run never crosses a calendar year. A meeting where the member is present, absent without reason,
 * absent with unknown excuse, or simply not listed breaks the run: unknown never lengthens a run.
 */
export function excusedAbsenceRuns<T extends DatedAbsences>(meetings: readonly T[]): ExcusedAbsenceRun<T>[] {
  const dated = meetings
    .filter((m): m is T & { meetingDate: string } => m.meetingDate !== null)
    .map((m, i) => ({ m, i }))
    .sort((a, b) => (a.m.meetingDate < b.m.meetingDate ? -1 : a.m.meetingDate > b.m.meetingDate ? 1 : a.i - b.i))
    .map(({ m }) => m);

  const runs: ExcusedAbsenceRun<T>[] = [];
  let open = new Map<string, ExcusedAbsenceRun<T>>();
  let year: string | null = null;
  for (const meeting of dated) {
    const y = meeting.meetingDate.slice(0, 4);
    if (y !== year) {
      runs.push(...open.values());
      open = new Map();
      year = y;
    }
    const absent = excusedAbsentees(meeting);
    const next = new Map<string, ExcusedAbsenceRun<T>>();
    for (const [key, name] of absent) {
      const run = open.get(key);
      next.set(key, run ? { ...run, name, length: run.length + 1, last: meeting } : { name, key, length: 1, first: meeting, last: meeting });
    }
    for (const [key, run] of open) if (!next.has(key)) runs.push(run);
    open = next;
  }
  runs.push(...open.values());
  return runs;
}

/**
 * The members of `current` whose run of excused absences, ending at `current`, is longer than
 * `maxInRow`. `history` holds earlier meetings of the same cell in any order; those of other years,
 * later dates or no date are ignored, and so is an entry that is the current meeting itself.
 */
export function repeatedExcusedAbsences<T extends DatedAbsences>(
  current: T,
  history: readonly T[],
  maxInRow: number,
): ExcusedAbsenceRun<T>[] {
  const date = current.meetingDate;
  if (date === null) return [];
  const year = date.slice(0, 4);
  const currentJson = JSON.stringify(current);
  const earlier = history.filter(
    (m) =>
      m !== current &&
      m.meetingDate !== null &&
      m.meetingDate.slice(0, 4) === year &&
      m.meetingDate <= date &&
      JSON.stringify(m) !== currentJson,
  );
  // current last: among meetings of the same date it is the latest we know of
  return excusedAbsenceRuns([...earlier, current]).filter((run) => run.last === current && run.length > maxInRow);
}
