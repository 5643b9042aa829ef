/**
 * Ingest: S3 upload event → SQS → ingest Lambda (Bedrock vision + Textract) → table.
 * PDFs go to Textract's asynchronous API; Textract announces completion on an SNS topic, which
 * invokes the textract-complete Lambda.
 *
 * Smoothing the peak. The first days of the month bring most uploads at once. The queue absorbs
 * them and the event source's `maxConcurrency` caps how many ingest invocations run at a time,
 * hence how many Textract/Bedrock calls are in flight: each invocation handles ONE upload
 * (batch size 1) and calls Textract for one page at a time, so at most `ingestMaxConcurrency`
 * Textract calls are ever in flight. At AnalyzeDocument's ~1–3 s per page that stays within a
 * low per-second quota; raise the context value together with a Textract quota increase.
 * `maxConcurrency` is used instead of reserved concurrency on purpose: reserved concurrency makes
 * Lambda throttle SQS deliveries, which count as receives and push healthy uploads into the DLQ.
 * Batch size 1 because one upload takes tens of seconds (several Bedrock calls): batching saves
 * nothing, and a timeout would retry every upload of the batch.
 */
import { Duration, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { BienbanFunction, type FunctionEnvironment } from "./bienban-function.ts";
import { iam5, type Acknowledgment } from "../nag.ts";
import { objectAccess, tableAccess } from "./permissions.ts";
import { KEY_PREFIX, type Storage } from "./storage.ts";

/**
 * One upload: a Bedrock Converse reading takes 20–40 s per page and a correction pass doubles it;
 * meetings have 1–3 pages, plus Textract per page and the table writes: ~4 minutes at worst.
 */
export const INGEST_TIMEOUT = Duration.minutes(5);
/** Image decoding and the Bedrock request bodies (base64 pages) are the memory; 1 GB also buys CPU. */
export const INGEST_MEMORY_MB = 1024;
/** AWS's guidance for SQS-triggered functions: visibility timeout at least 6× the function timeout. */
export const INGEST_VISIBILITY_TIMEOUT = Duration.seconds(INGEST_TIMEOUT.toSeconds() * 6);
export const INGEST_MAX_RECEIVES = 5;

/** The structured log event (shared/log.ts `event` field) that the ingest code writes when Textract fails. */
export const TEXTRACT_FAILURE_EVENT = "textract.failed";

/** Cross-region inference profiles start with a geography; plain ids are regional foundation models. */
const INFERENCE_PROFILE_PREFIX = /^(apac|us|eu|jp|au|ca|us-gov|global)\./;

/**
 * bedrock:InvokeModel on exactly the configured model. For a cross-region inference profile
 * (e.g. "apac.anthropic.claude-sonnet-4-20250514-v1:0") Bedrock checks two resources: the profile
 * in our region, and the foundation model in whichever APAC region serves the call — so the
 * model ARN has a region wildcard, bound by a condition to calls made through that profile only.
 */
export function bedrockInvokeStatements(scope: Construct, modelId: string, bedrockRegion: string): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const actions = ["bedrock:InvokeModel"];
  const geo = INFERENCE_PROFILE_PREFIX.exec(modelId);
  if (!geo) {
    return [
      new iam.PolicyStatement({
        sid: "BedrockInvoke",
        actions,
        resources: [`arn:${stack.partition}:bedrock:${bedrockRegion}::foundation-model/${modelId}`],
      }),
    ];
  }
  const profileArn = `arn:${stack.partition}:bedrock:${bedrockRegion}:${stack.account}:inference-profile/${modelId}`;
  const foundationModel = modelId.slice(geo[0].length);
  return [
    new iam.PolicyStatement({ sid: "BedrockInvokeProfile", actions, resources: [profileArn] }),
    new iam.PolicyStatement({
      sid: "BedrockInvokeModelViaProfile",
      actions,
      resources: [`arn:${stack.partition}:bedrock:*::foundation-model/${foundationModel}`],
      conditions: { StringEquals: { "bedrock:InferenceProfileArn": profileArn } },
    }),
  ];
}

export interface IngestProps {
  storage: Storage;
  dataKey: kms.IKey;
  messagesKey: kms.IKey;
  bedrockModelId: string;
  bedrockRegion: string;
  maxConcurrency: number;
  /** settings every function gets (TABLE_NAME, BUCKET_NAME, RULE_SET); the OCR and Textract ones are added here */
  environment: FunctionEnvironment;
}

export class Ingest extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly textractTopic: sns.Topic;
  readonly textractRole: iam.Role;
  readonly ingestFunction: BienbanFunction;
  readonly textractCompleteFunction: BienbanFunction;
  /** failed async invocations of textract-complete (SNS → Lambda is asynchronous) */
  readonly completionDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: IngestProps) {
    super(scope, id);
    const { storage } = props;

    this.deadLetterQueue = new sqs.Queue(this, "DeadLetters", {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.messagesKey,
      enforceSSL: true,
      // the longest SQS allows: time for a person to look at a failed upload after a long weekend
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, "Uploads", {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.messagesKey,
      enforceSSL: true,
      visibilityTimeout: INGEST_VISIBILITY_TIMEOUT,
      // a peak plus a Textract outage must not lose uploads
      retentionPeriod: Duration.days(14),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: INGEST_MAX_RECEIVES },
    });
    storage.notifyUploads(this.queue);

    this.textractTopic = new sns.Topic(this, "TextractCompletions", {
      masterKey: props.messagesKey,
      enforceSSL: true,
    });
    const stack = Stack.of(this);
    // The role Textract assumes to publish job completions; only for our account (confused deputy).
    this.textractRole = new iam.Role(this, "TextractPublishRole", {
      assumedBy: new iam.ServicePrincipal("textract.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": stack.account } },
      }),
      description: "Textract publishes asynchronous job completions to the bienban topic",
    });
    this.textractRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["sns:Publish"], resources: [this.textractTopic.topicArn] }),
    );
    this.textractRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        resources: [props.messagesKey.keyArn],
        conditions: { StringEquals: { "kms:ViaService": `sns.${stack.region}.amazonaws.com` } },
      }),
    );

    // Both functions finish PDFs (ingest starts the asynchronous analysis, textract-complete reads
    // it back; clients.ts builds the PDF analysis only when all three settings are present).
    const textractEnvironment: FunctionEnvironment = {
      ...props.environment,
      TEXTRACT_SNS_TOPIC_ARN: this.textractTopic.topicArn,
      TEXTRACT_ROLE_ARN: this.textractRole.roleArn,
    };
    // Only ingest reads pages: the extractor is chosen by OCR_ENGINE (Textract layout + Bedrock reading).
    const ingestEnvironment: FunctionEnvironment = {
      ...textractEnvironment,
      OCR_ENGINE: "bedrock+textract",
      BEDROCK_MODEL_ID: props.bedrockModelId,
      BEDROCK_REGION: props.bedrockRegion,
    };
    const bedrock = bedrockInvokeStatements(this, props.bedrockModelId, props.bedrockRegion);
    const bedrockFindings: Acknowledgment[] = bedrock
      .filter((statement) => statement.sid === "BedrockInvokeModelViaProfile")
      .flatMap((statement) => statement.resources)
      .map((arn) => ({
        id: iam5("Resource", String(stack.resolve(arn))),
        reason:
          "A cross-region inference profile routes each call to the foundation model in one of its geography's regions, chosen by Bedrock; the model ARN needs a region wildcard and is bound by the bedrock:InferenceProfileArn condition to our one profile.",
      }));
    const textractFinding: Acknowledgment = {
      id: iam5("Resource", "*"),
      reason:
        "Textract AnalyzeDocument, StartDocumentAnalysis and GetDocumentAnalysis support no resource-level permissions; IAM requires Resource *. The document itself is limited by the s3:GetObject statement on uploads/.",
    };
    const objectFindings: Acknowledgment[] = storage.objectPrefixFindings([KEY_PREFIX.uploads, KEY_PREFIX.pages]).map((id) => ({
      id,
      reason: "Object permissions are scoped to the key prefixes this function owns (uploads/ to read, pages/ to write), not to the whole bucket.",
    }));
    // Both read the upload (its manifest and pages) under uploads/, write normalised pages under
    // pages/, and write the meeting, its flags and the upload's state to the table.
    const pipelineData = (): iam.PolicyStatement[] => [
      ...objectAccess(this, storage.bucket, props.dataKey, { get: [KEY_PREFIX.uploads], put: [KEY_PREFIX.pages] }),
      ...tableAccess(this, storage.table, props.dataKey, "readwrite"),
    ];

    this.ingestFunction = new BienbanFunction(this, "IngestFunction", {
      entry: "ingest",
      description: "Reads one uploaded meeting (S3 event via SQS): Textract layout + Bedrock reading, parse, flags, store; PDFs start Textract's asynchronous analysis.",
      memorySize: INGEST_MEMORY_MB,
      timeout: INGEST_TIMEOUT,
      environment: ingestEnvironment,
      permissions: [
        // AnalyzeDocument reads each image (bytes, synchronous); StartDocumentAnalysis hands a PDF
        // to the asynchronous API. Reading the result back is textract-complete's job.
        new iam.PolicyStatement({
          sid: "Textract",
          actions: ["textract:AnalyzeDocument", "textract:StartDocumentAnalysis"],
          resources: ["*"],
        }),
        // StartDocumentAnalysis hands Textract the role above for its SNS notification.
        new iam.PolicyStatement({
          sid: "PassTextractRole",
          actions: ["iam:PassRole"],
          resources: [this.textractRole.roleArn],
          conditions: { StringEquals: { "iam:PassedToService": "textract.amazonaws.com" } },
        }),
        ...bedrock,
        ...pipelineData(),
      ],
      permissionsSuppressions: [textractFinding, ...objectFindings, ...bedrockFindings],
    });
    this.ingestFunction.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 1,
        maxConcurrency: props.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );

    // Holds SNS notifications of Textract jobs (job id, status, object key: no personal data), so
    // SQS-managed encryption suffices and Lambda needs no KMS permission to write dead letters.
    this.completionDeadLetterQueue = new sqs.Queue(this, "CompletionDeadLetters", {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.textractCompleteFunction = new BienbanFunction(this, "TextractCompleteFunction", {
      entry: "textract-complete",
      description: "Finishes a meeting when Textract's asynchronous analysis of a PDF completes (SNS).",
      memorySize: 1024,
      // no model call, but GetDocumentAnalysis is paginated and retried with backoff when throttled
      timeout: INGEST_TIMEOUT,
      environment: textractEnvironment,
      // Reads the job's result (GetDocumentAnalysis) and builds the meeting from Textract's text
      // alone: it never starts a job, never passes the role, never calls Bedrock.
      permissions: [
        new iam.PolicyStatement({ sid: "Textract", actions: ["textract:GetDocumentAnalysis"], resources: ["*"] }),
        ...pipelineData(),
      ],
      permissionsSuppressions: [textractFinding, ...objectFindings],
      asyncFailureQueue: this.completionDeadLetterQueue,
    });
    this.textractTopic.addSubscription(new subscriptions.LambdaSubscription(this.textractCompleteFunction.fn));
  }
}
