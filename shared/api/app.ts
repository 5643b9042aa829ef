/**
 * The hono app: the JSON API and the web pages. Built once from its dependencies; `serve(app)` runs
 * it locally (shared/local/start.ts) and `handle(app)` in Lambda (functions/api.ts).
 *
 * Every /api route but /api/openapi.json needs a principal; every meeting or organisation is
 * checked against the principal's subtree, and one outside it answers 404 — exactly as if it did
 * not exist, so nothing leaks across subtrees.
 */
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { getCookie } from "hono/cookie";
import { HTTPException } from "hono/http-exception";
import * as z from "zod";
import { ForbiddenError, UnauthenticatedError, withinSubtree, type Authenticator, type Principal, type Role } from "../auth/auth.ts";
import type { RuleSetId } from "../criteria/index.ts";
import { BienbanError, InvalidInputError, NotFoundError } from "../errors.ts";
import type { OcrEngine } from "../extraction/engine.ts";
import { log } from "../log.ts";
import { claimReview, CorrectionSchema, correctMeeting, markReviewed } from "../meetings/correct.ts";
import { createUpload, UploadRequestSchema, uploadState, type UploadSigner } from "../meetings/uploads.ts";
import { addMember, createOrg, importCsv, NewOrgSchema } from "../orgs/manage.ts";
import type { BlobStore } from "../store/blobs.ts";
import type { DynamoStore, MeetingSummary } from "../store/dynamo-store.ts";
import { MemberSchema, MonthSchema, OrgIdSchema, type MeetingRecord, type Org } from "../store/records.ts";
import { openApiDocument } from "./openapi.ts";
import { reportRoutes } from "../reports/routes.ts";
import { pageRoutes } from "./pages.tsx";

export interface AppDeps {
  store: DynamoStore;
  blobs: BlobStore;
  /** the OCR engine for uploads received by the API itself; absent in AWS, where pages go straight to S3 */
  engine?: OcrEngine;
  auth: Authenticator;
  /** only on the local stack: the development sign-in page issues tokens with it */
  devTokens?: { issue(p: Principal): Promise<string> };
  ruleSet?: RuleSetId;
  limits?: { maxUploadBytes?: number; maxPages?: number; maxRequestBytes?: number };
  /** AWS: pages go straight to S3 with presigned PUTs (POST /api/uploads) */
  signer?: UploadSigner;
}

export type ErrorBody = { error: { code: string; message: string; messageEn: string } };
export type Env = { Variables: { principal: Principal; home: Org } };

const IdParam = z.object({ id: z.string().uuid() });
const ListQuery = z.object({
  month: MonthSchema.optional(),
  from: MonthSchema.optional(),
  to: MonthSchema.optional(),
  cell: OrgIdSchema.optional(),
  code: z.string().regex(/^[A-Z_]{3,64}$/).optional(),
  review: z.enum(["true", "false"]).optional(),
  kind: z.enum(["regular", "thematic", "combined"]).optional(),
  sort: z.enum(["date", "-date"]).optional(),
  cursor: z.string().max(4000).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

/** Validate outside input with zod; a failure is a 400 with the fields named, in both languages. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const fields = [...new Set(r.error.issues.map((i) => i.path.join(".") || "(body)"))].join(", ");
  throw new InvalidInputError("INVALID_INPUT", `Dữ liệu không hợp lệ: ${fields}.`, `Invalid input: ${fields}.`);
}

async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new InvalidInputError("INVALID_JSON", "Nội dung gửi lên không phải JSON hợp lệ.", "The request body is not valid JSON.");
  }
}

/** What the whole meeting and its row in a list both start with. */
function recordHeader(r: MeetingSummary) {
  return {
    id: r.id,
    cellId: r.cellId,
    month: r.month,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    engine: r.engine,
    reviewState: r.reviewState ?? null,
  };
}

export function meetingView(r: MeetingRecord) {
  return {
    ...recordHeader(r),
    pages: r.pages.map((p) => ({ n: p.n, bytes: p.bytes, contentType: p.contentType, url: `/api/meetings/${r.id}/pages/${p.n}` })),
    cost: r.cost ?? null,
    ...r.document,
  };
}

/**
 * A row of a list (flagged meetings, meetings, the review queue): who, when, what kind, flags and
 * review. The whole document — opinions, votes, absentees, confidence — is at `url`.
 */
export function summaryView(s: MeetingSummary) {
  return {
    ...recordHeader(s),
    meeting: s.document.meeting,
    flags: s.document.flags,
    review: s.document.review,
    url: `/api/meetings/${s.id}`,
  };
}

function months(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split("-").map(Number) as [number, number];
  const [ty, tm] = to.split("-").map(Number) as [number, number];
  while ((y < ty || (y === ty && m <= tm)) && out.length < 24) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

export function createApp(deps: AppDeps): Hono<Env> {
  const maxUploadBytes = deps.limits?.maxUploadBytes ?? 20 * 1024 * 1024;
  const maxPages = deps.limits?.maxPages ?? 20;
  const maxRequestBytes = deps.limits?.maxRequestBytes ?? 40 * 1024 * 1024;
  const app = new Hono<Env>();

  app.onError((err, c) => {
    if (err instanceof BienbanError) {
      const body: ErrorBody = { error: { code: err.code, message: err.messageVi, messageEn: err.messageEn } };
      return c.json(body, err.status as 400);
    }
    if (err instanceof HTTPException) {
      return c.json({ error: { code: `HTTP_${err.status}`, message: "Yêu cầu không hợp lệ.", messageEn: "Bad request." } } satisfies ErrorBody, err.status);
    }
    log("error", "api.unhandled", { path: c.req.routePath, method: c.req.method, error: err.name });
    return c.json({ error: { code: "INTERNAL", message: "Lỗi hệ thống, vui lòng thử lại sau.", messageEn: "Internal error, please try again later." } } satisfies ErrorBody, 500);
  });
  app.notFound((c) => c.json({ error: { code: "NOT_FOUND", message: "Không tìm thấy đường dẫn.", messageEn: "No such route." } } satisfies ErrorBody, 404));

  app.get("/healthz", (c) => c.json({ ok: true }));
  app.get("/api/openapi.json", (c) => c.json(openApiDocument()));

  // ---- who is asking ------------------------------------------------------------------------
  app.use("/api/*", async (c, next) => {
    const header = c.req.header("authorization");
    const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const principal = await deps.auth.authenticate(bearer ?? getCookie(c, "token"));
    if (!principal) throw new UnauthenticatedError();
    const home = await deps.store.getOrg(principal.orgId);
    if (!home) throw new UnauthenticatedError();
    c.set("principal", principal);
    c.set("home", home);
    await next();
  });

  const requireRole = (c: Context<Env>, ...roles: Role[]) => {
    if (!roles.includes(c.get("principal").role)) throw new ForbiddenError();
  };
  /** An organisation the principal may see, or 404. */
  const visibleOrg = async (c: Context<Env>, id: string): Promise<Org> => {
    const org = await deps.store.getOrg(parseInput(OrgIdSchema, id));
    if (!org || !withinSubtree(c.get("home"), org.path)) throw new NotFoundError({ vi: "tổ chức đảng", en: "Organisation" });
    return org;
  };
  const canSee = (c: Context<Env>) => (r: MeetingRecord) => withinSubtree(c.get("home"), r.orgPath);
  const visibleMeeting = async (c: Context<Env>): Promise<MeetingRecord> => {
    const { id } = parseInput(IdParam, { id: c.req.param("id") });
    const record = await deps.store.getMeeting(id);
    if (!record || !canSee(c)(record)) throw new NotFoundError({ vi: "biên bản", en: "Meeting" });
    return record;
  };
  const ifMatch = (c: Context<Env>): number => {
    const v = c.req.header("if-match")?.replace(/^W\//, "").replace(/"/g, "");
    const n = Number(v);
    if (!v || !Number.isInteger(n) || n < 1) {
      throw new InvalidInputError("IF_MATCH_REQUIRED", "Cần gửi phiên bản đã đọc trong tiêu đề If-Match.", "Send the version you read in the If-Match header.", 428);
    }
    return n;
  };

  // ---- organisations and members --------------------------------------------------------------
  app.get("/api/me", (c) => c.json({ principal: c.get("principal"), org: c.get("home") }));

  app.get("/api/orgs", async (c) => {
    const home = c.get("home");
    const below = home.kind === "committee" ? await deps.store.listSubtree(home.id) : [];
    return c.json({ items: [home, ...below] });
  });

  app.post("/api/orgs", async (c) => {
    requireRole(c, "admin");
    const input = parseInput(NewOrgSchema, await jsonBody(c));
    if (!input.parentId) throw new ForbiddenError();
    await visibleOrg(c, input.parentId);
    return c.json(await createOrg(deps.store, input), 201);
  });

  app.post("/api/orgs/import", async (c) => {
    requireRole(c, "admin");
    const home = c.get("home");
    const result = await importCsv(deps.store, await c.req.text(), (parentPath) => parentPath !== null && withinSubtree(home, parentPath));
    return c.json(result, 201);
  });

  app.get("/api/orgs/:orgId/members", async (c) => {
    requireRole(c, "admin", "inspector", "secretary");
    const org = await visibleOrg(c, c.req.param("orgId"));
    return c.json({ items: await deps.store.listMembers(org.id) });
  });

  app.post("/api/orgs/:orgId/members", async (c) => {
    requireRole(c, "admin");
    const org = await visibleOrg(c, c.req.param("orgId"));
    const body = await jsonBody(c);
    const member = parseInput(MemberSchema, { ...(typeof body === "object" && body ? body : {}), cellId: org.id });
    return c.json(await addMember(deps.store, member), 201);
  });

  // ---- meetings -------------------------------------------------------------------------------
  app.post(
    "/api/meetings",
    // refuse an over-large body before it is read whole
    bodyLimit({
      maxSize: maxRequestBytes,
      onError: () => {
        throw new InvalidInputError(
          "PAYLOAD_TOO_LARGE",
          `Tệp tải lên quá lớn (tối đa ${Math.round(maxRequestBytes / 1024 / 1024)} MB cho một cuộc họp, ${Math.round(maxUploadBytes / 1024 / 1024)} MB mỗi trang).`,
          `Upload too large (at most ${Math.round(maxRequestBytes / 1024 / 1024)} MB per meeting, ${Math.round(maxUploadBytes / 1024 / 1024)} MB per page).`,
          413,
        );
      },
    }),
    async (c) => {
      const engine = deps.engine;
      if (!engine) {
        throw new BienbanError("USE_DIRECT_UPLOAD", 501, "Hãy tải ảnh lên qua POST /api/uploads (đường dẫn ký sẵn).", "Upload pages through POST /api/uploads (presigned URLs).");
      }
      if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("multipart/form-data")) {
        throw new InvalidInputError("UNSUPPORTED_MEDIA_TYPE", "Cần gửi dạng multipart/form-data.", "Send multipart/form-data.", 415);
      }
      let form: FormData;
      try {
        form = await c.req.formData();
      } catch {
        throw new InvalidInputError("BAD_MULTIPART", "Dữ liệu tải lên bị hỏng.", "The upload is malformed.");
      }
      const cellId = form.get("cellId");
      if (typeof cellId !== "string" || cellId === "") {
        throw new InvalidInputError("MISSING_FIELD", "Thiếu trường cellId (chi bộ).", "Missing field cellId (the Party cell).");
      }
      const cell = await visibleOrg(c, cellId);
      const files = form.getAll("pages").flatMap((f) => (typeof f === "string" ? [] : [f]));
      if (files.length === 0) throw new InvalidInputError("NO_PAGES", "Chưa có trang biên bản nào được gửi.", "No page of the minutes was sent.");
      if (files.length > maxPages) {
        throw new InvalidInputError("TOO_MANY_PAGES", `Tối đa ${maxPages} trang cho một cuộc họp.`, `At most ${maxPages} pages per meeting.`, 413);
      }
      const pages = [];
      for (const f of files) {
        if (f.size > maxUploadBytes) throw new InvalidInputError("PAYLOAD_TOO_LARGE", "Một trang vượt quá dung lượng cho phép.", "A page exceeds the size limit.", 413);
        if (f.size === 0) throw new InvalidInputError("EMPTY_FILE", "Có tệp rỗng (0 byte).", "A file is empty (0 bytes).");
        pages.push({ bytes: Buffer.from(await f.arrayBuffer()) });
      }
      // loaded on first use: a deployment without inline ingest never loads the OCR pipeline
      const { ingestMeeting } = await import("../meetings/ingest.ts");
      const { ocrExtractor } = await import("../extraction/extractor.ts");
      const { record, created } = await ingestMeeting({ ...deps, extractor: ocrExtractor(engine) }, { cellId: cell.id, pages, actor: c.get("principal").sub });
      return c.json({ created, ...meetingView(record) }, created ? 201 : 200);
    },
  );

  // direct uploads to S3: the API only signs; the ingest Lambda reads the pages when all are there
  app.post("/api/uploads", async (c) => {
    if (!deps.signer) {
      throw new BienbanError("NOT_AVAILABLE", 501, "Máy chạy thử nhận ảnh qua POST /api/meetings.", "The local stack takes pages through POST /api/meetings.");
    }
    const request = parseInput(UploadRequestSchema, await jsonBody(c));
    await visibleOrg(c, request.cellId);
    const signed = await createUpload({ blobs: deps.blobs, signer: deps.signer, limits: { maxUploadBytes, maxPages } }, request, c.get("principal").sub);
    return c.json(signed, 201);
  });

  app.get("/api/uploads/:uploadId", async (c) => {
    const id = parseInput(z.string().uuid(), c.req.param("uploadId"));
    const state = await uploadState(deps.store, id).catch(() => null);
    if (!state) throw new NotFoundError({ vi: "lượt tải lên", en: "Upload" });
    await visibleOrg(c, state.cellId);
    return c.json(state);
  });

  app.get("/api/meetings/:id", async (c) => {
    const record = await visibleMeeting(c);
    c.header("ETag", `"${record.version}"`);
    return c.json(meetingView(record));
  });

  app.patch("/api/meetings/:id", async (c) => {
    requireRole(c, "admin", "inspector");
    const record = await visibleMeeting(c);
    const expectedVersion = ifMatch(c);
    const correction = parseInput(CorrectionSchema, await jsonBody(c));
    const next = await correctMeeting(deps, { id: record.id, expectedVersion, correction, actor: c.get("principal").sub, canSee: canSee(c) });
    c.header("ETag", `"${next.version}"`);
    return c.json(meetingView(next));
  });

  app.post("/api/meetings/:id/reviewed", async (c) => {
    requireRole(c, "admin", "inspector");
    const record = await visibleMeeting(c);
    const next = await markReviewed(deps, { id: record.id, expectedVersion: ifMatch(c), actor: c.get("principal").sub, canSee: canSee(c) });
    c.header("ETag", `"${next.version}"`);
    return c.json(meetingView(next));
  });

  app.post("/api/meetings/:id/claim", async (c) => {
    requireRole(c, "admin", "inspector");
    const record = await visibleMeeting(c);
    const next = await claimReview(deps, { id: record.id, expectedVersion: ifMatch(c), actor: c.get("principal").sub, canSee: canSee(c) });
    c.header("ETag", `"${next.version}"`);
    return c.json(meetingView(next));
  });

  app.get("/api/meetings/:id/audit", async (c) => {
    const record = await visibleMeeting(c);
    return c.json({ items: await deps.store.listAudit(record.id) });
  });

  app.get("/api/meetings/:id/pages/:n", async (c) => {
    const record = await visibleMeeting(c);
    const n = parseInput(z.coerce.number().int().min(1).max(1000), c.req.param("n"));
    const page = record.pages.find((p) => p.n === n);
    const blob = page ? await deps.blobs.get(page.key) : null;
    if (!blob) throw new NotFoundError({ vi: "trang biên bản", en: "Page" });
    return c.body(new Uint8Array(blob.bytes), 200, { "content-type": blob.contentType, "cache-control": "private, max-age=86400" });
  });

  /**
   * Meetings of an organisation's subtree: by month or month range, optionally flagged only, by
   * cell, flag code, review state and kind; sorted by date; an opaque cursor per page; counts per
   * flag code for the filter.
   */
  const listRoute = (flaggedOnly: boolean) => async (c: Context<Env>) => {
    const org = await visibleOrg(c, c.req.param("orgId") ?? "");
    const q = parseInput(ListQuery, c.req.query());
    const range = q.month ? [q.month] : q.from && q.to ? months(q.from, q.to) : null;
    if (!range || range.length === 0) {
      throw new InvalidInputError("INVALID_INPUT", "Cần tháng (month=YYYY-MM) hoặc khoảng tháng (from, to).", "Give month=YYYY-MM or a from/to month range.");
    }
    const scope = q.cell ? await visibleOrg(c, q.cell) : org;
    if (!withinSubtree(org, scope.path)) throw new NotFoundError({ vi: "chi bộ", en: "Party cell" });
    // the cursor carries which month of the range it is in
    const cur = q.cursor ? z.object({ m: z.number().int().min(0), c: z.string().nullable() }).safeParse(safeJson(Buffer.from(q.cursor, "base64url").toString())) : null;
    if (cur && !cur.success) throw new InvalidInputError("BAD_CURSOR", "Con trỏ phân trang không hợp lệ.", "Invalid pagination cursor.");
    const ordered = q.sort === "-date" ? [...range].reverse() : range;
    let mi = cur?.data?.m ?? 0;
    let inner = cur?.data?.c ?? undefined;
    const limit = q.limit ?? 50;
    const items: MeetingSummary[] = [];
    while (mi < ordered.length && items.length < limit) {
      const month = ordered[mi] ?? "";
      const page = await deps.store.listMeetingSummaries({
        orgPath: scope.path,
        month,
        flaggedOnly,
        code: q.code,
        needsReview: q.review === undefined ? undefined : q.review === "true",
        kind: q.kind,
        descending: q.sort === "-date",
        cursor: inner,
        limit: limit - items.length,
      });
      items.push(...page.items);
      if (page.cursor) inner = page.cursor;
      else {
        mi++;
        inner = undefined;
      }
    }
    const next = mi < ordered.length ? Buffer.from(JSON.stringify({ m: mi, c: inner ?? null })).toString("base64url") : null;
    // counts per code over the whole range (the first page only: later pages reuse them)
    let countsByCode: Record<string, number> | undefined;
    if (!q.cursor) {
      countsByCode = {};
      for (const month of range) {
        for (const [code, n] of Object.entries(await deps.store.countFlagCodes(scope.path, month))) countsByCode[code] = (countsByCode[code] ?? 0) + n;
      }
    }
    return c.json({ items: items.map(summaryView), cursor: next, ...(countsByCode ? { countsByCode } : {}) });
  };
  app.get("/api/orgs/:orgId/flagged", listRoute(true));
  // the review queue: meetings with fields under the review threshold, pending or in progress
  app.get("/api/orgs/:orgId/review-queue", async (c) => {
    const org = await visibleOrg(c, c.req.param("orgId"));
    const month = parseInput(MonthSchema, c.req.query("month"));
    const cursor = parseInput(z.string().max(4000).optional(), c.req.query("cursor"));
    const page = await deps.store.listMeetingSummaries({ orgPath: org.path, month, needsReview: true, cursor, limit: 50 });
    return c.json({
      items: page.items.map((m) => ({ ...summaryView(m), reviewState: m.reviewState ?? { state: "pending", by: null, at: null } })),
      cursor: page.cursor,
    });
  });
  app.get("/api/orgs/:orgId/meetings", listRoute(false));

  // before the pages: their catch-all sign-in middleware must not answer API routes
  app.route("/", reportRoutes(deps));
  app.route("/", pageRoutes(deps));
  return app;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}
