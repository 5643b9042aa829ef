/**
 * evaluate(): one meeting (and optionally the cell's earlier meetings) → the flags of CONTRACT.md §3,
 * in the order of the rules of the rule set. Pure and synchronous: no I/O, no logging (flags and
 * meetings carry people's names).
 */
import type { Flag, Meeting } from "../meeting/schema.ts";
import { runCheck, type Raised, type TemplateValue } from "./checks.ts";
import { MeetingReader, ReviewSet } from "./paths.ts";
import { getRuleSet, parseRuleSet, DEFAULT_RULE_SET, type RuleSetId } from "./registry.ts";
import type { Rule, RuleSet } from "./rule-schema.ts";

export interface EvaluateOptions {
  ruleSet?: RuleSetId | RuleSet;
  /** dotted field paths the OCR could not read (review.fields of the extraction document): no criterion flag may be raised from them */
  review?: readonly string[];
  /** earlier meetings of the same cell (any order), for REPEATED_EXCUSED_ABSENCE; each has meetingDate */
  history?: readonly Meeting[];
}

type Lang = "vi" | "en";

/**
 * Rule sets passed as objects are validated once each (they may come from a province's file); the
 * parsed copy, with its defaults filled in, is what gets evaluated, every time.
 */
const validated = new WeakMap<object, RuleSet>();

function resolveRuleSet(ruleSet: RuleSetId | RuleSet | undefined): RuleSet {
  if (ruleSet === undefined) return getRuleSet(DEFAULT_RULE_SET);
  if (typeof ruleSet === "string") return getRuleSet(ruleSet);
  const known = validated.get(ruleSet);
  if (known !== undefined) return known;
  const parsed = parseRuleSet(ruleSet);
  validated.set(ruleSet, parsed);
  validated.set(parsed, parsed);
  return parsed;
}

function formatNumber(n: number, lang: Lang): string {
  // Vietnamese writes the decimal comma (85,5 %); integers print as they are
  return lang === "vi" ? String(n).replace(".", ",") : String(n);
}

function formatValue(value: TemplateValue, lang: Lang): string {
  if (typeof value === "number") return formatNumber(value, lang);
  if (typeof value === "string") return value;
  if ("kind" in value) {
    const factor = 10 ** value.decimals;
    const whole = Math.trunc(value.scaled / factor);
    let frac = Math.abs(value.scaled % factor)
      .toString()
      .padStart(value.decimals, "0")
      .replace(/0+$/, "");
    if (frac === "") return String(whole);
    frac = (lang === "vi" ? "," : ".") + frac;
    return `${whole}${frac}`;
  }
  return value[lang];
}

export function renderTemplate(template: string, values: Raised, lang: Lang): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : formatValue(value, lang);
  });
}

/** Whether the review list takes the decision of `rule` out of the engine's hands. */
function suppressedByReview(rule: Rule, review: ReviewSet): boolean {
  const touched = rule.dependsOn.filter((path) => review.touches(path));
  return rule.independentInputs ? touched.length === rule.dependsOn.length : touched.length > 0;
}

export function evaluate(meeting: Meeting, options: EvaluateOptions = {}): Flag[] {
  const ruleSet = resolveRuleSet(options.ruleSet);
  const review = new ReviewSet(options.review ?? []);
  const reader = new MeetingReader(meeting, review);
  const history = options.history ?? [];

  const flags: Flag[] = [];
  for (const rule of ruleSet.rules) {
    if (suppressedByReview(rule, review)) continue;
    const raised = runCheck(rule.check, { reader, history });
    if (raised === null) continue;
    flags.push({
      code: rule.code,
      severity: rule.severity,
      field: rule.field,
      message: renderTemplate(rule.message.vi, raised, "vi"),
      messageEn: renderTemplate(rule.message.en, raised, "en"),
      basis: rule.basis,
    });
  }
  return flags;
}
