/**
 * Exact IAM statements for what our functions do with our own resources. Written out instead of
 * CDK's `grantReadWriteData`/`grantRead` because those add wildcard actions (s3:GetObject*,
 * s3:List*, kms:ReEncrypt*, kms:GenerateDataKey*) and DescribeTable/Scan that no function needs.
 * Index ARNs are listed one by one from shared/store/table.ts, so there is no `/index/*` wildcard.
 */
import { Stack } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as s3 from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";
import { TABLE } from "../../shared/store/table.ts";

const TABLE_READ = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"];
const TABLE_WRITE = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
];

/** The data key may be used only through DynamoDB and S3 in this region, never directly. */
function viaDataServices(scope: Construct): Record<string, Record<string, string[]>> {
  const region = Stack.of(scope).region;
  return { StringEquals: { "kms:ViaService": [`dynamodb.${region}.amazonaws.com`, `s3.${region}.amazonaws.com`] } };
}

export function tableAccess(
  scope: Construct,
  table: dynamodb.ITable,
  key: kms.IKey,
  mode: "read" | "readwrite",
): iam.PolicyStatement[] {
  const indexArns = TABLE.globalSecondaryIndexes.map((i) => `${table.tableArn}/index/${i.indexName}`);
  return [
    new iam.PolicyStatement({
      sid: mode === "read" ? "TableRead" : "TableReadWrite",
      actions: mode === "read" ? TABLE_READ : [...TABLE_READ, ...TABLE_WRITE],
      resources: [table.tableArn, ...indexArns],
    }),
    dataKeyUse(scope, key, mode === "read" ? "decrypt" : "both"),
  ];
}

/**
 * Object-level access under given prefixes only. Get needs kms:Decrypt; Put needs
 * kms:GenerateDataKey (the bucket key is derived from it).
 *
 * A reader also gets s3:ListBucket on the bucket. Our code asks for keys that may not exist yet
 * and expects "not found" (shared/store/blobs.ts: get → null, size → null): the ingest function
 * checks which pages of an upload have arrived, the report run reads its progress object and each
 * organisation's index.json before the first one is written, the API answers 404 for a report not
 * built. S3 answers a missing key with 404 only to a caller allowed s3:ListBucket on the bucket;
 * to anyone else it is 403 AccessDenied, which the code rightly treats as a failure — every upload
 * would fail until its last page arrived, and the first monthly run would never start. The grant
 * is the bucket ARN itself (no wildcard) and without an s3:prefix condition: that condition key is
 * present only on list requests, not on the GetObject/HeadObject whose missing key S3 is judging. Listing reveals key names only (cell, organisation and upload ids), never contents.
 */
export function objectAccess(
  scope: Construct,
  bucket: s3.IBucket,
  key: kms.IKey,
  access: { get?: readonly string[]; put?: readonly string[] },
): iam.PolicyStatement[] {
  const statements: iam.PolicyStatement[] = [];
  if (access.get?.length) {
    statements.push(
      new iam.PolicyStatement({
        sid: "ObjectsGet",
        actions: ["s3:GetObject"],
        resources: access.get.map((prefix) => bucket.arnForObjects(`${prefix}*`)),
      }),
      new iam.PolicyStatement({ sid: "MissingKeysAre404", actions: ["s3:ListBucket"], resources: [bucket.bucketArn] }),
    );
  }
  if (access.put?.length) {
    statements.push(
      new iam.PolicyStatement({
        sid: "ObjectsPut",
        actions: ["s3:PutObject"],
        resources: access.put.map((prefix) => bucket.arnForObjects(`${prefix}*`)),
      }),
    );
  }
  const mode = access.put?.length ? (access.get?.length ? "both" : "encrypt") : "decrypt";
  statements.push(dataKeyUse(scope, key, mode));
  return statements;
}

function dataKeyUse(scope: Construct, key: kms.IKey, mode: "decrypt" | "encrypt" | "both"): iam.PolicyStatement {
  const actions =
    mode === "decrypt"
      ? ["kms:Decrypt", "kms:DescribeKey"]
      : mode === "encrypt"
        ? ["kms:GenerateDataKey", "kms:Encrypt", "kms:DescribeKey"]
        : ["kms:Decrypt", "kms:GenerateDataKey", "kms:Encrypt", "kms:DescribeKey"];
  return new iam.PolicyStatement({
    actions,
    resources: [key.keyArn],
    conditions: viaDataServices(scope),
  });
}
