/**
 * The monthly report: EventBridge Scheduler invokes the report function at 06:00 Vietnam time on
 * the 1st of every month, for the month that just ended.
 *
 * - `scheduleExpressionTimezone` is Asia/Ho_Chi_Minh, so "06:00 on the 1st" is local time all year
 *   (a UTC cron would fire at 13:00 on the 31st/30th local — the wrong month).
 * - The input carries the scheduled time (`<aws.scheduler.scheduled-time>`), not "now": the
 *   function derives the month from it, so a retry hours later, or a re-drive from the dead-letter
 *   queue days later, still reports the right month.
 * - Flexible window OFF: reports are expected at 06:00, and one invocation a month costs nothing.
 * - The scheduler's role may invoke only this function (and drop undeliverable events in its DLQ).
 * - Retries: up to 3 for 6 hours, then the dead-letter queue. The function is invoked
 *   asynchronously, so its own failures (after Lambda's 2 retries) land in the same queue.
 * - The function reads AND writes reports/: its progress object `reports/_progress/<month>.json`
 *   (a retry resumes where the last run stopped) and each organisation's `reports/<org>/index.json`.
 * - The PDF embeds Noto Serif (Vietnamese glyphs); shared/reports/fonts.ts finds the two TTF files
 *   in `fonts/` beside the bundle, where `reportFontFiles()` has them copied. pdfkit's own data
 *   files are not needed: its standard-font metrics are JS modules loaded only for the 14 standard
 *   fonts, which the report never uses (the document is created with the TTF as its font), and its
 *   ICC profile only for PDF/A. test/infra/bundles.test.ts renders a PDF from a bundle folder alone.
 */
import { Duration, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { FONT_FILES } from "../../shared/reports/fonts.ts";
import { BienbanFunction, PROJECT_ROOT, type BundledFiles, type FunctionEnvironment } from "./bienban-function.ts";
import { objectAccess, tableAccess } from "./permissions.ts";
import { KEY_PREFIX, type Storage } from "./storage.ts";

export const REPORT_SCHEDULE = "cron(0 6 1 * ? *)";
export const REPORT_TIMEZONE = "Asia/Ho_Chi_Minh";

/** The folder beside index.mjs where shared/reports/fonts.ts looks for the TTF files. */
export const REPORT_FONT_FOLDER = "fonts";

/**
 * The two Noto Serif TTF files from the installed @expo-google-fonts/noto-serif package, resolved
 * the way Node resolves it from the project (so a hoisted or nested install both work). Every
 * function that renders a PDF (report, and the API's "build now") bundles them; synthesis fails
 * here, not at 06:00 on the 1st, if they are missing.
 */
export function reportFontFiles(): BundledFiles {
  const require = createRequire(join(PROJECT_ROOT, "package.json"));
  const from = [`400Regular/${FONT_FILES.regular}`, `700Bold/${FONT_FILES.bold}`].map((file) =>
    require.resolve(`@expo-google-fonts/noto-serif/${file}`),
  );
  const missing = from.filter((file) => !existsSync(file));
  if (missing.length) throw new Error(`Report fonts missing: ${missing.join(", ")} (npm ci installs @expo-google-fonts/noto-serif).`);
  return { into: REPORT_FONT_FOLDER, from };
}

export interface ReportsProps {
  storage: Storage;
  dataKey: kms.IKey;
  environment: FunctionEnvironment;
}

export class Reports extends Construct {
  readonly reportFunction: BienbanFunction;
  readonly schedule: scheduler.CfnSchedule;
  readonly schedulerRole: iam.Role;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: ReportsProps) {
    super(scope, id);
    const { storage } = props;

    // Holds only the schedule's input (a timestamp): SQS-managed encryption suffices, and the
    // scheduler role needs no KMS permission.
    this.deadLetterQueue = new sqs.Queue(this, "DeadLetters", {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.reportFunction = new BienbanFunction(this, "ReportFunction", {
      entry: "report",
      description: "Builds last month's compliance reports from the table and writes them under reports/.",
      memorySize: 1536,
      // a province's month: many subtree Queries and rendering; far from Lambda's 15-minute cap
      timeout: Duration.minutes(10),
      environment: props.environment,
      permissions: [
        ...tableAccess(this, storage.table, props.dataKey, "read"),
        // reports, their index and the run's progress object: read back and rewritten
        ...objectAccess(this, storage.bucket, props.dataKey, { get: [KEY_PREFIX.reports], put: [KEY_PREFIX.reports] }),
      ],
      permissionsSuppressions: storage.objectPrefixFindings([KEY_PREFIX.reports]).map((id) => ({
        id,
        reason: "The report function reads and writes only under the reports/ prefix; object ARNs under a prefix necessarily end in *.",
      })),
      asyncFailureQueue: this.deadLetterQueue,
      files: [reportFontFiles()],
    });

    const stack = Stack.of(this);
    this.schedulerRole = new iam.Role(this, "SchedulerRole", {
      assumedBy: new iam.ServicePrincipal("scheduler.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": stack.account } },
      }),
      description: "EventBridge Scheduler invokes the bienban monthly report",
    });
    this.schedulerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["lambda:InvokeFunction"], resources: [this.reportFunction.fn.functionArn] }),
    );
    this.schedulerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["sqs:SendMessage"], resources: [this.deadLetterQueue.queueArn] }),
    );

    this.schedule = new scheduler.CfnSchedule(this, "Monthly", {
      description: "bienban: last month's compliance reports, 06:00 Vietnam time on the 1st",
      scheduleExpression: REPORT_SCHEDULE,
      scheduleExpressionTimezone: REPORT_TIMEZONE,
      flexibleTimeWindow: { mode: "OFF" },
      state: "ENABLED",
      target: {
        arn: this.reportFunction.fn.functionArn,
        roleArn: this.schedulerRole.roleArn,
        input: JSON.stringify({ source: "schedule", scheduledTime: "<aws.scheduler.scheduled-time>" }),
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 6 * 60 * 60 },
        deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
      },
    });
  }
}
