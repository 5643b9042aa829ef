/**
 * Deployment settings, read from CDK context (cdk.json or `-c key=value`) and validated with zod:
 * context is outside input like any other. No setting triggers a lookup; synth works offline.
 */
import * as z from "zod";
import { DEFAULT_RULE_SET, RuleSetIdSchema } from "../shared/criteria/registry.ts";

/**
 * Claude Sonnet 4 through the APAC cross-region inference profile: in ap-southeast-1 this model
 * is offered only through an inference profile ("on-demand throughput isn't supported" for the
 * bare model id). The profile keeps processing inside the Asia-Pacific geography.
 */
export const DEFAULT_BEDROCK_MODEL_ID = "apac.anthropic.claude-sonnet-4-20250514-v1:0";
export const DEFAULT_REGION = "ap-southeast-1";

const OriginSchema = z.url().refine((u) => /^https?:\/\/[^/]+$/.test(u), "an origin: scheme://host[:port], no path");

export const SettingsSchema = z.object({
  /** where the stack is deployed; Singapore is the closest region with Textract and Bedrock */
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/).default(DEFAULT_REGION),
  /** Bedrock model or inference profile id used by the vision OCR step */
  bedrockModelId: z.string().min(3).default(DEFAULT_BEDROCK_MODEL_ID),
  /** region of the Bedrock endpoint; defaults to the stack's region */
  bedrockRegion: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/).optional(),
  /** ingest invocations in flight at most (SQS maxConcurrency, minimum 2): the Textract/Bedrock throttle */
  ingestMaxConcurrency: z.coerce.number().int().min(2).max(1000).default(4),
  /** browser origins besides the API's own that may call the API and PUT uploads (CORS) */
  webOrigins: z.array(OriginSchema).default([]),
  /** the criteria meetings are checked against (RULE_SET of every function); a shipped rule set id */
  ruleSet: RuleSetIdSchema.default(DEFAULT_RULE_SET),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** `-c webOrigins=...` arrives as a string; cdk.json gives an array. Accept both. */
function parseOrigins(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const trimmed = value.trim();
  if (trimmed.startsWith("[")) return JSON.parse(trimmed) as unknown;
  return trimmed === "" ? [] : trimmed.split(",").map((s) => s.trim());
}

export function settingsFromContext(get: (key: string) => unknown): Settings {
  const raw = {
    region: get("region"),
    bedrockModelId: get("bedrockModelId"),
    bedrockRegion: get("bedrockRegion"),
    ingestMaxConcurrency: get("ingestMaxConcurrency"),
    webOrigins: parseOrigins(get("webOrigins")),
    ruleSet: get("ruleSet"),
  };
  const parsed = SettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid CDK context for bienban: ${fields}`);
  }
  return parsed.data;
}
