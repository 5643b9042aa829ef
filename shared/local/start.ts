/**
 * `npm start` / `bienban serve`: the whole product on embedded defaults — Tesseract (installed when
 * missing and allowed), DynamoDB Local with its data in .data/, the file system for pages, and the
 * hono app on http://localhost:3000. Ctrl-C stops DynamoDB Local too.
 */
import { serve } from "@hono/node-server";
import { createApp } from "../api/app.ts";
import { DevTokenAuthenticator } from "../auth/auth.ts";
import { toRuleSetId } from "../criteria/index.ts";
import type { Config } from "../config.ts";
import { createEngine } from "../extraction/engines.ts";
import { log } from "../log.ts";
import { seedExampleTree } from "../orgs/seed.ts";
import { ensureTesseract } from "./setup.ts";
import { announceEndpoint, startLocalStack } from "./stack.ts";

export async function startLocal(config: Config, say: (line: string) => void): Promise<{ url: string; stop: () => Promise<void> }> {
  const t0 = performance.now();
  if (config.OCR_ENGINE === "tesseract") {
    const version = await ensureTesseract({ say });
    say(`Tesseract ${version} (vie) ✓`);
  }
  const ruleSet = toRuleSetId(config.RULE_SET);
  const stack = await startLocalStack({ dataDir: config.DATA_DIR, tableName: config.TABLE_NAME });
  say(`DynamoDB Local ${stack.dynamo.endpoint} ✓ (dữ liệu / data: ${config.DATA_DIR}/dynamodb)`);
  const seeded = await seedExampleTree(stack.store);
  const unannounce = announceEndpoint(config.DATA_DIR, stack.dynamo.endpoint);
  const devTokens = DevTokenAuthenticator.fromDataDir(config.DATA_DIR);
  const app = createApp({
    auth: devTokens,
    devTokens,
    store: stack.store,
    blobs: stack.blobs,
    engine: createEngine(config.OCR_ENGINE, { timeoutMs: config.OCR_TIMEOUT_MS, region: config.AWS_REGION }),
    ruleSet,
    limits: { maxUploadBytes: config.MAX_UPLOAD_BYTES, maxPages: config.MAX_PAGES, maxRequestBytes: config.MAX_REQUEST_BYTES },
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () => resolve(s));
    s.once("error", reject);
  }).catch(async (err: unknown) => {
    await stack.stop();
    throw err;
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  const url = `http://localhost:${port}`;
  log("info", "local.started", { port, orgs: seeded, ms: Math.round(performance.now() - t0) });
  return {
    url,
    async stop() {
      unannounce();
      await new Promise<void>((r) => server.close(() => r()));
      await stack.stop();
    },
  };
}
