/** SNS (Textract finished a PDF's asynchronous analysis) → the meeting; logic in shared/meetings. */
import { createTextractCompleteHandler } from "../shared/meetings/ingest-events.ts";
import { blobs, pdfAnalysis, ruleSet, store } from "./clients.ts";

const pdf = pdfAnalysis();
if (!pdf) throw new Error("BUCKET_NAME, TEXTRACT_SNS_TOPIC_ARN and TEXTRACT_ROLE_ARN must be set");

export const handler = createTextractCompleteHandler({ store, blobs, ruleSet, pdf });
