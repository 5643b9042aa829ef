/**
 * What an operator is told, and where they look.
 *
 * Alarms (all to one KMS-encrypted SNS topic; subscribe e-mail or chat to it outside the stack):
 * - any message in any dead-letter queue (an upload, a Textract completion or a report was given up);
 * - the oldest upload waiting more than an hour (the peak is not draining);
 * - Errors and Throttles of every function;
 * - Textract failures, counted from the ingest code's structured logs (metric filter below).
 *
 * Textract failures come from logs, not from a PutMetricData call: the functions already write one
 * JSON line per event (shared/log.ts `{ event, ... }`), and a metric filter needs no extra IAM
 * permission or SDK call in the hot path. The filter matches the event both as a raw JSON line
 * (`$.event`) and as Lambda's JSON log format would wrap a console call (`$.message.event`).
 */
import { Duration } from "aws-cdk-lib";
import type { HttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import * as sns from "aws-cdk-lib/aws-sns";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { BienbanFunction } from "./bienban-function.ts";
import { TEXTRACT_FAILURE_EVENT } from "./ingest.ts";

export const METRIC_NAMESPACE = "Bienban";
export const TEXTRACT_FAILURES_METRIC = "TextractFailures";

export interface OperationsProps {
  messagesKey: kms.IKey;
  functions: Record<string, BienbanFunction>;
  deadLetterQueues: Record<string, sqs.IQueue>;
  ingestQueue: sqs.IQueue;
  /** functions whose logs may carry the Textract failure event */
  textractLogGroups: logs.ILogGroup[];
  httpApi: HttpApi;
}

export class Operations extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly textractFailures: cloudwatch.Metric;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);

    this.alarmTopic = new sns.Topic(this, "Alarms", { masterKey: props.messagesKey, enforceSSL: true });
    // CloudWatch publishes alarm notifications to the encrypted topic; it must be able to use the key.
    props.messagesKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["kms:Decrypt", "kms:GenerateDataKey"],
        resources: ["*"],
      }),
    );
    const notify = new actions.SnsAction(this.alarmTopic);
    const alarm = (name: string, props: cloudwatch.AlarmProps): cloudwatch.Alarm => {
      const a = new cloudwatch.Alarm(this, name, props);
      a.addAlarmAction(notify);
      return a;
    };

    const deadLetterAlarms = Object.entries(props.deadLetterQueues).map(([name, queue]) =>
      alarm(`${name}DeadLetters`, {
        alarmDescription: `${name}: a message reached the dead-letter queue (given up after retries). Look at it, fix, re-drive.`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: "Maximum" }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );

    const backlog = alarm("IngestBacklog", {
      alarmDescription: "The oldest upload has waited more than an hour: ingest is not keeping up (Textract/Bedrock quota?).",
      metric: props.ingestQueue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: "Maximum" }),
      threshold: 3600,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    for (const [name, f] of Object.entries(props.functions)) {
      alarm(`${name}Errors`, {
        alarmDescription: `${name} function: invocations failed.`,
        metric: f.fn.metricErrors({ period: Duration.minutes(5), statistic: "Sum" }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm(`${name}Throttles`, {
        alarmDescription: `${name} function: invocations throttled (account concurrency exhausted?).`,
        metric: f.fn.metricThrottles({ period: Duration.minutes(5), statistic: "Sum" }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    const pattern = logs.FilterPattern.any(
      logs.FilterPattern.stringValue("$.event", "=", TEXTRACT_FAILURE_EVENT),
      logs.FilterPattern.stringValue("$.message.event", "=", TEXTRACT_FAILURE_EVENT),
    );
    props.textractLogGroups.forEach((logGroup, i) => {
      new logs.MetricFilter(this, `TextractFailureFilter${i}`, {
        logGroup,
        filterPattern: pattern,
        metricNamespace: METRIC_NAMESPACE,
        metricName: TEXTRACT_FAILURES_METRIC,
        metricValue: "1",
        defaultValue: 0,
      });
    });
    this.textractFailures = new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName: TEXTRACT_FAILURES_METRIC,
      period: Duration.minutes(15),
      statistic: "Sum",
    });
    const textractAlarm = alarm("TextractFailures", {
      alarmDescription: "Textract calls failed repeatedly (5+ in 15 minutes): quota, outage or bad input? Uploads will retry, then dead-letter.",
      metric: this.textractFailures,
      threshold: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const fns = Object.entries(props.functions);
    this.dashboard = new cloudwatch.Dashboard(this, "Dashboard", {
      defaultInterval: Duration.days(7),
      widgets: [
        [
          new cloudwatch.AlarmStatusWidget({
            title: "Alarms",
            width: 24,
            alarms: [...deadLetterAlarms, backlog, textractAlarm],
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: "Ingest queue",
            width: 12,
            left: [props.ingestQueue.metricApproximateNumberOfMessagesVisible({ label: "waiting" })],
            right: [props.ingestQueue.metricApproximateAgeOfOldestMessage({ label: "oldest (s)" })],
          }),
          new cloudwatch.GraphWidget({
            title: "Dead letters",
            width: 12,
            left: Object.entries(props.deadLetterQueues).map(([name, q]) =>
              q.metricApproximateNumberOfMessagesVisible({ label: name }),
            ),
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: "Function errors",
            width: 8,
            left: fns.map(([name, f]) => f.fn.metricErrors({ label: name })),
          }),
          new cloudwatch.GraphWidget({
            title: "Function duration p95",
            width: 8,
            left: fns.map(([name, f]) => f.fn.metricDuration({ label: name, statistic: "p95" })),
          }),
          new cloudwatch.GraphWidget({ title: "Textract failures", width: 8, left: [this.textractFailures] }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: "API",
            width: 24,
            left: [props.httpApi.metricClientError({ label: "4xx" }), props.httpApi.metricServerError({ label: "5xx" })],
            right: [props.httpApi.metricLatency({ label: "latency p95", statistic: "p95" })],
          }),
        ],
      ],
    });
  }
}
