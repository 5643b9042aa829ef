/**
 * The embedded local stack: DynamoDB Local with the table from the shared definition, the file
 * system as blob store. Used by `npm start` and by the tests.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
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
