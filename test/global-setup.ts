/**
 * Starts ONE DynamoDB Local (in memory) for the whole test run — the real thing, not a mock — and
 * hands its endpoint to the tests; each test file creates its own table from the shared definition.
 */
import type { TestProject } from "vitest/node";
import { startDynamoDbLocal, type LocalDynamo } from "../shared/local/dynamodb-local.ts";

let dynamo: LocalDynamo | undefined;

export async function setup(project: TestProject): Promise<void> {
  dynamo = await startDynamoDbLocal({ inMemory: true });
  project.provide("dynamoEndpoint", dynamo.endpoint);
}

export async function teardown(): Promise<void> {
  await dynamo?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
