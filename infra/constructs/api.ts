/**
 * The HTTP API in front of the hono app (functions/api.ts: `handle(app)`).
 *
 * Routes:
 * - `ANY /api` and `ANY /api/{proxy+}`: data. Cognito JWT authorizer (issuer = the user pool,
 *   audience = the web client); API Gateway rejects a missing/expired token before Lambda runs.
 * - `GET /` and `GET /{proxy+}`: the pages' HTML/JS shell, public on purpose — it holds no data;
 *   everything a page shows comes from /api with the signed-in user's token. API Gateway picks the
 *   most specific route, so /api/... never falls through to the public one.
 * Browser CORS preflights are answered by API Gateway itself (corsPreflight).
 *
 * The stage throttles by default (a spike of uploads on the 1st–5th is expected; a runaway client
 * must not take the whole account's Lambda concurrency) and writes JSON access logs with ids,
 * status and latencies only (no bodies, no query strings).
 */
import { Duration } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";
import { HttpUserPoolAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import { acknowledge } from "../nag.ts";
import { Construct } from "constructs";
import type { Auth } from "./auth.ts";
import { BienbanFunction, LOG_RETENTION, type FunctionEnvironment } from "./bienban-function.ts";
import { reportFontFiles } from "./reports.ts";
import { objectAccess, tableAccess } from "./permissions.ts";
import { KEY_PREFIX, type Storage } from "./storage.ts";

/** Steady requests per second and burst for the whole stage; generous for a few thousand officials. */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

export interface ApiProps {
  storage: Storage;
  auth: Auth;
  dataKey: kms.IKey;
  /** browser origins other than the API's own (e.g. a local dev server) allowed by CORS */
  extraOrigins: string[];
  environment: FunctionEnvironment;
}

export class Api extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly apiFunction: BienbanFunction;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { storage, auth } = props;

    this.apiFunction = new BienbanFunction(this, "ApiFunction", {
      entry: "api",
      description: "The hono app behind the HTTP API: meetings, corrections, uploads (presigned), reports, pages.",
      memorySize: 1024,
      // API Gateway gives up after 30 s; the function must answer (or fail) before that.
      timeout: Duration.seconds(28),
      environment: props.environment,
      permissions: [
        ...tableAccess(this, storage.table, props.dataKey, "readwrite"),
        // GET: page images (pages/, and uploads/ for the original files) and report downloads.
        // PUT under uploads/: the presigned page PUTs act with this permission, and the API writes
        // each upload's manifest.json there itself (shared/meetings/uploads.ts createUpload).
        // PUT under reports/: "build now" (POST /api/orgs/:orgId/reports, shared/reports/routes.ts)
        // stores the four renderings and the organisation's index.json, like the monthly run.
        // Never pages/: in AWS the API reads no page (no OCR); ingest writes them.
        ...objectAccess(this, storage.bucket, props.dataKey, {
          get: [KEY_PREFIX.uploads, KEY_PREFIX.pages, KEY_PREFIX.reports],
          put: [KEY_PREFIX.uploads, KEY_PREFIX.reports],
        }),
      ],
      permissionsSuppressions: storage
        .objectPrefixFindings([KEY_PREFIX.uploads, KEY_PREFIX.pages, KEY_PREFIX.reports])
        .map((id) => ({
          id,
          reason:
            "Object access is limited by prefix: PUT to uploads/ (presigned browser uploads, manifests) and reports/ (reports built on demand), GET to uploads/, pages/ and reports/; object ARNs under a prefix necessarily end in *.",
        })),
      // "build now" renders the PDF in the API too
      files: [reportFontFiles()],
    });

    const allowedOrigins = props.extraOrigins;
    this.httpApi = new apigwv2.HttpApi(this, "Http", {
      description: "bienban HTTP API and pages",
      createDefaultStage: false,
      // Same-origin pages need no CORS; other origins (a dev server, another front end) are listed in context.
      ...(allowedOrigins.length === 0
        ? {}
        : {
      corsPreflight: {
        allowOrigins: allowedOrigins,
        allowMethods: [
          apigwv2.CorsHttpMethod.GET,
          apigwv2.CorsHttpMethod.POST,
          apigwv2.CorsHttpMethod.PUT,
          apigwv2.CorsHttpMethod.PATCH,
          apigwv2.CorsHttpMethod.DELETE,
        ],
        allowHeaders: ["authorization", "content-type"],
        maxAge: Duration.hours(1),
      },
          }),
    });

    this.accessLogs = new logs.LogGroup(this, "AccessLogs", { retention: LOG_RETENTION });
    this.stage = new apigwv2.HttpStage(this, "DefaultStage", {
      httpApi: this.httpApi,
      stageName: "$default",
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: "$context.requestId",
            requestTime: "$context.requestTime",
            sourceIp: "$context.identity.sourceIp",
            routeKey: "$context.routeKey",
            status: "$context.status",
            responseLength: "$context.responseLength",
            latencyMs: "$context.responseLatency",
            integrationLatencyMs: "$context.integrationLatency",
            integrationError: "$context.integrationErrorMessage",
            authorizerError: "$context.authorizer.error",
            userSub: "$context.authorizer.claims.sub",
          }),
        ),
      },
    });

    const integration = new HttpLambdaIntegration("Hono", this.apiFunction.fn);
    const authorizer = new HttpUserPoolAuthorizer("Cognito", auth.userPool, { userPoolClients: [auth.webClient] });
    for (const path of ["/api", "/api/{proxy+}"]) {
      this.httpApi.addRoutes({ path, methods: [apigwv2.HttpMethod.ANY], integration, authorizer });
    }
    const publicRoutes = ["/", "/{proxy+}"].flatMap((path) =>
      this.httpApi.addRoutes({ path, methods: [apigwv2.HttpMethod.GET], integration }),
    );
    for (const route of publicRoutes) {
      acknowledge(route, {
        id: "AwsSolutions-APIG4",
        reason: "GET of the pages' static shell (HTML/JS, no data) must load before sign-in; all data is under /api, which has the Cognito JWT authorizer.",
      });
    }

    // Pages are served by this API, so its own origin uploads to S3; plus any configured extra origins.
    const apiOrigin = `https://${this.httpApi.apiId}.execute-api.${this.httpApi.stack.region}.${this.httpApi.stack.urlSuffix}`;
    storage.allowBrowserUploads([apiOrigin, ...allowedOrigins]);
  }
}
