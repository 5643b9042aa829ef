/**
 * The implementations of the closed set of check types of rule-schema.ts. A check returns the
 * values for its message template when its rule is NOT met, and null when it is met or cannot be
 * decided. Every input is read through MeetingReader, so a field under review is unknown here.
 */
import { MeetingKindSchema, minutesBetween, type Meeting, type MeetingKind } from "../meeting/schema.ts";
import { repeatedExcusedAbsences } from "./absences.ts";
import type { MeetingReader } from "./paths.ts";
import type { Check, CheckType, Localized } from "./rule-schema.ts";

/** A value for a {placeholder}: numbers are formatted per language, Localized picks the language. */
export type TemplateValue = number | string | Localized | Decimal;

/** A decimal given as an integer count of tenths/hundredths, so nothing is lost to floating point. */
export interface Decimal {
  kind: "decimal";
  scaled: number;
  decimals: number;
}

export type Raised = Record<string, TemplateValue>;

export interface CheckContext {
  reader: MeetingReader;
  history: readonly Meeting[];
}

type CheckOf<T extends CheckType> = Extract<Check, { type: T }>;
type CheckFn<T extends CheckType> = (check: CheckOf<T>, ctx: CheckContext) => Raised | null;

const KIND_LABEL: Record<MeetingKind | "unknown", Localized> = {
  regular: { vi: "thường kỳ", en: "regular" },
  thematic: { vi: "chuyên đề", en: "thematic" },
  combined: { vi: "thường kỳ kết hợp chuyên đề", en: "regular combined with thematic" },
  unknown: { vi: "chưa rõ", en: "unknown" },
};

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === "string" && value.trim() === "") || (Array.isArray(value) && value.length === 0);
}

/** The sum of the counts at `paths`, or null when any is unknown. */
function sumKnown(reader: MeetingReader, paths: readonly string[]): number | null {
  let sum = 0;
  for (const p of paths) {
    const n = reader.number(p);
    if (n === null) return null;
    sum += n;
  }
  return sum;
}

function joinNames(names: readonly string[], none: Localized): Localized {
  return names.length > 0 ? { vi: names.join(", "), en: names.join(", ") } : none;
}

const CHECKS: { [T in CheckType]: CheckFn<T> } = {
  required(check, { reader }) {
    const missing = check.fields.some(
      // a field under review (or with a reviewed part) is unread, not missing
      (f) => !reader.review.touches(f) && isBlank(reader.value(f)),
    );
    return missing ? {} : null;
  },

  someItemHas(check, { reader }) {
    const items = reader.items(check.array);
    if (items === null) return null;
    if (items.some(({ path }) => reader.review.touches(`${path}.${check.itemField}`))) return null;
    const found = items.some(({ path }) => !isBlank(reader.value(`${path}.${check.itemField}`)));
    return found ? null : {};
  },

  notFalse(check, { reader }) {
    return reader.value(check.field) === false ? {} : null;
  },

  ratioAbove(check, { reader }) {
    const numerator = reader.number(check.numerator);
    const denominator = reader.number(check.denominator);
    const minus = sumKnown(reader, check.minus);
    if (numerator === null || denominator === null || minus === null) return null;
    const required = denominator - minus;
    if (required <= 0) return null;
    // numerator/required > t/100  ⇔  numerator·100·100 > round(t·100)·required, all integers:
    // a province's 55 % threshold with 11 of 20 present is exactly 55 % here, where 11/20*100 in
    // floating point is 55.00000000000001 and would pass.
    const thresholdHundredths = Math.round(check.thresholdPercent * 100);
    const lhs = numerator * 10_000;
    const rhs = thresholdHundredths * required;
    const met = check.inclusive ? lhs >= rhs : lhs > rhs;
    if (met) return null;
    return {
      // rounded down to a tenth: a rate shown as "85%" is never really above 85 %
      rate: { kind: "decimal", scaled: Math.floor((numerator * 1000) / required), decimals: 1 },
      present: numerator,
      required,
      threshold: { kind: "decimal", scaled: thresholdHundredths, decimals: 2 },
    };
  },

  durationAtLeast(check, { reader }) {
    let minutes = reader.number("durationMinutes");
    if (minutes === null) {
      const start = reader.string("startTime");
      const end = reader.string("endTime");
      if (start === null || end === null) return null;
      minutes = minutesBetween(start, end);
    }
    const kind = MeetingKindSchema.safeParse(reader.value("kind"));
    const min = kind.success
      ? check.minutesByKind[kind.data]
      : (check.whenKindUnknown ?? Math.min(...Object.values(check.minutesByKind)));
    if (minutes >= min) return null;
    return { minutes, min, kind: KIND_LABEL[kind.success ? kind.data : "unknown"] };
  },

  countZero(check, { reader }) {
    let count = 0;
    for (const f of check.fields) count = Math.max(count, reader.number(f) ?? 0);
    const names: string[] = [];
    let matched = 0;
    if (check.items) {
      const { array, field, equals, nameField } = check.items;
      for (const { path } of reader.items(array) ?? []) {
        if (reader.value(`${path}.${field}`) !== equals) continue;
        matched += 1;
        const name = nameField ? reader.string(`${path}.${nameField}`) : null;
        if (name !== null && name.trim() !== "") names.push(name.trim());
      }
    }
    count = Math.max(count, matched);
    if (count === 0) return null;
    return { count, names: joinNames(names, { vi: "không ghi họ tên", en: "names not recorded" }) };
  },

  sumEquals(check, { reader }) {
    const sum = sumKnown(reader, check.terms);
    const total = reader.number(check.equals);
    const minus = sumKnown(reader, check.minus);
    if (sum === null || total === null || minus === null) return null;
    const expected = total - minus;
    return sum === expected ? null : { sum, expected };
  },

  sumAtMost(check, { reader }) {
    const max = reader.number(check.atMost);
    const items = reader.items(check.array);
    if (max === null || items === null) return null;
    for (const [i, { path }] of items.entries()) {
      const sum = check.itemTerms.reduce((acc, t) => acc + (reader.number(`${path}.${t}`) ?? 0), 0);
      if (sum > max) return { sum, max, vote: i + 1 };
    }
    return null;
  },

  repeatedExcusedAbsence(check, { reader, history }) {
    const date = reader.string("meetingDate");
    if (date === null || reader.items("attendance.absentees") === null) return null;
    const runs = repeatedExcusedAbsences(reader.meeting, history, check.maxInRow);
    if (runs.length === 0) return null;
    return {
      members: runs.length,
      names: {
        vi: runs.map((r) => `${r.name} (${r.length} lần)`).join(", "),
        en: runs.map((r) => `${r.name} (${r.length} times)`).join(", "),
      },
      maxInRow: check.maxInRow,
      year: date.slice(0, 4),
      longest: Math.max(...runs.map((r) => r.length)),
    };
  },
};

export function runCheck(check: Check, ctx: CheckContext): Raised | null {
  // a switch rather than CHECKS[check.type](check): TS narrows each case without a cast
  switch (check.type) {
    case "required":
      return CHECKS.required(check, ctx);
    case "someItemHas":
      return CHECKS.someItemHas(check, ctx);
    case "notFalse":
      return CHECKS.notFalse(check, ctx);
    case "ratioAbove":
      return CHECKS.ratioAbove(check, ctx);
    case "durationAtLeast":
      return CHECKS.durationAtLeast(check, ctx);
    case "countZero":
      return CHECKS.countZero(check, ctx);
    case "sumEquals":
      return CHECKS.sumEquals(check, ctx);
    case "sumAtMost":
      return CHECKS.sumAtMost(check, ctx);
    case "repeatedExcusedAbsence":
      return CHECKS.repeatedExcusedAbsence(check, ctx);
  }
}
