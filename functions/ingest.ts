/**
 * SQS (S3 "object created" under uploads/) → ingest: images are read by the configured extractor
 * (bedrock+textract in AWS); a PDF starts Textract's asynchronous analysis, finished by
 * functions/textract-complete.ts. The logic is shared/meetings/ingest-events.ts.
 */
import { createIngestHandler } from "../shared/meetings/ingest-events.ts";
import { createExtractor } from "../shared/extraction/extractor.ts";
import { blobs, config, pdfAnalysis, ruleSet, store, textract } from "./clients.ts";

const extractor = createExtractor(config.OCR_ENGINE, {
  textract,
  region: config.AWS_REGION,
  timeoutMs: config.OCR_TIMEOUT_MS,
  bedrockModelId: config.BEDROCK_MODEL_ID,
  bedrockRegion: config.BEDROCK_REGION,
});

export const handler = createIngestHandler({ store, blobs, extractor, ruleSet, pdf: pdfAnalysis() });
