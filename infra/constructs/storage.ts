/**
 * Where the minutes live: the DynamoDB table (records, flags, audit) and the S3 pages bucket
 * (the photographed pages). Both are built for the long term (ARCHITECTURE.md "Minutes are kept
 * for the long term"): nothing here ever expires a current record or page, both survive a stack
 * deletion, and both are encrypted with the customer-managed data key.
 */
import { Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as s3n from "aws-cdk-lib/aws-s3-notifications";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { acknowledge, iam5 } from "../nag.ts";
import { Construct } from "constructs";
import { TABLE, type IndexDef, type KeyDef } from "../../shared/store/table.ts";

/**
 * Key prefixes of the pages bucket, and who touches them:
 * - uploads/  raw files as the browser PUTs them with a presigned URL (API grants the PUT);
 *             every object created here is an S3 event → ingest queue.
 * - pages/    normalised page images written by ingest (shared/meetings/ingest.ts builds the keys).
 * - reports/  rendered monthly reports written by the report function.
 */
export const KEY_PREFIX = { uploads: "uploads/", pages: "pages/", reports: "reports/" } as const;

const DAYS_TO_INFREQUENT_ACCESS = 90;
const DAYS_TO_GLACIER_INSTANT = 365;
const DAYS_TO_DEEP_ARCHIVE = 730;

function attribute(key: KeyDef): dynamodb.Attribute {
  return { name: key.name, type: key.type === "S" ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER };
}

function projection(index: IndexDef): dynamodb.ProjectionType {
  switch (index.projection) {
    case "ALL":
      return dynamodb.ProjectionType.ALL;
    case "INCLUDE":
      return dynamodb.ProjectionType.INCLUDE;
  }
}

export interface StorageProps {
  dataKey: kms.IKey;
}

export class Storage extends Construct {
  readonly table: dynamodb.Table;
  readonly bucket: s3.Bucket;
  readonly accessLogBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);

    // Keys and indexes come from shared/store/table.ts, the same definition DynamoDB Local uses.
    this.table = new dynamodb.Table(this, "Table", {
      partitionKey: attribute(TABLE.partitionKey),
      sortKey: attribute(TABLE.sortKey),
      // Traffic is a spike on the first days of the month and quiet otherwise: on-demand.
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.dataKey,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(TABLE.timeToLiveAttribute ? { timeToLiveAttribute: TABLE.timeToLiveAttribute } : {}),
    });
    for (const index of TABLE.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: projection(index),
        ...(index.nonKeyAttributes ? { nonKeyAttributes: index.nonKeyAttributes } : {}),
      });
    }

    // Server access logs: S3 can deliver them only to an SSE-S3 bucket, not SSE-KMS.
    this.accessLogBucket = new s3.Bucket(this, "AccessLogs", {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: "expire-access-logs",
          // Access logs are operational (who fetched which key); a year and a bit, like the function logs.
          expiration: Duration.days(400),
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
    // (AwsSolutions-S1 does not flag a bucket that is itself a server-access-log destination.)

    const keepForever = (prefix: string, deepArchive: boolean): s3.LifecycleRule => ({
      id: `long-term-${prefix.replace("/", "")}`,
      prefix,
      // Current versions NEVER expire: the minute book is kept for the long term.
      transitions: [
        { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(DAYS_TO_INFREQUENT_ACCESS) },
        { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(DAYS_TO_GLACIER_INSTANT) },
        ...(deepArchive
          ? [{ storageClass: s3.StorageClass.DEEP_ARCHIVE, transitionAfter: Duration.days(DAYS_TO_DEEP_ARCHIVE) }]
          : []),
      ],
      // A noncurrent version is what is left after an overwrite or a delete — for a deleted page it
      // is the ONLY copy. So noncurrent versions are never expired either; they only move to the
      // cheapest class, since they are read back only to undo a mistake.
      noncurrentVersionTransitions: [{ storageClass: s3.StorageClass.DEEP_ARCHIVE, transitionAfter: Duration.days(90) }],
      abortIncompleteMultipartUploadAfter: Duration.days(7),
    });

    this.bucket = new s3.Bucket(this, "Pages", {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.dataKey,
      // one data key per bucket instead of a KMS call per object: cheaper, fewer KMS throttles at the peak
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: "pages-bucket/",
      lifecycleRules: [
        // Raw uploads are the evidence but are rarely opened once their pages are normalised into
        // pages/: after two years they may take hours to restore (Deep Archive).
        keepForever(KEY_PREFIX.uploads, true),
        // Normalised pages are what inspectors open, sometimes years later (yearly reviews,
        // disputes): they stop at Glacier Instant Retrieval, still readable in milliseconds.
        keepForever(KEY_PREFIX.pages, false),
        {
          id: "reports",
          prefix: KEY_PREFIX.reports,
          // Rendered reports can be rebuilt from the table; current ones are still never expired.
          transitions: [
            { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(DAYS_TO_INFREQUENT_ACCESS) },
            { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(DAYS_TO_GLACIER_INSTANT) },
          ],
          noncurrentVersionExpiration: Duration.days(365),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
  }

  /**
   * The IAM5 finding ids that object ARNs under these prefixes raise (cdk-nag names the bucket by
   * its logical id), for the functions that are deliberately scoped to a prefix.
   */
  objectPrefixFindings(prefixes: readonly string[]): string[] {
    const cfnBucket = this.bucket.node.defaultChild;
    if (!(cfnBucket instanceof s3.CfnBucket)) throw new Error("pages bucket has no CfnBucket");
    const logicalId = Stack.of(this).getLogicalId(cfnBucket);
    return prefixes.map((p) => iam5("Resource", `<${logicalId}.Arn>/${p}*`));
  }

  /** Browsers PUT uploads straight to S3 with presigned URLs; only these origins may. */
  allowBrowserUploads(origins: string[]): void {
    this.bucket.addCorsRule({
      allowedMethods: [s3.HttpMethods.PUT],
      allowedOrigins: origins,
      allowedHeaders: ["content-type", "content-md5", "x-amz-checksum-sha256", "x-amz-sdk-checksum-algorithm"],
      exposedHeaders: ["etag"],
      maxAge: 3000,
    });
  }

  /** Every object created under uploads/ becomes a message on the ingest queue. */
  notifyUploads(queue: sqs.IQueue): void {
    this.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(queue), {
      prefix: KEY_PREFIX.uploads,
    });
    // CDK configures bucket notifications through its own singleton custom-resource Lambda.
    const handler = Stack.of(this)
      .node.children.find((c) => c.node.id.startsWith("BucketNotificationsHandler"));
    if (handler) {
      acknowledge(handler, {
        id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
        reason:
          "CDK's own BucketNotificationsHandler (custom resource that sets the uploads/ → SQS notification at deploy time) uses the AWS managed basic execution role; its role is not configurable.",
      });
    }
  }
}
