/**
 * The one way this project makes a Lambda function. Every default that matters is decided here,
 * once, so the four functions cannot drift apart (STYLE.md: no NodejsFunction block pasted per Lambda).
 *
 * Decisions:
 * - Node.js 22 on arm64 (Graviton: cheaper per GB-second, same JS). Node 22 is pinned on purpose:
 *   the project's code and tests target it (ARCHITECTURE.md), so a runtime bump is a code change.
 * - esbuild runs locally (no Docker), ESM output (`index.mjs`), minified, with source maps and
 *   `NODE_OPTIONS=--enable-source-maps` so stack traces in the logs point at our .ts lines.
 *   The banner gives ESM bundles a real `require`, because esbuild's ESM output of CommonJS
 *   dependencies calls `require` for Node built-ins and would otherwise throw
 *   "Dynamic require of X is not supported".
 * - The AWS SDK v3 (@aws-sdk/*) is NOT bundled (external, `bundleAwsSDK: false`): the Node.js 22
 *   runtime provides it. Bundling it would pin the exact versions of package-lock.json, but it puts
 *   every function over the 1 MB bundle budget (the SDK and @smithy/* are ~500 KB of each bundle)
 *   and lengthens cold starts. The code uses only long-stable SDK v3 commands (DynamoDB, S3,
 *   Textract, Bedrock Converse), and the tests run the pinned versions. `brotli` (fontkit's WOFF2
 *   decoder, 475 KB) is aliased to a stub (infra/stubs/brotli): the report embeds TTF fonts only.
 *   `sharp` stays external too: it is a native module; our code loads it lazily (shared/extraction/
 *   sharp.ts), and the cloud engines (Textract, Bedrock) read the uploaded images without it.
 *   These options are exported (BUNDLE_OPTIONS) so test/infra/bundles.test.ts builds with exactly them.
 * - Files a bundle reads at run time from beside itself (`files`: the report's TTF fonts) are
 *   copied next to index.mjs by an afterBundling hook; esbuild cannot inline a file read by path.
 * - A LogGroup is created explicitly (so its retention is ours, not "never expire", and it is
 *   removed from the account's guesswork), JSON log format, application logs from INFO.
 *   Retention: one year. Logs hold ids, sizes, timings and codes only (never names or OCR text);
 *   the lasting record of who changed what lives in the table's audit items, not in logs. A year
 *   covers a full cycle of monthly reports and the year-end review of cells, which is the longest
 *   window in which an operator plausibly asks "what happened to this upload?".
 * - X-Ray active tracing.
 * - The role is created here with NO managed policy: it gets write access to its own log group,
 *   X-Ray, and exactly the statements the caller passes in `permissions` ("least privilege in one
 *   call"). Event sources and triggers add their own narrow statements (CDK does that).
 */
import type { Duration } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat, SourceMapMode } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import type { Config } from "../../shared/config.ts";
import { acknowledge, iam5, type Acknowledgment } from "../nag.ts";
import { Construct } from "constructs";
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root: infra/constructs/ → ../.. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The Lambda entry files in functions/ (one thin file per Lambda, owned by the functions code). */
export type FunctionEntry = "api" | "ingest" | "report" | "textract-complete";

export const LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

/** Put before the bundle: a real `require` for CommonJS dependencies inside an ESM bundle. */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __bienbanCreateRequire } from 'node:module'; const require = __bienbanCreateRequire(import.meta.url);";

/**
 * The esbuild options of every function, in one place: NodejsFunction gets them below, and the
 * bundle tests (test/infra/bundles.test.ts) run esbuild with the same values.
 */
export const BUNDLE_OPTIONS = {
  format: "esm",
  platform: "node",
  target: "node22",
  mainFields: ["module", "main"],
  minify: true,
  banner: ESM_REQUIRE_BANNER,
  /** provided by the Lambda runtime (@aws-sdk/*) or loaded lazily and never needed in AWS (sharp) */
  external: ["@aws-sdk/*", "sharp"],
  alias: { brotli: join(PROJECT_ROOT, "infra", "stubs", "brotli") },
} as const;

/** Lambda's limit is 50 MB zipped; ours is 1 MB of index.mjs per function (cold start, review). */
export const BUNDLE_BUDGET_BYTES = 1024 * 1024;

/** Files copied beside a function's index.mjs: `into` is a folder of the bundle, `from` absolute paths. */
export interface BundledFiles {
  into: string;
  from: readonly string[];
}

/**
 * The afterBundling shell commands that copy `files` into the bundle. Sources are given relative
 * to the project root and prefixed with `inputDir`, so the same commands work for local bundling
 * (inputDir = the project root) and for Docker bundling (inputDir = /asset-input).
 */
export function copyFilesCommands(inputDir: string, outputDir: string, files: readonly BundledFiles[]): string[] {
  const quote = (p: string) => `'${p.replace(/'/g, "'\\''")}'`;
  return files.flatMap(({ into, from }) => {
    if (isAbsolute(into) || into.split(/[\\/]/).includes("..")) throw new Error(`bundle folder ${into} must stay inside the bundle`);
    const target = join(outputDir, into);
    return [
      `mkdir -p ${quote(target)}`,
      ...from.map((file) => {
        const inProject = relative(PROJECT_ROOT, file);
        if (inProject.startsWith("..") || isAbsolute(inProject)) throw new Error(`${file} is outside the project; it cannot be bundled`);
        return `cp ${quote(join(inputDir, inProject))} ${quote(target)}/`;
      }),
    ];
  });
}

/** Environment variables a function may be given: only names shared/config.ts reads. */
export type FunctionEnvironment = Partial<Record<keyof Config, string>>;

export interface BienbanFunctionProps {
  /** file name in functions/ without extension; it must export `handler` */
  entry: FunctionEntry;
  description: string;
  memorySize: number;
  timeout: Duration;
  /**
   * the function's configuration, parsed with zod by shared/config.ts: the names are that schema's
   * keys (a misspelt name is a type error here, not a default silently used in AWS)
   */
  environment: FunctionEnvironment;
  /** every permission the function's code needs; nothing else is granted */
  permissions: iam.PolicyStatement[];
  /**
   * cdk-nag acknowledgements for `permissions` (e.g. an IAM5 wildcard a service forces on us),
   * each with its reason and exact finding id; they apply to this function's permissions policy only.
   */
  permissionsSuppressions?: Acknowledgment[];
  /**
   * For asynchronously invoked functions (SNS, EventBridge Scheduler): where an event goes after
   * Lambda's own retries are spent, instead of being dropped.
   */
  asyncFailureQueue?: sqs.IQueue;
  /** caps concurrency (e.g. to protect a downstream rate limit); unset = account pool */
  reservedConcurrentExecutions?: number;
  /** files the code reads at run time from beside the bundle (e.g. the report's fonts) */
  files?: readonly BundledFiles[];
}

export class BienbanFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** the caller's statements, kept apart from what CDK adds (logs, X-Ray, event sources) */
  readonly permissionsPolicy: iam.Policy;

  constructor(scope: Construct, id: string, props: BienbanFunctionProps) {
    super(scope, id);

    const entryPath = join(PROJECT_ROOT, "functions", `${props.entry}.ts`);
    if (!existsSync(entryPath)) {
      throw new Error(`Lambda entry ${entryPath} does not exist (expected functions/${props.entry}.ts exporting handler).`);
    }

    this.logGroup = new logs.LogGroup(this, "Logs", { retention: LOG_RETENTION });

    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `bienban ${props.entry} function`,
    });
    // Exactly the two log actions on this function's own log group (no managed policy).
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.permissionsPolicy = new iam.Policy(this, "Permissions", { statements: props.permissions, roles: [this.role] });
    acknowledge(this.permissionsPolicy, ...(props.permissionsSuppressions ?? []));

    this.fn = new NodejsFunction(this, "Function", {
      entry: entryPath,
      handler: "handler",
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, "package-lock.json"),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      description: props.description,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: lambda.Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      ...(props.asyncFailureQueue ? { deadLetterQueue: props.asyncFailureQueue, retryAttempts: 2 } : {}),
      environment: { ...props.environment, NODE_OPTIONS: "--enable-source-maps" },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: BUNDLE_OPTIONS.target,
        mainFields: [...BUNDLE_OPTIONS.mainFields],
        minify: BUNDLE_OPTIONS.minify,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        // Our own sources are enough to map a stack trace; embedding every dependency's source
        // would triple the map for nothing.
        sourcesContent: false,
        banner: BUNDLE_OPTIONS.banner,
        bundleAwsSDK: false,
        externalModules: [...BUNDLE_OPTIONS.external],
        esbuildArgs: Object.fromEntries(Object.entries(BUNDLE_OPTIONS.alias).map(([from, to]) => [`--alias:${from}`, to])),
        ...(props.files?.length
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) => copyFilesCommands(inputDir, outputDir, props.files ?? []),
              },
            }
          : {}),
      },
    });

    // CDK's tracing support adds an X-Ray statement with Resource "*" to the role's default policy.
    const defaultPolicy = this.role.node.tryFindChild("DefaultPolicy");
    if (defaultPolicy) {
      acknowledge(defaultPolicy, {
        id: iam5("Resource", "*"),
        reason:
          "xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions (Resource must be *); added by Lambda active tracing.",
      });
    }
    acknowledge(this.fn,
      {
        id: "AwsSolutions-L1",
        reason:
          "Node.js 22 is pinned deliberately: the project's code and test suite target Node 22 (ARCHITECTURE.md). Moving to a newer runtime is a tested code change, not an automatic bump.",
      },
    );
  }
}
