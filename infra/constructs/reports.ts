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
 */
import { Duration, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { BienbanFunction } from "./bienban-function.ts";
import { objectAccess, tableAccess } from "./permissions.ts";
import { KEY_PREFIX, type Storage } from "./storage.ts";

export const REPORT_SCHEDULE = "cron(0 6 1 * ? *)";
export const REPORT_TIMEZONE = "Asia/Ho_Chi_Minh";

export interface ReportsProps {
  storage: Storage;
  dataKey: kms.IKey;
  environment: Record<string, string>;
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
        ...objectAccess(this, storage.bucket, props.dataKey, { put: [KEY_PREFIX.reports] }),
      ],
      permissionsSuppressions: storage.objectPrefixFindings([KEY_PREFIX.reports]).map((id) => ({
        id,
        reason: "The report function writes only under the reports/ prefix; object ARNs under a prefix necessarily end in *.",
      })),
      asyncFailureQueue: this.deadLetterQueue,
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
