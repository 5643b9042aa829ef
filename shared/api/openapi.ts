/** The OpenAPI 3.1 document of the JSON API, generated from the zod schemas (no second schema). */
import * as z from "zod";
import { CorrectionSchema } from "../meetings/correct.ts";
import { ExtractionDocumentSchema } from "../meeting/schema.ts";
import { NewOrgSchema } from "../orgs/manage.ts";
import { AuditEntrySchema, MemberSchema, OrgSchema } from "../store/records.ts";

const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), messageEn: z.string() }) });

let cached: unknown;

export function openApiDocument(): unknown {
  if (cached) return cached;
  const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: "output", unrepresentable: "any" });
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const json = (name: string) => ({ content: { "application/json": { schema: ref(name) } } });
  const errors = {
    "400": { description: "Bad input / Dữ liệu không hợp lệ", ...json("Error") },
    "401": { description: "Sign-in required", ...json("Error") },
    "403": { description: "Not allowed", ...json("Error") },
    "404": { description: "Not found (or outside your subtree)", ...json("Error") },
  };
  const month = { name: "month", in: "query", schema: { type: "string", pattern: "^\\d{4}-(0[1-9]|1[0-2])$" } };
  const listParams = [
    { name: "orgId", in: "path", required: true, schema: { type: "string" } },
    month,
    { name: "from", in: "query", schema: { type: "string" } },
    { name: "to", in: "query", schema: { type: "string" } },
    { name: "cell", in: "query", schema: { type: "string" } },
    { name: "code", in: "query", schema: { type: "string" } },
    { name: "review", in: "query", schema: { type: "boolean" } },
    { name: "kind", in: "query", schema: { type: "string", enum: ["regular", "thematic", "combined"] } },
    { name: "sort", in: "query", schema: { type: "string", enum: ["date", "-date"] } },
    { name: "cursor", in: "query", schema: { type: "string" } },
    { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 200 } },
  ];
  const id = [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }];
  const ifMatch = { name: "If-Match", in: "header", required: true, schema: { type: "string" }, description: "the version read (ETag)" };
  cached = {
    openapi: "3.1.0",
    info: { title: "bienban API", version: "1.0.0", description: "Biên bản sinh hoạt chi bộ — Party cell meeting minutes" },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: {
        ExtractionDocument: schema(ExtractionDocumentSchema),
        Org: schema(OrgSchema),
        NewOrg: schema(NewOrgSchema),
        Member: schema(MemberSchema),
        Correction: schema(CorrectionSchema),
        AuditEntry: schema(AuditEntrySchema),
        Error: schema(ErrorSchema),
      },
    },
    security: [{ bearer: [] }],
    paths: {
      "/api/orgs": {
        get: { summary: "Organisations of your subtree", responses: { "200": { description: "ok" }, ...errors } },
        post: { summary: "Create an organisation (admin)", requestBody: json("NewOrg"), responses: { "201": { description: "created", ...json("Org") }, ...errors } },
      },
      "/api/orgs/import": { post: { summary: "Import organisations and members from CSV (admin)", requestBody: { content: { "text/csv": { schema: { type: "string" } } } }, responses: { "201": { description: "imported" }, ...errors } } },
      "/api/orgs/{orgId}/members": {
        get: { summary: "Members of a cell", parameters: [listParams[0]], responses: { "200": { description: "ok" }, ...errors } },
        post: { summary: "Add a member (admin)", parameters: [listParams[0]], requestBody: json("Member"), responses: { "201": { description: "created" }, ...errors } },
      },
      "/api/orgs/{orgId}/flagged": { get: { summary: "Flagged meetings of a subtree", parameters: listParams, responses: { "200": { description: "ok" }, ...errors } } },
      "/api/orgs/{orgId}/meetings": { get: { summary: "All meetings of a subtree", parameters: listParams, responses: { "200": { description: "ok" }, ...errors } } },
      "/api/meetings": {
        post: {
          summary: "Upload one meeting's pages (multipart: cellId, pages[])",
          requestBody: { content: { "multipart/form-data": { schema: { type: "object", properties: { cellId: { type: "string" }, pages: { type: "array", items: { type: "string", format: "binary" } } } } } } },
          responses: { "201": { description: "created", ...json("ExtractionDocument") }, "200": { description: "the same pages were uploaded before" }, "413": { description: "too large" }, "415": { description: "not an image" }, ...errors },
        },
      },
      "/api/meetings/{id}": {
        get: { summary: "A meeting (ETag: its version)", parameters: id, responses: { "200": { description: "ok", ...json("ExtractionDocument") }, ...errors } },
        patch: { summary: "Correct fields (If-Match: version)", parameters: [...id, ifMatch], requestBody: json("Correction"), responses: { "200": { description: "ok" }, "412": { description: "stale version", ...json("Error") }, "428": { description: "If-Match missing" }, ...errors } },
      },
      "/api/meetings/{id}/reviewed": { post: { summary: "Mark reviewed (If-Match: version)", parameters: [...id, ifMatch], responses: { "200": { description: "ok" }, "412": { description: "stale version" }, ...errors } } },
      "/api/meetings/{id}/audit": { get: { summary: "Audit trail", parameters: id, responses: { "200": { description: "ok" }, ...errors } } },
      "/api/meetings/{id}/pages/{n}": { get: { summary: "A page image", parameters: [...id, { name: "n", in: "path", required: true, schema: { type: "integer" } }], responses: { "200": { description: "image" }, ...errors } } },
    },
  };
  return cached;
}
