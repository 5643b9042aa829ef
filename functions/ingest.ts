/** SQS (S3 "object created" under uploads/) → ingest; the logic is shared/meetings/ingest-events.ts. */
import { TextractClient } from "@aws-sdk/client-textract";
import { createEngine } from "../shared/extraction/engines.ts";
import { createIngestHandler } from "../shared/meetings/ingest-events.ts";
import { blobs, config, ruleSet, store } from "./clients.ts";

// the engine retries throttling with backoff itself: one attempt per SDK call
const textract = new TextractClient({ region: config.AWS_REGION, maxAttempts: 1 });
const engine = createEngine(config.OCR_ENGINE, { textract, timeoutMs: config.OCR_TIMEOUT_MS, region: config.AWS_REGION });

export const handler = createIngestHandler({ store, blobs, engine, ruleSet });
