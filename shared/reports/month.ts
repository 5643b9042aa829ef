/**
 * Calendar months as "YYYY-MM" strings, and the quarter a month belongs to. One way of doing month
 * arithmetic for the reports: integers, never Date objects (a Date carries a time zone and an hour,
 * and "the previous month" of 31 March must not depend on either).
 */
import { MonthSchema } from "../store/records.ts";

export { MonthSchema };

/** The time zone the Party's months are counted in: a meeting on 1 December 00:30 local is December. */
export const VIETNAM_TIME_ZONE = "Asia/Ho_Chi_Minh";

function parts(month: string): { y: number; m: number } {
  const ok = MonthSchema.parse(month);
  return { y: Number(ok.slice(0, 4)), m: Number(ok.slice(5, 7)) };
}

function format(y: number, m: number): string {
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}`;
}

/** `month` moved by `delta` months (negative: earlier). */
export function addMonths(month: string, delta: number): string {
  const { y, m } = parts(month);
  const index = y * 12 + (m - 1) + delta;
  return format(Math.floor(index / 12), (index % 12) + 1);
}

/** The months from `from` to `to`, both included, oldest first (empty when from > to). */
export function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

export interface Quarter {
  /** "2026-Q4" */
  id: string;
  /** the quarter's months up to and including the given month, oldest first */
  monthsSoFar: string[];
  /** the given month is the quarter's last: a missing thematic meeting is now a finding, not a warning */
  isLastMonth: boolean;
}

export function quarterOf(month: string): Quarter {
  const { y, m } = parts(month);
  const q = Math.ceil(m / 3);
  const first = format(y, (q - 1) * 3 + 1);
  return { id: `${y}-Q${q}`, monthsSoFar: monthRange(first, month), isLastMonth: m % 3 === 0 };
}

/** The calendar month of an instant in Vietnam time. */
export function monthInVietnam(at: Date): string {
  const p = new Intl.DateTimeFormat("en-CA", { timeZone: VIETNAM_TIME_ZONE, year: "numeric", month: "2-digit" }).formatToParts(at);
  const year = p.find((x) => x.type === "year")?.value ?? "";
  const month = p.find((x) => x.type === "month")?.value ?? "";
  return MonthSchema.parse(`${year}-${month}`);
}
