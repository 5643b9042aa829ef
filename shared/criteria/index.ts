/**
 * The criteria engine: a meeting (plus the cell's earlier meetings) → compliance flags, with the
 * criteria as data (rule sets). See rule-schema.ts for how to write a rule set.
 */
export { evaluate, type EvaluateOptions } from "./evaluate.ts";
export {
  DEFAULT_RULE_SET,
  RULE_SET_IDS,
  describeRuleSet,
  getRuleSet,
  isRuleSetId,
  RuleSetIdSchema,
  toRuleSetId,
  parseRuleSet,
  type RuleDescription,
  type RuleSetDescription,
  type RuleSetId,
} from "./registry.ts";
export {
  CheckSchema,
  RuleSchema,
  RuleSetSchema,
  TEMPLATE_VARIABLES,
  type Check,
  type CheckType,
  type Localized,
  type Rule,
  type RuleInput,
  type RuleSet,
  type RuleSetInput,
} from "./rule-schema.ts";
export { MEETING_FLAG_CODES, type MeetingFlagCode } from "./codes.ts";
export { excusedAbsenceRuns, nameKey, repeatedExcusedAbsences, type DatedAbsences, type ExcusedAbsenceRun } from "./absences.ts";
