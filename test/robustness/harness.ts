/**
 * One app per test file for the robustness suite: DynamoDB Local (the run's shared instance), a
 * blob folder of its own (so a test can see that nothing was written), the example tree, and dev
 * tokens. The OCR step answers with recorded text; everything after it is real.
 */
import { ScanCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, type AppDeps } from "../../shared/api/app.ts";
import { DevTokenAuthenticator, type Role } from "../../shared/auth/auth.ts";
import type { OcrEngine } from "../../shared/extraction/engine.ts";
import { seedExampleTree } from "../../shared/orgs/seed.ts";
import { FsBlobStore } from "../../shared/store/blobs.ts";
import { DynamoStore } from "../../shared/store/dynamo-store.ts";
import { freshStore } from "../helpers/dynamo.ts";
import { RecordedEngine } from "../helpers/recorded-engine.ts";

export const CELL = "cb-dong-hoa"; // huyen-dong-son / xa-thanh-binh

export type ErrorJson = { error: { code: string; message: string; messageEn: string } };

export interface Harness {
  app: ReturnType<typeof createApp>;
  engine: RecordedEngine;
  store: DynamoStore;
  client: DynamoDBClient;
  tableName: string;
  blobDir: string;
  bearer(role: Role, orgId: string, sub?: string): Promise<Record<string, string>>;
  upload(headers: Record<string, string>, cellId: string, pages: (Buffer | Blob)[], names?: string[]): Promise<Response>;
  /** meeting, ingest-key and audit items in the table, and files in the blob folder */
  stored(): Promise<{ meetings: number; ingestKeys: number; audits: number; blobs: number }>;
}

export async function countItems(client: DynamoDBClient, tableName: string): Promise<{ meetings: number; ingestKeys: number; audits: number }> {
  // a Scan is fine in a test: it proves there is nothing anywhere, not only where queries look
  const out = { meetings: 0, ingestKeys: 0, audits: 0 };
  let start: Record<string, import("@aws-sdk/client-dynamodb").AttributeValue> | undefined;
  do {
    const res = await client.send(new ScanCommand({ TableName: tableName, ProjectionExpression: "#t", ExpressionAttributeNames: { "#t": "type" }, ExclusiveStartKey: start }));
    for (const item of res.Items ?? []) {
      const type = item.type?.S;
      if (type === "meeting") out.meetings++;
      else if (type === "ingest") out.ingestKeys++;
      else if (type === "audit") out.audits++;
    }
    start = res.LastEvaluatedKey;
  } while (start);
  return out;
}

export function countFiles(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

export async function harness(options: { engine?: OcrEngine; deps?: Partial<AppDeps> } = {}): Promise<Harness> {
  const { store, client, tableName } = await freshStore();
  const blobDir = mkdtempSync(join(tmpdir(), "bienban-robust-"));
  const blobs = new FsBlobStore(blobDir);
  await seedExampleTree(store);
  const engine = new RecordedEngine();
  const tokens = new DevTokenAuthenticator(randomBytes(32));
  const app = createApp({ store, blobs, engine: options.engine ?? engine, auth: tokens, ...options.deps });
  return {
    app,
    engine,
    store,
    client,
    tableName,
    blobDir,
    async bearer(role, orgId, sub = `${role}-${orgId}`) {
      return { authorization: `Bearer ${await tokens.issue({ sub, role, orgId })}` };
    },
    async upload(headers, cellId, pages, names) {
      const form = new FormData();
      form.set("cellId", cellId);
      pages.forEach((p, i) => form.append("pages", p instanceof Blob ? p : new Blob([new Uint8Array(p)], { type: "image/png" }), names?.[i] ?? `page-${i + 1}.png`));
      return app.request("/api/meetings", { method: "POST", body: form, headers });
    },
    async stored() {
      return { ...(await countItems(client, tableName)), blobs: countFiles(blobDir) };
    },
  };
}
