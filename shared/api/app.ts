/**
 * The hono app: the JSON API and the web pages. Built once from its dependencies; `serve(app)` runs
 * it locally (shared/local/start.ts) and `handle(app)` in Lambda (functions/api.ts).
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import type { RuleSetId } from "../criteria/index.ts";
import { BienbanError, InvalidInputError, NotFoundError } from "../errors.ts";
import type { OcrEngine } from "../extraction/engine.ts";
import { log } from "../log.ts";
import { ingestMeeting } from "../meetings/ingest.ts";
import type { BlobStore } from "../store/blobs.ts";
import type { DynamoStore } from "../store/dynamo-store.ts";
import { MonthSchema, OrgIdSchema, type MeetingRecord } from "../store/records.ts";
import { pageRoutes } from "./pages.tsx";

export interface AppDeps {
  store: DynamoStore;
  blobs: BlobStore;
  engine: OcrEngine;
  ruleSet?: RuleSetId;
  limits?: { maxUploadBytes?: number; maxPages?: number };
}

export type ErrorBody = { error: { code: string; message: string; messageEn: string } };

const IdParam = z.object({ id: z.string().uuid() });
const FlaggedQuery = z.object({
  month: MonthSchema,
  code: z.string().regex(/^[A-Z_]{3,64}$/).optional(),
  review: z.enum(["true", "false"]).optional(),
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

/** Validate outside input with zod; a failure is a 400 with the fields named, in both languages. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const fields = [...new Set(r.error.issues.map((i) => i.path.join(".") || "(body)"))].join(", ");
  throw new InvalidInputError("INVALID_INPUT", `Dữ liệu không hợp lệ: ${fields}.`, `Invalid input: ${fields}.`);
}

export function meetingView(r: MeetingRecord) {
  return {
    id: r.id,
    cellId: r.cellId,
    month: r.month,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    engine: r.engine,
    pages: r.pages.map((p) => ({ n: p.n, bytes: p.bytes, contentType: p.contentType, url: `/api/meetings/${r.id}/pages/${p.n}` })),
    ...r.document,
  };
}

export function createApp(deps: AppDeps): Hono {
  const maxUploadBytes = deps.limits?.maxUploadBytes ?? 20 * 1024 * 1024;
  const maxPages = deps.limits?.maxPages ?? 20;
  const app = new Hono();

  app.onError((err, c) => {
    if (err instanceof BienbanError) {
      const body: ErrorBody = { error: { code: err.code, message: err.messageVi, messageEn: err.messageEn } };
      return c.json(body, err.status as 400);
    }
    if (err instanceof HTTPException) {
      return c.json(
        { error: { code: "HTTP_" + err.status, message: "Yêu cầu không hợp lệ.", messageEn: "Bad request." } } satisfies ErrorBody,
        err.status,
      );
    }
    log("error", "api.unhandled", { path: c.req.routePath, method: c.req.method, error: err.name });
    return c.json({ error: { code: "INTERNAL", message: "Lỗi hệ thống, vui lòng thử lại sau.", messageEn: "Internal error, please try again later." } } satisfies ErrorBody, 500);
  });
  app.notFound((c) =>
    c.json({ error: { code: "NOT_FOUND", message: "Không tìm thấy đường dẫn.", messageEn: "No such route." } } satisfies ErrorBody, 404),
  );

  app.get("/healthz", (c) => c.json({ ok: true }));

  app.get("/api/orgs", async (c) => c.json({ items: await deps.store.listSubtree(null) }));

  app.post(
    "/api/meetings",
    // refuse an over-large body before it is read whole
    bodyLimit({
      maxSize: maxUploadBytes * maxPages + 64 * 1024,
      onError: () => {
        throw new InvalidInputError(
          "PAYLOAD_TOO_LARGE",
          `Tệp tải lên quá lớn (tối đa ${Math.round(maxUploadBytes / 1024 / 1024)} MB mỗi trang).`,
          `Upload too large (at most ${Math.round(maxUploadBytes / 1024 / 1024)} MB per page).`,
          413,
        );
      },
    }),
    async (c) => {
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
      parseInput(OrgIdSchema, cellId);
      const files = form.getAll("pages").filter((f): f is File => typeof f !== "string");
      if (files.length === 0) throw new InvalidInputError("NO_PAGES", "Chưa có trang biên bản nào được gửi.", "No page of the minutes was sent.");
      if (files.length > maxPages) {
        throw new InvalidInputError("TOO_MANY_PAGES", `Tối đa ${maxPages} trang cho một cuộc họp.`, `At most ${maxPages} pages per meeting.`, 413);
      }
      const pages = [];
      for (const f of files) {
        if (f.size > maxUploadBytes) {
          throw new InvalidInputError("PAYLOAD_TOO_LARGE", "Một trang vượt quá dung lượng cho phép.", "A page exceeds the size limit.", 413);
        }
        if (f.size === 0) throw new InvalidInputError("EMPTY_FILE", "Có tệp rỗng (0 byte).", "A file is empty (0 bytes).");
        pages.push({ bytes: Buffer.from(await f.arrayBuffer()) });
      }
      const { record, created } = await ingestMeeting({ store: deps.store, blobs: deps.blobs, engine: deps.engine, ruleSet: deps.ruleSet }, { cellId, pages });
      return c.json({ created, ...meetingView(record) }, created ? 201 : 200);
    },
  );

  app.get("/api/meetings/:id", async (c) => {
    const { id } = parseInput(IdParam, c.req.param());
    const record = await deps.store.getMeeting(id);
    if (!record) throw new NotFoundError({ vi: "biên bản", en: "Meeting" });
    return c.json(meetingView(record));
  });

  app.get("/api/meetings/:id/pages/:n", async (c) => {
    const { id, n } = parseInput(IdParam.extend({ n: z.coerce.number().int().min(1).max(1000) }), c.req.param());
    const record = await deps.store.getMeeting(id);
    const page = record?.pages.find((p) => p.n === n);
    const blob = page ? await deps.blobs.get(page.key) : null;
    if (!blob) throw new NotFoundError({ vi: "trang biên bản", en: "Page" });
    return c.body(new Uint8Array(blob.bytes), 200, { "content-type": blob.contentType, "cache-control": "private, max-age=86400" });
  });

  app.get("/api/orgs/:orgId/flagged", async (c) => {
    const orgId = parseInput(OrgIdSchema, c.req.param("orgId"));
    const q = parseInput(FlaggedQuery, c.req.query());
    const org = await deps.store.getOrg(orgId);
    if (!org) throw new NotFoundError({ vi: "tổ chức đảng", en: "Organisation" });
    const page = await deps.store.listMeetings({
      orgPath: org.path,
      month: q.month,
      flaggedOnly: true,
      code: q.code,
      needsReview: q.review === undefined ? undefined : q.review === "true",
      cursor: q.cursor,
      limit: q.limit,
    });
    return c.json({ items: page.items.map(meetingView), cursor: page.cursor });
  });

  app.route("/", pageRoutes(deps));
  return app;
}
