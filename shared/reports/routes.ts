/**
 * The reports API, mounted by the app (`app.route("/", reportRoutes(deps))`) behind its /api/*
 * authentication, so `principal` and `home` are set here and errors go through the app's onError.
 *
 *   GET  /api/orgs/:orgId/reports                      the stored reports, newest month first
 *   POST /api/orgs/:orgId/reports?month=YYYY-MM        build now, store, answer the report (JSON)
 *   GET  /api/orgs/:orgId/reports/:month.:format       download json | csv | html | pdf
 *
 * Inspectors and admins of the organisation's subtree only: an organisation outside the caller's
 * subtree answers 404, exactly as one that does not exist.
 */
import { Hono, type Context } from "hono";
import type { Env } from "../api/app.ts";
import { ForbiddenError, withinSubtree } from "../auth/auth.ts";
import type { RuleSet, RuleSetId } from "../criteria/index.ts";
import { InvalidInputError, NotFoundError } from "../errors.ts";
import { log } from "../log.ts";
import type { BlobStore } from "../store/blobs.ts";
import type { DynamoStore } from "../store/dynamo-store.ts";
import type { Org } from "../store/records.ts";
import { buildReport, getReportOrg, parseReportMonth } from "./build.ts";
import { CONTENT_TYPES, getReportFile, listReports, renderReport, storeReport } from "./storage.ts";
import { ReportFormatSchema, type ReportFormat } from "./schema.ts";

export interface ReportRouteDeps {
  store: DynamoStore;
  blobs: BlobStore;
  ruleSet?: RuleSetId | RuleSet;
}

const FILE = /^(\d{4}-\d{2})\.([a-z]+)$/;

/** RFC 5987 value: percent-encoded UTF-8, also encoding the characters encodeURIComponent keeps. */
function rfc5987(s: string): string {
  return encodeURIComponent(s).replace(/['()*!]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `attachment; filename="bao-cao-…"; filename*=UTF-8''Báo cáo …`: ASCII fallback, Vietnamese for modern clients. */
export function contentDisposition(org: Org, month: string, format: ReportFormat): string {
  const inline = format === "html" || format === "pdf";
  const ascii = `bao-cao-${org.id}-${month}.${format}`;
  const name = `Báo cáo ${org.name} ${month}`.replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, "-").slice(0, 150);
  return `${inline ? "inline" : "attachment"}; filename="${ascii}"; filename*=UTF-8''${rfc5987(`${name}.${format}`)}`;
}

export function reportRoutes(deps: ReportRouteDeps): Hono<Env> {
  const app = new Hono<Env>();

  /** The organisation, if the caller may see its reports; 404 outside the caller's subtree. */
  const reportOrg = async (c: Context<Env>): Promise<Org> => {
    if (!["admin", "inspector"].includes(c.get("principal").role)) throw new ForbiddenError();
    const org = await getReportOrg(deps.store, c.req.param("orgId") ?? "");
    if (!withinSubtree(c.get("home"), org.path)) throw new NotFoundError({ vi: "tổ chức đảng", en: "Organisation" });
    return org;
  };

  app.get("/api/orgs/:orgId/reports", async (c) => {
    const org = await reportOrg(c);
    const items = (await listReports(deps.blobs, org.id)).map((r) => ({
      ...r,
      links: Object.fromEntries(ReportFormatSchema.options.map((f) => [f, `/api/orgs/${org.id}/reports/${r.month}.${f}`])),
    }));
    return c.json({ items });
  });

  app.post("/api/orgs/:orgId/reports", async (c) => {
    const org = await reportOrg(c);
    const month = parseReportMonth(c.req.query("month") ?? "");
    const started = performance.now();
    const report = await buildReport(deps.store, { orgId: org.id, month, ruleSet: deps.ruleSet });
    const files = await renderReport(report);
    await storeReport(deps.blobs, report, files);
    log("info", "report.built", { orgId: org.id, month, cells: report.cells.length, findings: report.totals.findings, ms: Math.round(performance.now() - started), by: "api" });
    c.header("Location", `/api/orgs/${org.id}/reports/${month}.json`);
    return c.json(report, 201);
  });

  app.get("/api/orgs/:orgId/reports/:file", async (c) => {
    const org = await reportOrg(c);
    const match = FILE.exec(c.req.param("file"));
    const format = ReportFormatSchema.safeParse(match?.[2]);
    if (!match || !format.success) {
      throw new InvalidInputError("BAD_REPORT_FILE", "Tên tệp báo cáo không hợp lệ; cần dạng YYYY-MM.json|csv|html|pdf.", "Invalid report file name; use YYYY-MM.json|csv|html|pdf.");
    }
    const month = parseReportMonth(match[1] ?? "");
    const blob = await getReportFile(deps.blobs, org.id, month, format.data);
    if (!blob) throw new NotFoundError({ vi: "báo cáo", en: "Report" });
    return c.body(new Uint8Array(blob.bytes), 200, {
      "content-type": CONTENT_TYPES[format.data],
      "content-disposition": contentDisposition(org, month, format.data),
      "cache-control": "private, no-cache",
      "x-content-type-options": "nosniff",
      // the HTML report is self-contained: nothing to load, nothing to run
      ...(format.data === "html" ? { "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:" } : {}),
    });
  });

  return app;
}
