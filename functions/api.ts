/** API Gateway (HTTP API, payload v2) → the same hono app as `npm start`. */
import { handle } from "hono/aws-lambda";
import { createApp } from "../shared/api/app.ts";
import { auth, blobs, config, ocrEngine, ruleSet, store } from "./clients.ts";

export const app = createApp({
  auth,
  store,
  blobs,
  engine: ocrEngine,
  ruleSet,
  limits: { maxUploadBytes: config.MAX_UPLOAD_BYTES, maxPages: config.MAX_PAGES },
});

export const handler = handle(app);
