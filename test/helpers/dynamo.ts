/** A fresh table in the run's DynamoDB Local, created from the shared definition. */
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { localClient } from "../../shared/local/dynamodb-local.ts";
import { ensureTable } from "../../shared/store/create-table.ts";
import { FsBlobStore } from "../../shared/store/blobs.ts";
import { DynamoStore } from "../../shared/store/dynamo-store.ts";

export async function freshStore() {
  const client = localClient(inject("dynamoEndpoint"));
  const tableName = `t-${randomUUID()}`;
  await ensureTable(client, tableName);
  const blobs = new FsBlobStore(mkdtempSync(join(tmpdir(), "bienban-blobs-")));
  return { client, tableName, store: new DynamoStore(client, tableName), blobs };
}
