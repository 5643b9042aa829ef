/**
 * AWS clients and stores, built ONCE per Lambda container (module scope), from the zod-parsed
 * configuration. Every function imports what it needs from here.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { CognitoAuthenticator, type Authenticator } from "../shared/auth/auth.ts";
import { loadConfig } from "../shared/config.ts";
import { toRuleSetId } from "../shared/criteria/index.ts";
import { FsBlobStore, S3BlobStore, type BlobStore } from "../shared/store/blobs.ts";
import { DynamoStore } from "../shared/store/dynamo-store.ts";

export const config = loadConfig();

export const dynamo = new DynamoDBClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
export const s3 = new S3Client({ region: config.AWS_REGION });

export const store = new DynamoStore(dynamo, config.TABLE_NAME);
export const blobs: BlobStore = config.BUCKET_NAME ? new S3BlobStore(s3, config.BUCKET_NAME) : new FsBlobStore(`${config.DATA_DIR}/blobs`);
export const ruleSet = toRuleSetId(config.RULE_SET);

/** In AWS every request carries a Cognito token; without a configured pool nothing is trusted. */
export const auth: Authenticator =
  config.USER_POOL_ID && config.USER_POOL_CLIENT_ID
    ? new CognitoAuthenticator({ userPoolId: config.USER_POOL_ID, clientId: config.USER_POOL_CLIENT_ID })
    : { authenticate: async () => null };
