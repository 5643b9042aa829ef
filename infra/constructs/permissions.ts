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
