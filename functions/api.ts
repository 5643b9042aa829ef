/**
 * API Gateway (HTTP API, payload v2) → the same hono app as `npm start`. In AWS the API only signs
 * uploads (pages go straight to S3 and the ingest function reads them), so it gets no OCR engine
 * and no Textract/Bedrock permission.
 */
import { handle } from "hono/aws-lambda";
import { createApp } from "../shared/api/app.ts";
import { S3UploadSigner } from "../shared/store/s3-signer.ts";
import { auth, blobs, config, ruleSet, s3, store } from "./clients.ts";

export const app = createApp({
  auth,
  store,
  blobs,
  ruleSet,
  limits: { maxUploadBytes: config.MAX_UPLOAD_BYTES, maxPages: config.MAX_PAGES, maxRequestBytes: config.MAX_REQUEST_BYTES },
  signer: config.BUCKET_NAME ? new S3UploadSigner(s3, config.BUCKET_NAME) : undefined,
});

export const handler = handle(app);
