/**
 * The stack's intent, asserted on the synthesised template: data kept for the long term and
 * encrypted, queues that cannot lose uploads, least-privilege IAM per function, the monthly
 * schedule in Vietnam time, an authenticated API, alarms on dead letters.
 * Bundling is skipped here (the template is what is asserted); `npx cdk synth` bundles for real.
 */
import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { INGEST_MAX_RECEIVES, INGEST_TIMEOUT } from "../../infra/constructs/ingest.ts";
import { REPORT_SCHEDULE, REPORT_TIMEZONE } from "../../infra/constructs/reports.ts";
import { DEFAULT_BEDROCK_MODEL_ID } from "../../infra/settings.ts";
import type { BienbanStack } from "../../infra/stack.ts";
import { TABLE } from "../../shared/store/table.ts";
import { buildStack } from "./synth.ts";

let template: Template;
let stack: BienbanStack;

beforeAll(() => {
  ({ template, stack } = buildStack());
});

// ---- helpers over the raw template (plain JSON; no casts on it) ----

type Json = unknown;
const isRecord = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);
const asArray = (v: Json): Json[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

function resources(type: string): Record<string, Record<string, Json>> {
  const found = template.findResources(type);
  const out: Record<string, Record<string, Json>> = {};
  for (const [id, r] of Object.entries(found)) if (isRecord(r)) out[id] = r;
  return out;
}
function props(resource: Record<string, Json>): Record<string, Json> {
  const p = resource.Properties;
  return isRecord(p) ? p : {};
}
function logicalIdOf(construct: { node: { defaultChild?: unknown } }): string {
  const child = construct.node.defaultChild;
  if (!child || typeof child !== "object" || !("logicalId" in child)) throw new Error("no default child");
  return String(stack.resolve((child as { logicalId: unknown }).logicalId));
}

interface Statement {
  Effect: string;
  Action: string[];
  Resource: Json[];
  Condition?: Json;
}
function toStatement(s: Json): Statement {
  if (!isRecord(s)) throw new Error("statement is not an object");
  return {
    Effect: String(s.Effect),
    Action: asArray(s.Action).map(String),
    Resource: asArray(s.Resource),
    ...(s.Condition !== undefined ? { Condition: s.Condition } : {}),
  };
}
/** Every statement of every inline policy (AWS::IAM::Policy or role Policies) attached to a role. */
function statementsOfRole(roleLogicalId: string): Statement[] {
  const out: Statement[] = [];
  for (const policy of Object.values(resources("AWS::IAM::Policy"))) {
    const p = props(policy);
    const roles = asArray(p.Roles).map((r) => (isRecord(r) ? r.Ref : r));
    if (!roles.includes(roleLogicalId)) continue;
    const doc = p.PolicyDocument;
    if (isRecord(doc)) out.push(...asArray(doc.Statement).map(toStatement));
  }
  const role = resources("AWS::IAM::Role")[roleLogicalId];
  if (role) {
    for (const inline of asArray(props(role).Policies)) {
      if (isRecord(inline) && isRecord(inline.PolicyDocument)) out.push(...asArray(inline.PolicyDocument.Statement).map(toStatement));
    }
    expect(props(role).ManagedPolicyArns, `${roleLogicalId} has managed policies`).toBeUndefined();
  }
  return out;
}
const actionsOf = (statements: Statement[]): Set<string> => new Set(statements.flatMap((s) => s.Action));
const fnRole = (f: { role: { node: { defaultChild?: unknown } } }): Statement[] => statementsOfRole(logicalIdOf(f.role));

// ---- storage ----

describe("DynamoDB table", () => {
  it("is built from shared/store/table.ts: same keys and indexes", () => {
    const [table] = Object.values(resources("AWS::DynamoDB::Table"));
    expect(table).toBeDefined();
    const p = props(table!);
    expect(p.KeySchema).toEqual([
      { AttributeName: TABLE.partitionKey.name, KeyType: "HASH" },
      { AttributeName: TABLE.sortKey.name, KeyType: "RANGE" },
    ]);
    expect(p.GlobalSecondaryIndexes).toEqual(
      TABLE.globalSecondaryIndexes.map((i) => ({
        IndexName: i.indexName,
        KeySchema: [
          { AttributeName: i.partitionKey.name, KeyType: "HASH" },
          { AttributeName: i.sortKey.name, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: i.projection },
      })),
    );
  });

  it("is on-demand, point-in-time recoverable, KMS-encrypted with our key, deletion-protected and retained", () => {
    template.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: Match.objectLike({
        BillingMode: "PAY_PER_REQUEST",
        PointInTimeRecoverySpecification: Match.objectLike({ PointInTimeRecoveryEnabled: true }),
        SSESpecification: {
          SSEEnabled: true,
          SSEType: "KMS",
          KMSMasterKeyId: { "Fn::GetAtt": [logicalIdOf(stack.keys.data), "Arn"] },
        },
        DeletionProtectionEnabled: true,
      }),
    });
  });

  it("uses rotating, retained KMS keys", () => {
    const keys = Object.values(resources("AWS::KMS::Key"));
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const key of keys) {
      expect(props(key).EnableKeyRotation).toBe(true);
      expect(key.DeletionPolicy).toBe("Retain");
    }
  });
});

describe("pages bucket", () => {
  const pages = (): Record<string, Json> => {
    const r = resources("AWS::S3::Bucket")[logicalIdOf(stack.storage.bucket)];
    if (!r) throw new Error("pages bucket missing");
    return r;
  };

  it("is KMS-encrypted with the data key, versioned, private and retained", () => {
    const p = props(pages());
    expect(p.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: "aws:kms",
            KMSMasterKeyID: { "Fn::GetAtt": [logicalIdOf(stack.keys.data), "Arn"] },
          },
        },
      ],
    });
    expect(p.VersioningConfiguration).toEqual({ Status: "Enabled" });
    expect(p.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(pages().DeletionPolicy).toBe("Retain");
    expect(p.LoggingConfiguration).toMatchObject({ DestinationBucketName: { Ref: logicalIdOf(stack.storage.accessLogBucket) } });
  });

  it("denies every request that is not over TLS", () => {
    template.hasResourceProperties("AWS::S3::BucketPolicy", {
      Bucket: { Ref: logicalIdOf(stack.storage.bucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: "Deny",
            Action: "s3:*",
            Principal: { AWS: "*" },
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }),
        ]),
      },
    });
  });

  it("moves old pages to cheaper classes and NEVER expires a current (or noncurrent) page", () => {
    const config = props(pages()).LifecycleConfiguration;
    if (!isRecord(config)) throw new Error("no lifecycle");
    const rules = asArray(config.Rules).filter(isRecord);
    const byPrefix = new Map(rules.map((r) => [String(r.Prefix), r]));
    for (const prefix of ["uploads/", "pages/", "reports/"]) {
      const rule = byPrefix.get(prefix);
      expect(rule, prefix).toBeDefined();
      expect(rule!.Status).toBe("Enabled");
      expect(rule!.Transitions).toEqual(
        expect.arrayContaining([
          { StorageClass: "STANDARD_IA", TransitionInDays: 90 },
          { StorageClass: "GLACIER_IR", TransitionInDays: 365 },
        ]),
      );
    }
    expect(byPrefix.get("uploads/")!.Transitions).toContainEqual({ StorageClass: "DEEP_ARCHIVE", TransitionInDays: 730 });
    for (const rule of rules) {
      expect(rule.ExpirationInDays, String(rule.Id)).toBeUndefined();
      expect(rule.ExpirationDate, String(rule.Id)).toBeUndefined();
    }
    // the only copy of a deleted page is a noncurrent version: minutes never expire that way either
    for (const prefix of ["uploads/", "pages/"]) {
      expect(byPrefix.get(prefix)!.NoncurrentVersionExpiration, prefix).toBeUndefined();
    }
  });

  it("lets browsers PUT uploads from the API's origin (CORS)", () => {
    const cors = props(pages()).CorsConfiguration;
    if (!isRecord(cors)) throw new Error("no CORS");
    const rules = asArray(cors.CorsRules).filter(isRecord);
    expect(rules).toHaveLength(1);
    expect(rules[0]!.AllowedMethods).toEqual(["PUT"]);
    expect(JSON.stringify(rules[0]!.AllowedOrigins)).toContain(logicalIdOf(stack.api.httpApi));
  });

  it("sends every object created under uploads/ to the ingest queue", () => {
    template.hasResourceProperties("Custom::S3BucketNotifications", {
      BucketName: { Ref: logicalIdOf(stack.storage.bucket) },
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ["s3:ObjectCreated:*"],
            Filter: { Key: { FilterRules: [{ Name: "prefix", Value: "uploads/" }] } },
            QueueArn: { "Fn::GetAtt": [logicalIdOf(stack.ingest.queue), "Arn"] },
          },
        ],
      },
    });
  });
});

// ---- ingest ----

describe("ingest queue", () => {
  it("redrives to a dead-letter queue after 5 receives, with a visibility timeout ≥ 6× the function timeout", () => {
    const queue = resources("AWS::SQS::Queue")[logicalIdOf(stack.ingest.queue)];
    const p = props(queue!);
    expect(p.RedrivePolicy).toEqual({
      deadLetterTargetArn: { "Fn::GetAtt": [logicalIdOf(stack.ingest.deadLetterQueue), "Arn"] },
      maxReceiveCount: INGEST_MAX_RECEIVES,
    });
    expect(INGEST_MAX_RECEIVES).toBe(5);
    expect(Number(p.VisibilityTimeout)).toBeGreaterThanOrEqual(6 * INGEST_TIMEOUT.toSeconds());
    const fn = resources("AWS::Lambda::Function")[logicalIdOf(stack.ingest.ingestFunction.fn)];
    expect(Number(p.VisibilityTimeout)).toBeGreaterThanOrEqual(6 * Number(props(fn!).Timeout));
  });

  it("encrypts queues with KMS and refuses non-TLS access", () => {
    for (const q of [stack.ingest.queue, stack.ingest.deadLetterQueue]) {
      expect(props(resources("AWS::SQS::Queue")[logicalIdOf(q)]!).KmsMasterKeyId).toEqual({
        "Fn::GetAtt": [logicalIdOf(stack.keys.messages), "Arn"],
      });
    }
    const policies = Object.values(resources("AWS::SQS::QueuePolicy")).map(props);
    const ingestPolicy = policies.find((p) => JSON.stringify(p.Queues).includes(logicalIdOf(stack.ingest.queue)));
    expect(JSON.stringify(ingestPolicy)).toContain('"aws:SecureTransport":"false"');
  });

  it("feeds the ingest function one upload at a time, at bounded concurrency, with partial batch failures", () => {
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: { "Fn::GetAtt": [logicalIdOf(stack.ingest.queue), "Arn"] },
      FunctionName: { Ref: logicalIdOf(stack.ingest.ingestFunction.fn) },
      BatchSize: 1,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      ScalingConfig: { MaximumConcurrency: 4 },
    });
  });
});

// ---- functions ----

describe("functions", () => {
  const ours = () =>
    Object.entries(resources("AWS::Lambda::Function")).filter(([id]) => !id.startsWith("BucketNotificationsHandler"));

  it("are the four entries, all Node.js 22 on arm64, ESM with source maps, JSON logs, traced", () => {
    expect(ours()).toHaveLength(4);
    for (const [id, r] of ours()) {
      const p = props(r);
      expect(p.Runtime, id).toBe("nodejs22.x");
      expect(p.Architectures, id).toEqual(["arm64"]);
      expect(p.Handler, id).toBe("index.handler");
      expect(p.LoggingConfig, id).toMatchObject({ LogFormat: "JSON" });
      expect(p.TracingConfig, id).toEqual({ Mode: "Active" });
      const env = isRecord(p.Environment) && isRecord(p.Environment.Variables) ? p.Environment.Variables : {};
      expect(env.NODE_OPTIONS, id).toBe("--enable-source-maps");
      for (const name of ["TABLE_NAME", "BUCKET_NAME", "OCR_ENGINE", "BEDROCK_MODEL_ID", "BEDROCK_REGION", "USER_POOL_ID", "USER_POOL_CLIENT_ID"]) {
        expect(env[name], `${id} ${name}`).toBeDefined();
      }
      expect(env.OCR_ENGINE).toBe("bedrock+textract");
    }
  });

  it("log to their own log group with a finite retention", () => {
    for (const f of [stack.api.apiFunction, stack.ingest.ingestFunction, stack.ingest.textractCompleteFunction, stack.reports.reportFunction]) {
      const p = props(resources("AWS::Lambda::Function")[logicalIdOf(f.fn)]!);
      expect(p.LoggingConfig).toMatchObject({ LogGroup: { Ref: logicalIdOf(f.logGroup) } });
      expect(props(resources("AWS::Logs::LogGroup")[logicalIdOf(f.logGroup)]!).RetentionInDays).toBe(365);
    }
  });

  it("give the Textract settings only to the two ingest functions", () => {
    const env = (f: { fn: { node: { defaultChild?: unknown } } }) => {
      const p = props(resources("AWS::Lambda::Function")[logicalIdOf(f.fn)]!);
      return isRecord(p.Environment) && isRecord(p.Environment.Variables) ? p.Environment.Variables : {};
    };
    expect(env(stack.ingest.ingestFunction).TEXTRACT_SNS_TOPIC_ARN).toEqual({ Ref: logicalIdOf(stack.ingest.textractTopic) });
    expect(env(stack.ingest.ingestFunction).TEXTRACT_ROLE_ARN).toEqual({ "Fn::GetAtt": [logicalIdOf(stack.ingest.textractRole), "Arn"] });
    expect(env(stack.api.apiFunction).TEXTRACT_ROLE_ARN).toBeUndefined();
  });
});

// ---- IAM ----

describe("IAM", () => {
  it("has no statement allowing every action, or every action of a service", () => {
    for (const [id, policy] of Object.entries(resources("AWS::IAM::Policy"))) {
      const doc = props(policy).PolicyDocument;
      const statements = isRecord(doc) ? asArray(doc.Statement).map(toStatement) : [];
      for (const s of statements) {
        for (const action of s.Action) {
          expect(action, id).not.toBe("*");
          expect(action, id).not.toMatch(/^[a-z0-9-]+:\*$/);
        }
      }
    }
  });

  it("API function: table and presigned object access only — no Textract, no Bedrock, PUT only under uploads/", () => {
    const statements = fnRole(stack.api.apiFunction);
    const actions = actionsOf(statements);
    expect([...actions].filter((a) => a.startsWith("textract:") || a.startsWith("bedrock:"))).toEqual([]);
    const puts = statements.filter((s) => s.Action.includes("s3:PutObject"));
    expect(puts).toHaveLength(1);
    expect(JSON.stringify(puts[0]!.Resource)).toContain("/uploads/*");
    expect(puts[0]!.Resource).toHaveLength(1);
    expect(actions.has("dynamodb:Query")).toBe(true);
    expect(actions.has("dynamodb:Scan")).toBe(false);
    expect(actions.has("dynamodb:DeleteTable")).toBe(false);
  });

  it("ingest function: Textract, Bedrock on exactly the configured model, S3 by prefix", () => {
    const statements = fnRole(stack.ingest.ingestFunction);
    const actions = actionsOf(statements);
    for (const a of ["textract:AnalyzeDocument", "textract:StartDocumentAnalysis", "textract:GetDocumentAnalysis"]) {
      expect(actions.has(a), a).toBe(true);
    }
    const bedrock = statements.filter((s) => s.Action.some((a) => a.startsWith("bedrock:")));
    expect(bedrock.flatMap((s) => s.Action)).toEqual(["bedrock:InvokeModel", "bedrock:InvokeModel"]);
    const profileArn = {
      "Fn::Join": ["", [`arn:aws:bedrock:ap-southeast-1:`, { Ref: "AWS::AccountId" }, `:inference-profile/${DEFAULT_BEDROCK_MODEL_ID}`]],
    };
    expect(bedrock.map((s) => s.Resource)).toEqual([
      [profileArn],
      ["arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0"],
    ]);
    expect(bedrock[1]!.Condition).toEqual({ StringEquals: { "bedrock:InferenceProfileArn": profileArn } });
    // reads uploads, writes pages; nothing else in S3
    const s3 = statements.filter((s) => s.Action.some((a) => a.startsWith("s3:")));
    expect(s3.map((s) => [s.Action, JSON.stringify(s.Resource).match(/\/(\w+)\/\*/g)])).toEqual([
      [["s3:GetObject"], ["/uploads/*"]],
      [["s3:PutObject"], ["/pages/*"]],
    ]);
    // may pass only the Textract role, only to Textract
    const pass = statements.filter((s) => s.Action.includes("iam:PassRole"));
    expect(pass).toEqual([
      {
        Effect: "Allow",
        Action: ["iam:PassRole"],
        Resource: [{ "Fn::GetAtt": [logicalIdOf(stack.ingest.textractRole), "Arn"] }],
        Condition: { StringEquals: { "iam:PassedToService": "textract.amazonaws.com" } },
      },
    ]);
  });

  it("report function: reads the table, writes reports/, nothing else", () => {
    const actions = actionsOf(fnRole(stack.reports.reportFunction));
    expect(actions.has("dynamodb:Query")).toBe(true);
    expect(actions.has("dynamodb:PutItem")).toBe(false);
    expect([...actions].filter((a) => /^(textract|bedrock):/.test(a))).toEqual([]);
    expect(actions.has("s3:GetObject")).toBe(false);
  });

  it("the scheduler's role may only invoke the report function (and drop undeliverable events in its DLQ)", () => {
    const statements = statementsOfRole(logicalIdOf(stack.reports.schedulerRole));
    expect(statements.map((s) => s.Action)).toEqual([["lambda:InvokeFunction"], ["sqs:SendMessage"]]);
    expect(statements[0]!.Resource).toEqual([{ "Fn::GetAtt": [logicalIdOf(stack.reports.reportFunction.fn), "Arn"] }]);
    expect(statements[1]!.Resource).toEqual([{ "Fn::GetAtt": [logicalIdOf(stack.reports.deadLetterQueue), "Arn"] }]);
  });

  it("Textract's publishing role may only publish to the completion topic, for our account", () => {
    const statements = statementsOfRole(logicalIdOf(stack.ingest.textractRole));
    expect(statements.map((s) => [...s.Action].sort())).toEqual([["sns:Publish"], ["kms:Decrypt", "kms:GenerateDataKey"]]);
    expect(statements[0]!.Resource).toEqual([{ Ref: logicalIdOf(stack.ingest.textractTopic) }]);
    const role = props(resources("AWS::IAM::Role")[logicalIdOf(stack.ingest.textractRole)]!);
    expect(JSON.stringify(role.AssumeRolePolicyDocument)).toContain("aws:SourceAccount");
  });
});

// ---- schedule, API, auth, operations ----

describe("monthly report schedule", () => {
  it("fires at 06:00 Vietnam time on the 1st, no flexible window, retries then dead-letters", () => {
    expect(REPORT_SCHEDULE).toBe("cron(0 6 1 * ? *)");
    expect(REPORT_TIMEZONE).toBe("Asia/Ho_Chi_Minh");
    template.hasResourceProperties("AWS::Scheduler::Schedule", {
      ScheduleExpression: "cron(0 6 1 * ? *)",
      ScheduleExpressionTimezone: "Asia/Ho_Chi_Minh",
      FlexibleTimeWindow: { Mode: "OFF" },
      Target: Match.objectLike({
        Arn: { "Fn::GetAtt": [logicalIdOf(stack.reports.reportFunction.fn), "Arn"] },
        RoleArn: { "Fn::GetAtt": [logicalIdOf(stack.reports.schedulerRole), "Arn"] },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 21600 },
        DeadLetterConfig: { Arn: { "Fn::GetAtt": [logicalIdOf(stack.reports.deadLetterQueue), "Arn"] } },
        Input: Match.stringLikeRegexp("aws\\.scheduler\\.scheduled-time"),
      }),
    });
  });
});

describe("HTTP API", () => {
  it("authorises /api routes with a Cognito JWT authorizer; only GET pages are public", () => {
    const authorizers = Object.entries(resources("AWS::ApiGatewayV2::Authorizer"));
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0]!;
    const a = props(authorizer);
    expect(a.AuthorizerType).toBe("JWT");
    expect(JSON.stringify(a.JwtConfiguration)).toContain("cognito-idp");
    expect(JSON.stringify(a.JwtConfiguration)).toContain(logicalIdOf(stack.auth.webClient));

    const routes = Object.values(resources("AWS::ApiGatewayV2::Route")).map(props);
    const byKey = new Map(routes.map((r) => [String(r.RouteKey), r]));
    for (const key of ["ANY /api", "ANY /api/{proxy+}"]) {
      expect(byKey.get(key)?.AuthorizationType, key).toBe("JWT");
      expect(byKey.get(key)?.AuthorizerId, key).toEqual({ Ref: authorizerId });
    }
    const open = routes.filter((r) => r.AuthorizationType === undefined || r.AuthorizationType === "NONE");
    expect(open.map((r) => r.RouteKey).sort()).toEqual(["GET /", "GET /{proxy+}"]);
  });

  it("throttles the default stage and writes JSON access logs", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: {
        DestinationArn: { "Fn::GetAtt": [logicalIdOf(stack.api.accessLogs), "Arn"] },
        Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
      },
    });
  });
});

describe("Cognito", () => {
  it("has no self sign-up, required TOTP MFA, a strong password policy and threat protection", () => {
    template.hasResourceProperties("AWS::Cognito::UserPool", {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: "ON",
      EnabledMfas: ["SOFTWARE_TOKEN_MFA"],
      UserPoolTier: "PLUS",
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true, RequireUppercase: true }) },
      Schema: Match.arrayWith([Match.objectLike({ Name: "org_id", AttributeDataType: "String" })]),
    });
    const groups = Object.values(resources("AWS::Cognito::UserPoolGroup")).map((g) => props(g).GroupName);
    expect(groups.sort()).toEqual(["admin", "inspector", "secretary"]);
  });

  it("lets the web client read custom:org_id but never write it", () => {
    const client = props(resources("AWS::Cognito::UserPoolClient")[logicalIdOf(stack.auth.webClient)]!);
    expect(client.ReadAttributes).toContain("custom:org_id");
    expect(client.WriteAttributes).not.toContain("custom:org_id");
    expect(client.GenerateSecret).toBe(false);
    expect(client.ExplicitAuthFlows).toEqual(["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]);
  });
});

describe("operations", () => {
  it("alarms as soon as any dead-letter queue holds a message", () => {
    for (const q of [stack.ingest.deadLetterQueue, stack.ingest.completionDeadLetterQueue, stack.reports.deadLetterQueue]) {
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        Namespace: "AWS/SQS",
        MetricName: "ApproximateNumberOfMessagesVisible",
        Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [logicalIdOf(q), "QueueName"] } }],
        ComparisonOperator: "GreaterThanThreshold",
        Threshold: 0,
        AlarmActions: [{ Ref: logicalIdOf(stack.operations.alarmTopic) }],
      });
    }
  });

  it("alarms on every function's errors and throttles", () => {
    const alarms = Object.values(resources("AWS::CloudWatch::Alarm")).map(props);
    for (const f of [stack.api.apiFunction, stack.ingest.ingestFunction, stack.ingest.textractCompleteFunction, stack.reports.reportFunction]) {
      for (const metric of ["Errors", "Throttles"]) {
        const found = alarms.filter(
          (a) => a.MetricName === metric && JSON.stringify(a.Dimensions).includes(`"Ref":"${logicalIdOf(f.fn)}"`),
        );
        expect(found, `${metric} of ${f.node.path}`).toHaveLength(1);
      }
    }
  });

  it("counts Textract failures from the ingest logs into Bienban/TextractFailures and alarms on them", () => {
    template.hasResourceProperties("AWS::Logs::MetricFilter", {
      LogGroupName: { Ref: logicalIdOf(stack.ingest.ingestFunction.logGroup) },
      FilterPattern: Match.stringLikeRegexp("textract\\.failed"),
      MetricTransformations: [Match.objectLike({ MetricNamespace: "Bienban", MetricName: "TextractFailures", MetricValue: "1" })],
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", { Namespace: "Bienban", MetricName: "TextractFailures" });
    template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
  });

  it("encrypts the alarm topic and lets CloudWatch use its key", () => {
    template.hasResourceProperties("AWS::SNS::Topic", {
      KmsMasterKeyId: { "Fn::GetAtt": [logicalIdOf(stack.keys.messages), "Arn"] },
    });
    const key = props(resources("AWS::KMS::Key")[logicalIdOf(stack.keys.messages)]!);
    expect(JSON.stringify(key.KeyPolicy)).toContain("cloudwatch.amazonaws.com");
  });
});

describe("outputs", () => {
  it("exports the API URL, user pool and client ids, bucket and table names", () => {
    const outputs = Object.keys(template.findOutputs("*"));
    expect(outputs.sort()).toEqual(["ApiUrl", "BucketName", "TableName", "UserPoolClientId", "UserPoolId"]);
  });
});
