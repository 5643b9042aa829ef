/**
 * The reading step of ingest, chosen by configuration (OCR_ENGINE / --engine):
 * - `tesseract` (local default) and `textract`: the OCR pipeline (preprocess → OcrEngine → parser
 *   → signatures → criteria);
 * - `bedrock+textract` (cloud default): Textract for signatures and geometry, a Bedrock vision
 *   model for the Vietnamese text (shared/extraction/bedrock/).
 */
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { TextractClient } from "@aws-sdk/client-textract";
import type { RuleSetId } from "../criteria/index.ts";
import type { ExtractionDocument } from "../meeting/schema.ts";
import type { Cost } from "../store/records.ts";
import { extractWithBedrock } from "./bedrock/index.ts";
import type { OcrEngine } from "./engine.ts";
import { createEngine } from "./engines.ts";
import { extractDocument, type Progress } from "./extract.ts";
import type { KnownOrganisation } from "./parser/header.ts";
import { TextractEngine } from "./textract.ts";

/** Reads one meeting's page images into an extraction document (and says what it cost). */
export interface Extractor {
  readonly name: string;
  extract(
    images: readonly Buffer[],
    options: { ruleSet?: RuleSetId; members?: readonly string[]; organisation?: KnownOrganisation; onProgress?: Progress },
  ): Promise<{ document: ExtractionDocument; cost?: Cost }>;
}

/** The OCR pipeline with one OcrEngine. */
export function ocrExtractor(engine: OcrEngine): Extractor {
  return {
    name: engine.name,
    async extract(images, options) {
      const { document } = await extractDocument(images, { engine, ...options });
      return { document };
    },
  };
}

export interface ExtractorSettings {
  timeoutMs?: number;
  region?: string;
  textract?: TextractClient;
  bedrock?: BedrockRuntimeClient;
  bedrockModelId?: string;
  bedrockRegion?: string;
}

export function createExtractor(name: string, settings: ExtractorSettings = {}): Extractor {
  if (name !== "bedrock+textract") return ocrExtractor(createEngine(name, settings));
  // both readers retry throttling themselves: one attempt per SDK call
  const textract = new TextractEngine({ client: settings.textract ?? new TextractClient({ region: settings.region, maxAttempts: 1 }) });
  const bedrock = settings.bedrock ?? new BedrockRuntimeClient({ region: settings.bedrockRegion ?? settings.region, maxAttempts: 1 });
  const modelId = settings.bedrockModelId ?? "apac.anthropic.claude-sonnet-4-20250514-v1:0";
  return {
    name,
    async extract(images, options) {
      const { document, cost } = await extractWithBedrock(images, { textract, bedrock, modelId, ruleSet: options.ruleSet, members: options.members, organisation: options.organisation });
      return { document, cost };
    },
  };
}
