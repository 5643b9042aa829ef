/**
 * The stack's intent, asserted on the synthesised template: data kept for the long term and
 * encrypted, queues that cannot lose uploads, least-privilege IAM per function, the monthly
 * schedule in Vietnam time, an authenticated API, alarms on dead letters.
 * Bundling is skipped here (the template is what is asserted); `npx cdk synth` bundles for real.
 */
import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { INGEST_MAX_RECEIVES, INGEST_MEMORY_MB, INGEST_TIMEOUT } from "../../infra/constructs/ingest.ts";
import { REPORT_SCHEDULE, REPORT_TIMEZONE } from "../../infra/constructs/reports.ts";
import { DEFAULT_BEDROCK_MODEL_ID } from "../../infra/settings.ts";
import type { BienbanStack } from "../../infra/stack.ts";
import { loadConfig } from "../../shared/config.ts";
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

type Fn = { fn: { node: { defaultChild?: unknown } } };
function envOf(f: Fn): Record<string, Json> {
  const p = props(resources("AWS::Lambda::Function")[logicalIdOf(f.fn)]!);
  return isRecord(p.Environment) && isRecord(p.Environment.Variables) ? p.Environment.Variables : {};
}
/** The bucket prefixes an S3 action is allowed on, e.g. ["reports/*", "uploads/*"]; "(bucket)" for the bucket ARN. */
function s3Grants(statements: Statement[], action: string): string[] {
  const bucket = logicalIdOf(stack.storage.bucket);
  return statements
    .filter((s) => s.Action.includes(action))
    .flatMap((s) => s.Resource)
    .map((r) => {
      const text = JSON.stringify(r);
      if (!text.includes(bucket)) return `(other) ${text}`;
      const prefix = /\/(\w+\/\*)"/.exec(text);
      return prefix ? prefix[1]! : "(bucket)";
    })
    .sort();
}
const allS3Actions = (statements: Statement[]) => [...actionsOf(statements)].filter((a) => a.startsWith("s3:")).sort();

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
        Projection: { ProjectionType: i.projection, ...(i.nonKeyAttributes ? { NonKeyAttributes: i.nonKeyAttributes } : {}) },
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
    expect(Number(p.VisibilityTimeout)).toBeGreaterThanOrEqual(1800);
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
    }
  });

  /**
   * Each function's environment, as shared/config.ts parses it in the Lambda: CloudFormation
   * references stand in as placeholder strings. A misspelt name would be dropped by the schema
   * (and the default silently used), so every name must come back out of loadConfig unchanged.
   */
  const configOf = (f: Fn) => {
    const env = envOf(f);
    const asDeployed = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, typeof v === "string" ? v : `<${k}>`]));
    const config: Record<string, unknown> = { ...loadConfig(asDeployed) };
    for (const [name, value] of Object.entries(asDeployed)) {
      if (name === "NODE_OPTIONS") continue;
      expect(config[name], `${name} is not a shared/config.ts setting`).toBe(value);
    }
    return { env, config };
  };

  it("give each function the settings its code reads, under the names shared/config.ts parses", () => {
    const common = ["BUCKET_NAME", "NODE_OPTIONS", "RULE_SET", "TABLE_NAME"];
    const names = (f: Fn) => Object.keys(envOf(f)).sort();
    expect(names(stack.api.apiFunction)).toEqual([...common, "USER_POOL_CLIENT_ID", "USER_POOL_ID"].sort());
    expect(names(stack.ingest.ingestFunction)).toEqual(
      [...common, "OCR_ENGINE", "BEDROCK_MODEL_ID", "BEDROCK_REGION", "TEXTRACT_SNS_TOPIC_ARN", "TEXTRACT_ROLE_ARN"].sort(),
    );
    expect(names(stack.ingest.textractCompleteFunction)).toEqual([...common, "TEXTRACT_SNS_TOPIC_ARN", "TEXTRACT_ROLE_ARN"].sort());
    expect(names(stack.reports.reportFunction)).toEqual(common);

    for (const f of [stack.api.apiFunction, stack.ingest.ingestFunction, stack.ingest.textractCompleteFunction, stack.reports.reportFunction]) {
      const { env, config } = configOf(f);
      expect(env.TABLE_NAME, f.node.path).toEqual({ Ref: logicalIdOf(stack.storage.table) });
      expect(env.BUCKET_NAME, f.node.path).toEqual({ Ref: logicalIdOf(stack.storage.bucket) });
      expect(config.RULE_SET, f.node.path).toBe("12-HD-2018");
    }

    const ingest = configOf(stack.ingest.ingestFunction);
    expect(ingest.config.OCR_ENGINE).toBe("bedrock+textract");
    expect(ingest.config.BEDROCK_MODEL_ID).toBe(DEFAULT_BEDROCK_MODEL_ID);
    expect(ingest.config.BEDROCK_REGION).toBe("ap-southeast-1");

    const api = configOf(stack.api.apiFunction);
    expect(api.env.USER_POOL_ID).toEqual({ Ref: logicalIdOf(stack.auth.userPool) });
    expect(api.env.USER_POOL_CLIENT_ID).toEqual({ Ref: logicalIdOf(stack.auth.webClient) });
  });

  it("take the rule set from context, and refuse one that is not shipped", () => {
    const other = buildStack({ ruleSet: "42-HD-2025" });
    const fns = Object.values(other.template.findResources("AWS::Lambda::Function")).map((r) => JSON.stringify(r));
    expect(fns.filter((f) => f.includes('"RULE_SET":"42-HD-2025"'))).toHaveLength(4);
    expect(() => buildStack({ ruleSet: "99-XX-2030" })).toThrow(/ruleSet/);
  });
  it("log to their own log group with a finite retention", () => {
    for (const f of [stack.api.apiFunction, stack.ingest.ingestFunction, stack.ingest.textractCompleteFunction, stack.reports.reportFunction]) {
      const p = props(resources("AWS::Lambda::Function")[logicalIdOf(f.fn)]!);
      expect(p.LoggingConfig).toMatchObject({ LogGroup: { Ref: logicalIdOf(f.logGroup) } });
      expect(props(resources("AWS::Logs::LogGroup")[logicalIdOf(f.logGroup)]!).RetentionInDays).toBe(365);
    }
  });

  it("give the Textract settings only to the two ingest functions", () => {
    for (const f of [stack.ingest.ingestFunction, stack.ingest.textractCompleteFunction]) {
      expect(envOf(f).TEXTRACT_SNS_TOPIC_ARN, f.node.path).toEqual({ Ref: logicalIdOf(stack.ingest.textractTopic) });
      expect(envOf(f).TEXTRACT_ROLE_ARN, f.node.path).toEqual({ "Fn::GetAtt": [logicalIdOf(stack.ingest.textractRole), "Arn"] });
    }
    for (const f of [stack.api.apiFunction, stack.reports.reportFunction]) {
      expect(envOf(f).TEXTRACT_ROLE_ARN, f.node.path).toBeUndefined();
      expect(envOf(f).TEXTRACT_SNS_TOPIC_ARN, f.node.path).toBeUndefined();
    }
  });

  it("ingest: 5-minute timeout for up to 3 pages of Bedrock readings with corrections, 1 GB", () => {
    const p = props(resources("AWS::Lambda::Function")[logicalIdOf(stack.ingest.ingestFunction.fn)]!);
    expect(p.Timeout).toBe(300);
    expect(INGEST_TIMEOUT.toSeconds()).toBe(300);
    expect(p.MemorySize).toBe(1024);
    expect(INGEST_MEMORY_MB).toBe(1024);
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

  it("API function: table and object access only — no Textract, no Bedrock; PUT under uploads/ and reports/, never pages/", () => {
    const statements = fnRole(stack.api.apiFunction);
    const actions = actionsOf(statements);
    expect([...actions].filter((a) => a.startsWith("textract:") || a.startsWith("bedrock:") || a === "iam:PassRole")).toEqual([]);
    // uploads/: presigned browser PUTs and the upload manifest; reports/: "build now" stores a report
    expect(s3Grants(statements, "s3:PutObject")).toEqual(["reports/*", "uploads/*"]);
    expect(s3Grants(statements, "s3:GetObject")).toEqual(["pages/*", "reports/*", "uploads/*"]);
    expect(s3Grants(statements, "s3:ListBucket")).toEqual(["(bucket)"]);
    expect(allS3Actions(statements)).toEqual(["s3:GetObject", "s3:ListBucket", "s3:PutObject"]);
    expect(actions.has("dynamodb:Query")).toBe(true);
    expect(actions.has("dynamodb:Scan")).toBe(false);
    expect(actions.has("dynamodb:DeleteTable")).toBe(false);
  });

  it("ingest function: Textract AnalyzeDocument and StartDocumentAnalysis, Bedrock on exactly the configured model, S3 by prefix", () => {
    const statements = fnRole(stack.ingest.ingestFunction);
    const actions = actionsOf(statements);
    expect([...actions].filter((a) => a.startsWith("textract:")).sort()).toEqual(["textract:AnalyzeDocument", "textract:StartDocumentAnalysis"]);
    const bedrock = statements.filter((s) => s.Action.some((a) => a.startsWith("bedrock:")));
    expect(bedrock.flatMap((s) => s.Action)).toEqual(["bedrock:InvokeModel", "bedrock:InvokeModel"]);
    const profileArn = {
      "Fn::Join": ["", [`arn:aws:bedrock:ap-southeast-1:`, { Ref: "AWS::AccountId" }, `:inference-profile/${DEFAULT_BEDROCK_MODEL_ID}`]],
    };
    // the APAC profile in our region, and the foundation model in whichever APAC region the
    // profile routes a call to — only when the call comes through that profile
    expect(bedrock.map((s) => s.Resource)).toEqual([
      [profileArn],
      ["arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0"],
    ]);
    expect(bedrock[0]!.Condition).toBeUndefined();
    expect(bedrock[1]!.Condition).toEqual({ StringEquals: { "bedrock:InferenceProfileArn": profileArn } });
    // reads uploads, writes pages; nothing else in S3
    expect(s3Grants(statements, "s3:GetObject")).toEqual(["uploads/*"]);
    expect(s3Grants(statements, "s3:PutObject")).toEqual(["pages/*"]);
    expect(s3Grants(statements, "s3:ListBucket")).toEqual(["(bucket)"]);
    expect(allS3Actions(statements)).toEqual(["s3:GetObject", "s3:ListBucket", "s3:PutObject"]);
    // writes meetings and upload states
    expect(actions.has("dynamodb:PutItem")).toBe(true);
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

  it("textract-complete function: reads Textract results (never starts a job), uploads/ in, pages/ and the table out, no Bedrock", () => {
    const statements = fnRole(stack.ingest.textractCompleteFunction);
    const actions = actionsOf(statements);
    expect([...actions].filter((a) => a.startsWith("textract:"))).toEqual(["textract:GetDocumentAnalysis"]);
    expect(actions.has("textract:StartDocumentAnalysis")).toBe(false);
    expect(actions.has("iam:PassRole")).toBe(false);
    expect([...actions].filter((a) => a.startsWith("bedrock:"))).toEqual([]);
    expect(s3Grants(statements, "s3:GetObject")).toEqual(["uploads/*"]);
    expect(s3Grants(statements, "s3:PutObject")).toEqual(["pages/*"]);
    expect(allS3Actions(statements)).toEqual(["s3:GetObject", "s3:ListBucket", "s3:PutObject"]);
    expect(actions.has("dynamodb:PutItem")).toBe(true);
  });

  it("report function: reads the table, reads and writes reports/ only, nothing else", () => {
    const statements = fnRole(stack.reports.reportFunction);
    const actions = actionsOf(statements);
    expect(actions.has("dynamodb:Query")).toBe(true);
    expect([...actions].filter((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a))).toEqual([]);
    expect([...actions].filter((a) => /^(textract|bedrock):/.test(a))).toEqual([]);
    // progress object and index.json are read back (GetObject; a missing one is a 404 thanks to ListBucket)
    expect(s3Grants(statements, "s3:GetObject")).toEqual(["reports/*"]);
    expect(s3Grants(statements, "s3:PutObject")).toEqual(["reports/*"]);
    expect(s3Grants(statements, "s3:ListBucket")).toEqual(["(bucket)"]);
    expect(allS3Actions(statements)).toEqual(["s3:GetObject", "s3:ListBucket", "s3:PutObject"]);
  });

  it("every function that reads objects may list the bucket (a missing key is then 404, not 403), with no condition and no wildcard", () => {
    for (const f of [stack.api.apiFunction, stack.ingest.ingestFunction, stack.ingest.textractCompleteFunction, stack.reports.reportFunction]) {
      const list = fnRole(f).filter((s) => s.Action.includes("s3:ListBucket"));
      expect(list, f.node.path).toEqual([
        { Effect: "Allow", Action: ["s3:ListBucket"], Resource: [{ "Fn::GetAtt": [logicalIdOf(stack.storage.bucket), "Arn"] }] },
      ]);
    }
  });

  it("uses the data key only through DynamoDB and S3, for every function", () => {
    for (const f of [stack.api.apiFunction, stack.ingest.ingestFunction, stack.ingest.textractCompleteFunction, stack.reports.reportFunction]) {
      const dataKey = { "Fn::GetAtt": [logicalIdOf(stack.keys.data), "Arn"] };
      const kms = fnRole(f).filter((s) => s.Resource.some((r) => JSON.stringify(r) === JSON.stringify(dataKey)));
      expect(kms.length, f.node.path).toBeGreaterThan(0);
      for (const s of kms) {
        expect(s.Resource, f.node.path).toEqual([dataKey]);
        expect(s.Condition, f.node.path).toEqual({
          StringEquals: { "kms:ViaService": ["dynamodb.ap-southeast-1.amazonaws.com", "s3.ap-southeast-1.amazonaws.com"] },
        });
      }
    }
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
