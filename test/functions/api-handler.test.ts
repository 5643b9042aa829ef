/**
 * The API Lambda (functions/api.ts) invoked as API Gateway invokes it: HTTP API payload v2.0
 * events, configuration from the environment as CDK sets it, DynamoDB Local behind it. Cognito
 * tokens are verified in the Lambda too (aws-jwt-verify); a signed test token is checked in
 * test/auth/cognito.test.ts with a pre-loaded key set.
 */
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { freshStore } from "../helpers/dynamo.ts";
import { inject } from "vitest";

function httpApiEvent(method: string, path: string, headers: Record<string, string> = {}, body?: string): APIGatewayProxyEventV2 {
  return {
    version: "2.0",
    routeKey: "ANY /api/{proxy+}",
    rawPath: path,
    rawQueryString: "",
    headers: { accept: "application/json", host: "abc123.execute-api.ap-southeast-1.amazonaws.com", "user-agent": "test", "x-forwarded-proto": "https", ...headers },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: "abc123.execute-api.ap-southeast-1.amazonaws.com",
      domainPrefix: "abc123",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "203.0.113.10", userAgent: "test" },
      requestId: "JKJaXmPLvHcESHA=",
      routeKey: "ANY /api/{proxy+}",
      stage: "$default",
      time: "03/Nov/2026:07:15:00 +0000",
      timeEpoch: 1762154100000,
    },
    body,
    isBase64Encoded: false,
  };
}

const context = { awsRequestId: "c6af9ac6-7b61-11e6-9a41-93e812345678", functionName: "bienban-api", getRemainingTimeInMillis: () => 29_000 } as unknown as Context;

describe("API Lambda handler (API Gateway HTTP API v2 events)", () => {
  let handler: (e: APIGatewayProxyEventV2, c: Context) => Promise<{ statusCode: number; body: string; headers?: Record<string, unknown> }>;

  beforeAll(async () => {
    const { tableName } = await freshStore();
    Object.assign(process.env, {
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: inject("dynamoEndpoint"),
      AWS_REGION: "ap-southeast-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      DATA_DIR: mkdtempSync(join(tmpdir(), "bienban-api-")),
      USER_POOL_ID: "ap-southeast-1_Example",
      USER_POOL_CLIENT_ID: "3n4b5urk1ft4fl3mg5e62d9ado",
      RULE_SET: "12-HD-2018",
    });
    const mod = await import("../../functions/api.ts");
    handler = mod.handler as unknown as typeof handler;
  });

  it("answers the health check and the OpenAPI document", async () => {
    const health = await handler(httpApiEvent("GET", "/healthz"), context);
    expect(health.statusCode).toBe(200);
    const openapi = await handler(httpApiEvent("GET", "/api/openapi.json"), context);
    expect(openapi.statusCode).toBe(200);
    expect(JSON.parse(openapi.body).openapi).toBe("3.1.0");
  });

  it("refuses requests without a valid Cognito token with 401 and a bilingual message", async () => {
    const none = await handler(httpApiEvent("GET", "/api/orgs"), context);
    expect(none.statusCode).toBe(401);
    expect(JSON.parse(none.body).error).toMatchObject({ code: "UNAUTHENTICATED", message: "Cần đăng nhập.", messageEn: "Sign-in required." });
    // a token from another issuer is refused without trusting any of its claims
    const forged =
      "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL2V2aWwuZXhhbXBsZSIsInN1YiI6IngiLCJjb2duaXRvOmdyb3VwcyI6WyJhZG1pbiJdLCJjdXN0b206b3JnX2lkIjoidGluaC1tYXUifQ.c2ln";
    const bad = await handler(httpApiEvent("GET", "/api/orgs", { authorization: `Bearer ${forged}` }), context);
    expect(bad.statusCode).toBe(401);
  });

});
