/**
 * AWS clients and stores, built ONCE per Lambda container (module scope), from the zod-parsed
 * configuration. Every function imports what it needs from here.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { TextractClient } from "@aws-sdk/client-textract";
import { CognitoAuthenticator, type Authenticator } from "../shared/auth/auth.ts";
import { loadConfig } from "../shared/config.ts";
import { toRuleSetId } from "../shared/criteria/index.ts";
import { TextractEngine } from "../shared/extraction/textract.ts";
import type { PdfAnalysis } from "../shared/meetings/uploads.ts";
import { FsBlobStore, S3BlobStore, type BlobStore } from "../shared/store/blobs.ts";
import { DynamoStore } from "../shared/store/dynamo-store.ts";

export const config = loadConfig();

export const dynamo = new DynamoDBClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
// WHEN_REQUIRED: otherwise the SDK (≥ 3.729) signs a CRC32 of the EMPTY body into every presigned
// PUT, and S3 refuses every real page
export const s3 = new S3Client({ region: config.AWS_REGION, requestChecksumCalculation: "WHEN_REQUIRED" });

export const store = new DynamoStore(dynamo, config.TABLE_NAME);
export const blobs: BlobStore = config.BUCKET_NAME ? new S3BlobStore(s3, config.BUCKET_NAME) : new FsBlobStore(`${config.DATA_DIR}/blobs`);
export const ruleSet = toRuleSetId(config.RULE_SET);

// the Textract engine retries throttling with backoff itself: one attempt per SDK call
export const textract = new TextractClient({ region: config.AWS_REGION, maxAttempts: 1 });

/** Textract's asynchronous PDF analysis, when the deployment is configured for it. */
export function pdfAnalysis(): PdfAnalysis | undefined {
  const { BUCKET_NAME: bucket, TEXTRACT_SNS_TOPIC_ARN: topic, TEXTRACT_ROLE_ARN: role } = config;
  if (!bucket || !topic || !role) return undefined;
  const engine = new TextractEngine({ client: textract, s3: { bucket } });
  return {
    start: (key, uploadId) => engine.startAnalysis({ bucket, key }, topic, role, uploadId),
    pages: (jobId) => engine.getAnalysisPages(jobId),
  };
}

/** In AWS every request carries a Cognito token; without a configured pool nothing is trusted. */
export const auth: Authenticator =
  config.USER_POOL_ID && config.USER_POOL_CLIENT_ID
    ? new CognitoAuthenticator({ userPoolId: config.USER_POOL_ID, clientId: config.USER_POOL_CLIENT_ID })
    : { authenticate: async () => null };
