/** SQS (S3 "object created" under uploads/) → ingest; the logic is shared/meetings/ingest-events.ts. */
import { createIngestHandler } from "../shared/meetings/ingest-events.ts";
import { blobs, ocrEngine, ruleSet, store } from "./clients.ts";

export const handler = createIngestHandler({ store, blobs, engine: ocrEngine, ruleSet });
