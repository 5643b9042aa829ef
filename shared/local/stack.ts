/**
 * The embedded local stack: DynamoDB Local with the table from the shared definition, the file
 * system as blob store. Used by `npm start` and by the tests.
 */
import { ListTablesCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureTable } from "../store/create-table.ts";
import { FsBlobStore } from "../store/blobs.ts";
import { DynamoStore } from "../store/dynamo-store.ts";
import { localClient, startDynamoDbLocal, type LocalDynamo } from "./dynamodb-local.ts";

export interface LocalStack {
  dynamo: LocalDynamo;
  client: DynamoDBClient;
  store: DynamoStore;
  blobs: FsBlobStore;
  stop(): Promise<void>;
}

export async function startLocalStack(options: { dataDir: string; tableName: string; inMemory?: boolean; port?: number }): Promise<LocalStack> {
  const dynamo = await startDynamoDbLocal({ dataDir: join(options.dataDir, "dynamodb"), inMemory: options.inMemory, port: options.port });
  const client = localClient(dynamo.endpoint);
  try {
    await ensureTable(client, options.tableName);
  } catch (err) {
    client.destroy();
    await dynamo.stop();
    throw err;
  }
  return {
    dynamo,
    client,
    store: new DynamoStore(client, options.tableName),
    blobs: new FsBlobStore(join(options.dataDir, "blobs")),
    async stop() {
      client.destroy();
      await dynamo.stop();
    },
  };
}

/** Where a running `npm start` tells other local commands (e.g. `bienban report`) its DynamoDB Local. */
export const endpointFile = (dataDir: string) => join(dataDir, "dynamodb-endpoint");

export function announceEndpoint(dataDir: string, endpoint: string): () => void {
  const file = endpointFile(dataDir);
  writeFileSync(file, endpoint);
  return () => rmSync(file, { force: true });
}

/**
 * The local stack for a command: the DynamoDB Local of a running `npm start` when there is one
 * (its data folder cannot be opened twice), otherwise a new one on the same data folder.
 */
export async function openLocalStack(options: { dataDir: string; tableName: string }): Promise<LocalStack> {
  let endpoint: string | null = null;
  try {
    endpoint = readFileSync(endpointFile(options.dataDir), "utf8").trim();
  } catch {
    endpoint = null;
  }
  if (endpoint && /^http:\/\/127\.0\.0\.1:\d+$/.test(endpoint)) {
    const client = localClient(endpoint);
    const alive = await client.send(new ListTablesCommand({ Limit: 1 })).then(
      () => true,
      () => false,
    );
    if (alive) {
      await ensureTable(client, options.tableName);
      return {
        dynamo: { endpoint, port: Number(endpoint.split(":").at(-1)), stop: async () => {} },
        client,
        store: new DynamoStore(client, options.tableName),
        blobs: new FsBlobStore(join(options.dataDir, "blobs")),
        async stop() {
          client.destroy();
        },
      };
    }
    client.destroy();
  }
  return startLocalStack(options);
}
