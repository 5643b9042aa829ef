/**
 * The shape of a rule set: the criteria a meeting is checked against, as DATA.
 *
 * Why data: the central instructions (12-HD/BTCTW 2018, 42-HD/BTCTW 2025) and each province's own
 * regulation (Ninh Thuận 38-QĐ/TU, scoring schemes…) differ in thresholds, wording and legal basis,
 * not in the kinds of check. So the kinds of check are a small closed set implemented once
 * (checks.ts), and a rule set only picks checks, parameters, severities, messages and basis texts.
 * A new rule set is a new object literal or JSON file validated by `RuleSetSchema`; no code.
 *
 * Field paths are dotted paths into the meeting ("attendance.present", "signatures.chair"), the same
 * paths used by `confidence` and `review.fields` of the extraction document.
 */
import * as z from "zod";
import { emptyMeeting, MeetingKindSchema, SeveritySchema } from "../meeting/schema.ts";

/** True when every segment of `path` names a key of the meeting model (checked on emptyMeeting()). */
function isMeetingPath(path: string): boolean {
  let node: unknown = emptyMeeting();
  for (const segment of path.split(".")) {
    if (node === null || typeof node !== "object" || Array.isArray(node) || !Object.hasOwn(node, segment)) {
      return false;
    }
    node = Reflect.get(node, segment);
  }
  return true;
}

const FieldPathSchema = z
  .string()
  .min(1)
  .refine(isMeetingPath, { message: "not a field path of the meeting model (e.g. attendance.present)" });

/** A field of one element of an array field ("agree" of votes, "excused" of attendance.absentees). */
const ItemFieldSchema = z.string().regex(/^[A-Za-z]+$/);

const LocalizedSchema = z.object({ vi: z.string().min(1), en: z.string().min(1) });
export type Localized = z.infer<typeof LocalizedSchema>;

/** A percentage with at most two decimals, so comparisons can be made in integers (see checks.ts). */
const PercentSchema = z
  .number()
  .min(0)
  .max(100)
  .refine((p) => Math.abs(p * 100 - Math.round(p * 100)) < 1e-9, { message: "at most two decimals" });

const minutes = z.number().int().min(0).max(24 * 60);

/**
 * The closed set of check types. Each says when its rule RAISES a flag; every check raises nothing
 * when an input it needs is unknown (null or under review): unknown is not missing.
 */
export const CheckSchema = z.discriminatedUnion("type", [
  /** Raised when any of `fields` is null, an empty string or an empty array. */
  z.object({ type: z.literal("required"), fields: z.array(FieldPathSchema).min(1) }),
  /** Raised when no element of the array `array` has a non-null `itemField` (e.g. no vote with an agree count). */
  z.object({ type: z.literal("someItemHas"), array: FieldPathSchema, itemField: ItemFieldSchema }),
  /** Raised only when `field` is explicitly false (a signature seen to be absent); null is unknown. */
  z.object({ type: z.literal("notFalse"), field: FieldPathSchema }),
  /**
   * Raised when numerator ÷ (denominator − Σ minus) is not above `thresholdPercent`
   * (or below it when `inclusive`, i.e. "at least"). Undecidable (unknown input, denominator ≤ 0): nothing.
   */
  z.object({
    type: z.literal("ratioAbove"),
    numerator: FieldPathSchema,
    denominator: FieldPathSchema,
    minus: z.array(FieldPathSchema).default([]),
    thresholdPercent: PercentSchema,
    inclusive: z.boolean().default(false),
  }),
  /**
   * Raised when the meeting lasted fewer minutes than its kind requires. The duration is
   * durationMinutes, or computed from startTime/endTime when only those are known. An unknown kind
   * uses `whenKindUnknown`, by default the weakest (smallest) requirement: a meeting is never called
   * too short on a kind that is unknown and could have passed.
   */
  z.object({
    type: z.literal("durationAtLeast"),
    minutesByKind: z.record(MeetingKindSchema, minutes),
    whenKindUnknown: minutes.optional(),
  }),
  /**
   * Raised when any count in `fields` is above zero, or any element of `items.array` has
   * `items.field` equal to `items.equals` (e.g. an absentee with excused === false).
   */
  z.object({
    type: z.literal("countZero"),
    fields: z.array(FieldPathSchema).default([]),
    items: z
      .object({
        array: FieldPathSchema,
        field: ItemFieldSchema,
        equals: z.union([z.boolean(), z.string(), z.number()]),
        /** the element's field to list in {names} */
        nameField: ItemFieldSchema.optional(),
      })
      .optional(),
  }),
  /** Raised when Σ terms ≠ equals − Σ minus; only when every input is known. */
  z.object({
    type: z.literal("sumEquals"),
    terms: z.array(FieldPathSchema).min(1),
    equals: FieldPathSchema,
    minus: z.array(FieldPathSchema).default([]),
  }),
  /** Raised when, for any element of `array`, Σ itemTerms (null as 0) > `atMost`; only when atMost is known. */
  z.object({
    type: z.literal("sumAtMost"),
    array: FieldPathSchema,
    itemTerms: z.array(ItemFieldSchema).min(1),
    atMost: FieldPathSchema,
  }),
  /**
   * Needs the cell's earlier meetings. Raised when a member absent with reason in the current meeting
   * has been absent with reason in more than `maxInRow` consecutive meetings (by meetingDate, the
   * current one included) within the calendar year of the current meeting.
   */
  z.object({ type: z.literal("repeatedExcusedAbsence"), maxInRow: z.number().int().min(1).max(100) }),
]);
export type Check = z.infer<typeof CheckSchema>;
export type CheckType = Check["type"];

/** The {placeholders} each check type fills in messages; a template naming another one is a data error. */
export const TEMPLATE_VARIABLES: Readonly<Record<CheckType, readonly string[]>> = {
  required: [],
  someItemHas: [],
  notFalse: [],
  ratioAbove: ["rate", "present", "required", "threshold"],
  durationAtLeast: ["minutes", "min", "kind"],
  countZero: ["count", "names"],
  sumEquals: ["sum", "expected"],
  sumAtMost: ["sum", "max", "vote"],
  repeatedExcusedAbsence: ["members", "names", "maxInRow", "year", "longest"],
};

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? "");
}

export const RuleSchema = z
  .object({
    /** stable flag code (CONTRACT.md §3) */
    code: z.string().regex(/^[A-Z][A-Z_]*$/),
    severity: SeveritySchema,
    /** the `field` of the flag: where a person should look */
    field: z.string().min(1),
    /**
     * Fields whose value the decision rests on. If any of them (or a parent or child path) is under
     * review, the rule raises nothing: an unreadable entry is a question for a person, not a finding.
     */
    dependsOn: z.array(FieldPathSchema).min(1),
    /**
     * True when each field of dependsOn can raise the flag on its own (ABSENT_WITHOUT_REASON: the
     * count of unexcused absences, or an absentee marked without reason). Then the rule is skipped
     * only when ALL of them are under review, and a reviewed one simply reads as unknown.
     */
    independentInputs: z.boolean().default(false),
    check: CheckSchema,
    /** the flag's message, a template with {placeholders} from TEMPLATE_VARIABLES */
    message: LocalizedSchema,
    /** what the rule requires, for listings (describeRuleSet) */
    description: LocalizedSchema,
    /** the legal basis, cited in the flag (Vietnamese, as the documents are) */
    basis: z.string().min(1),
  })
  .superRefine((rule, ctx) => {
    const allowed = TEMPLATE_VARIABLES[rule.check.type];
    for (const lang of ["vi", "en"] as const) {
      for (const name of placeholders(rule.message[lang])) {
        if (!allowed.includes(name)) {
          ctx.addIssue({
            code: "custom",
            path: ["message", lang],
            message: `{${name}} is not filled by a ${rule.check.type} check (allowed: ${allowed.join(", ") || "none"})`,
          });
        }
      }
    }
  });
export type Rule = z.infer<typeof RuleSchema>;
export type RuleInput = z.input<typeof RuleSchema>;

export const RuleSetSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
    name: LocalizedSchema,
    /** the document(s) the rule set implements */
    source: z.string().min(1),
    rules: z.array(RuleSchema).min(1),
  })
  .superRefine((set, ctx) => {
    const seen = new Set<string>();
    set.rules.forEach((rule, i) => {
      if (seen.has(rule.code)) {
        ctx.addIssue({ code: "custom", path: ["rules", i, "code"], message: `duplicate rule code ${rule.code}` });
      }
      seen.add(rule.code);
    });
  });
export type RuleSet = z.infer<typeof RuleSetSchema>;
export type RuleSetInput = z.input<typeof RuleSetSchema>;
