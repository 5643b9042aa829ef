/**
 * The bienban stack: one construct per concern, wired here and nowhere else.
 *
 * Environment variables (names are shared/config.ts's zod schema; FunctionEnvironment checks them
 * at compile time). Each function gets what its code reads, nothing more:
 *   every function      TABLE_NAME (the DynamoDB table; keys: shared/store/table.ts),
 *                       BUCKET_NAME (the pages bucket; prefixes uploads/, pages/, reports/),
 *                       RULE_SET (context `ruleSet`), NODE_OPTIONS=--enable-source-maps
 *   api                 USER_POOL_ID, USER_POOL_CLIENT_ID (JWT issuer and audience). No OCR
 *                       settings: in AWS the API signs uploads and never reads a page itself.
 *   ingest              OCR_ENGINE=bedrock+textract, BEDROCK_MODEL_ID, BEDROCK_REGION (context
 *                       `bedrockModelId`, `bedrockRegion`), TEXTRACT_SNS_TOPIC_ARN, TEXTRACT_ROLE_ARN
 *   textract-complete   TEXTRACT_SNS_TOPIC_ARN, TEXTRACT_ROLE_ARN (it throws at load without them)
 *   report              nothing more
 */
import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { Api } from "./constructs/api.ts";
import { Auth } from "./constructs/auth.ts";
import type { FunctionEnvironment } from "./constructs/bienban-function.ts";
import { Ingest } from "./constructs/ingest.ts";
import { Keys } from "./constructs/keys.ts";
import { Operations } from "./constructs/operations.ts";
import { Reports } from "./constructs/reports.ts";
import { Storage } from "./constructs/storage.ts";
import type { Settings } from "./settings.ts";

export interface BienbanStackProps extends StackProps {
  settings: Settings;
}

export class BienbanStack extends Stack {
  readonly keys: Keys;
  readonly storage: Storage;
  readonly auth: Auth;
  readonly ingest: Ingest;
  readonly api: Api;
  readonly reports: Reports;
  readonly operations: Operations;

  constructor(scope: Construct, id: string, props: BienbanStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const bedrockRegion = settings.bedrockRegion ?? this.region;

    this.keys = new Keys(this, "Keys");
    this.storage = new Storage(this, "Storage", { dataKey: this.keys.data });
    this.auth = new Auth(this, "Auth");

    const environment: FunctionEnvironment = {
      TABLE_NAME: this.storage.table.tableName,
      BUCKET_NAME: this.storage.bucket.bucketName,
      RULE_SET: settings.ruleSet,
    };

    this.ingest = new Ingest(this, "Ingest", {
      storage: this.storage,
      dataKey: this.keys.data,
      messagesKey: this.keys.messages,
      bedrockModelId: settings.bedrockModelId,
      bedrockRegion,
      maxConcurrency: settings.ingestMaxConcurrency,
      environment,
    });
    this.api = new Api(this, "Api", {
      storage: this.storage,
      auth: this.auth,
      dataKey: this.keys.data,
      extraOrigins: settings.webOrigins,
      environment: {
        ...environment,
        USER_POOL_ID: this.auth.userPool.userPoolId,
        USER_POOL_CLIENT_ID: this.auth.webClient.userPoolClientId,
      },
    });
    this.reports = new Reports(this, "Reports", { storage: this.storage, dataKey: this.keys.data, environment });

    this.operations = new Operations(this, "Operations", {
      messagesKey: this.keys.messages,
      functions: {
        Api: this.api.apiFunction,
        Ingest: this.ingest.ingestFunction,
        TextractComplete: this.ingest.textractCompleteFunction,
        Report: this.reports.reportFunction,
      },
      deadLetterQueues: {
        Ingest: this.ingest.deadLetterQueue,
        TextractComplete: this.ingest.completionDeadLetterQueue,
        Report: this.reports.deadLetterQueue,
      },
      ingestQueue: this.ingest.queue,
      textractLogGroups: [this.ingest.ingestFunction.logGroup, this.ingest.textractCompleteFunction.logGroup],
      httpApi: this.api.httpApi,
    });

    new CfnOutput(this, "ApiUrl", { value: this.api.httpApi.apiEndpoint, description: "API and pages" });
    new CfnOutput(this, "UserPoolId", { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, "UserPoolClientId", { value: this.auth.webClient.userPoolClientId });
    new CfnOutput(this, "BucketName", { value: this.storage.bucket.bucketName });
    new CfnOutput(this, "TableName", { value: this.storage.table.tableName });
  }
}
