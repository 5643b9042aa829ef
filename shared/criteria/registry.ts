/**
 * The shipped rule sets, validated once at module load (a malformed rule set is a build defect and
 * must fail every test, not the first inspector's request), and the lookup by id.
 */
import * as z from "zod";
import { InvalidInputError } from "../errors.ts";
import type { Severity } from "../meeting/schema.ts";
import { RuleSetSchema, type Localized, type RuleSet } from "./rule-schema.ts";
import { HD_12_2018 } from "./rule-sets/12-hd-2018.ts";
import { HD_42_2025 } from "./rule-sets/42-hd-2025.ts";

/** For config and request parsing (e.g. RULE_SET in process.env): z.enum of the shipped ids. */
export const RuleSetIdSchema = z.enum(["12-HD-2018", "42-HD-2025"]);
export type RuleSetId = z.infer<typeof RuleSetIdSchema>;
export const RULE_SET_IDS: readonly RuleSetId[] = Object.freeze([...RuleSetIdSchema.options]);
export const DEFAULT_RULE_SET: RuleSetId = "12-HD-2018";

/** Frozen all the way down: getRuleSet hands out the shared object, and no caller may change it. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const BUILT_IN: ReadonlyMap<string, RuleSet> = new Map<RuleSetId, RuleSet>([
  ["12-HD-2018", deepFreeze(RuleSetSchema.parse(HD_12_2018))],
  ["42-HD-2025", deepFreeze(RuleSetSchema.parse(HD_42_2025))],
]);

export function isRuleSetId(id: string): id is RuleSetId {
  return RuleSetIdSchema.safeParse(id).success;
}

function unknownRuleSet(id: string): InvalidInputError {
  // the id is echoed, shortened: it is a user-typed option, never personal data
  const shown = JSON.stringify(id.slice(0, 40));
  return new InvalidInputError(
    "UNKNOWN_RULE_SET",
    `Không có bộ tiêu chí ${shown}. Chọn một trong: ${RULE_SET_IDS.join(", ")}.`,
    `Unknown rule set ${shown}. Choose one of: ${RULE_SET_IDS.join(", ")}.`,
  );
}

/** A user-typed id (CLI --rules, query string) as a RuleSetId, without a cast; throws UNKNOWN_RULE_SET. */
export function toRuleSetId(id: string): RuleSetId {
  const parsed = RuleSetIdSchema.safeParse(id);
  if (!parsed.success) throw unknownRuleSet(id);
  return parsed.data;
}

/** A shipped rule set by id; an unknown id is bad input (CLI --rules, API query), not a crash. */
export function getRuleSet(id: string): RuleSet {
  const set = BUILT_IN.get(id);
  if (set === undefined) throw unknownRuleSet(id);
  return set;
}

/**
 * A rule set from outside (a province's JSON file, a test): validated, with the reasons named by
 * path only (the data may be long; the messages stay one line).
 */
export function parseRuleSet(input: unknown): RuleSet {
  const parsed = RuleSetSchema.safeParse(input);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join(".") || "(gốc)"}: ${i.message}`)
      .join("; ");
    throw new InvalidInputError(
      "INVALID_RULE_SET",
      `Bộ tiêu chí không hợp lệ: ${where}.`,
      `Invalid rule set: ${where}.`,
      400,
      { cause: z.treeifyError(parsed.error) },
    );
  }
  return parsed.data;
}

export interface RuleDescription {
  code: string;
  severity: Severity;
  field: string;
  description: Localized;
  basis: string;
  /** whether the rule needs the cell's earlier meetings (the `history` option / --history) */
  needsHistory: boolean;
}

export interface RuleSetDescription {
  id: string;
  name: Localized;
  source: string;
  rules: RuleDescription[];
}

/** The rules of a rule set, for a page or the CLI to list. Accepts a shipped id or a rule set. */
export function describeRuleSet(idOrSet: string | RuleSet): RuleSetDescription {
  const set = typeof idOrSet === "string" ? getRuleSet(idOrSet) : idOrSet;
  return {
    id: set.id,
    name: set.name,
    source: set.source,
    rules: set.rules.map((r) => ({
      code: r.code,
      severity: r.severity,
      field: r.field,
      description: r.description,
      basis: r.basis,
      needsHistory: r.check.type === "repeatedExcusedAbsence",
    })),
  };
}
