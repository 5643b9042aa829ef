/**
 * Configuration, parsed once from the environment with zod; fails fast with a readable message.
 * Local defaults (npm start) need no variables at all; the Lambdas get theirs from CDK.
 */
import * as z from "zod";
import { InvalidInputError } from "./errors.ts";

const ConfigSchema = z.object({
  /** physical DynamoDB table name */
  TABLE_NAME: z.string().min(3).default("bienban"),
  /** set by the local start-up to DynamoDB Local's URL; absent in AWS */
  DYNAMODB_ENDPOINT: z.string().url().optional(),
  AWS_REGION: z.string().default("ap-southeast-1"),
  /** S3 bucket in AWS; when absent the local file system is the blob store */
  BUCKET_NAME: z.string().optional(),
  /** folder of local data (DynamoDB Local files, blobs); git-ignored */
  DATA_DIR: z.string().default(".data"),
  OCR_ENGINE: z.enum(["tesseract", "textract", "bedrock+textract"]).default("tesseract"),
  RULE_SET: z.string().default("12-HD-2018"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** where the local server listens: this machine only unless said otherwise (the development sign-in trusts anyone who reaches it) */
  HOST: z.string().default("127.0.0.1"),
  /** per-page OCR time limit */
  OCR_TIMEOUT_MS: z.coerce.number().int().positive().default(120_000),
  /** largest accepted upload, per file */
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
  MAX_PAGES: z.coerce.number().int().positive().default(20),
  /** largest accepted request body (all pages of one meeting), refused before it is read whole */
  MAX_REQUEST_BYTES: z.coerce.number().int().positive().default(40 * 1024 * 1024),
  /** Bedrock vision reader (AWS; engine "bedrock+textract") */
  BEDROCK_MODEL_ID: z.string().default("apac.anthropic.claude-sonnet-4-20250514-v1:0"),
  BEDROCK_REGION: z.string().optional(),
  /** asynchronous Textract (PDFs, multi-page TIFF): completion topic and the role Textract uses to publish */
  TEXTRACT_SNS_TOPIC_ARN: z.string().optional(),
  TEXTRACT_ROLE_ARN: z.string().optional(),
  /** Cognito user pool (AWS); when absent, development tokens signed with a secret in DATA_DIR */
  USER_POOL_ID: z.string().optional(),
  USER_POOL_CLIENT_ID: z.string().optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});
export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join(".")).join(", ");
    throw new InvalidInputError(
      "BAD_CONFIG",
      `Cấu hình không hợp lệ ở biến môi trường: ${fields}.`,
      `Invalid configuration in environment variables: ${fields}.`,
    );
  }
  return parsed.data;
}
