/**
 * Recompute the flags (and review state) of a document whose meeting changed: `bienban check`,
 * corrections, cross-meeting updates. Kept apart from the OCR pipeline so that code which only
 * re-checks (the API, the report) never loads image libraries.
 */
import { evaluate, type RuleSetId } from "../criteria/index.ts";
import { ExtractionDocumentSchema, SCHEMA_VERSION, type ExtractionDocument, type Meeting } from "../meeting/schema.ts";

export function recheck(
  doc: { meeting: Meeting; confidence?: Record<string, number>; review?: { fields: string[] } },
  options: { ruleSet?: RuleSetId; history?: readonly Meeting[]; review?: readonly string[] } = {},
): ExtractionDocument {
  const reviewFields = [...new Set(options.review ?? doc.review?.fields ?? [])].sort();
  const flags = evaluate(doc.meeting, { ruleSet: options.ruleSet, review: reviewFields, history: options.history });
  return ExtractionDocumentSchema.parse({
    schemaVersion: SCHEMA_VERSION,
    meeting: doc.meeting,
    flags,
    confidence: doc.confidence ?? {},
    review: { needed: reviewFields.length > 0, fields: reviewFields },
  });
}

