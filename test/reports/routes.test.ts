/**
 * The reports API through app.request(), mounted on the real app (its auth middleware and error
 * mapping) exactly as shared/api/app.ts will mount it, against DynamoDB Local.
 */
import { Hono } from "hono";
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp, type Env, type ErrorBody } from "../../shared/api/app.ts";
import { DevTokenAuthenticator, UnauthenticatedError, type Role } from "../../shared/auth/auth.ts";
import { BienbanError, OcrError } from "../../shared/errors.ts";
import type { BlobStore } from "../../shared/store/blobs.ts";
import type { DynamoStore } from "../../shared/store/dynamo-store.ts";
import { reportRoutes } from "../../shared/reports/routes.ts";
import { ReportSchema } from "../../shared/reports/schema.ts";
import { freshStore } from "../helpers/dynamo.ts";
import { seedExample } from "./example.ts";

let app: Hono<Env>;
let tokens: DevTokenAuthenticator;

/**
 * The real app when shared/api/app.ts mounts the report routes (before its page routes, whose
 * cookie sign-in and CSRF middleware match every path). Until then, the same composition by hand:
 * bearer-token authentication setting principal and home on /api/*, BienbanErrors mapped to their
 * status, and the report routes.
 */
function appWithReports(store: DynamoStore, blobs: BlobStore): Hono<Env> {
  const engine = { name: "none", recognize: async () => Promise.reject(new OcrError("NO_OCR", "không dùng", "unused")) };
  const real = createApp({ store, blobs, engine, auth: tokens });
  if (real.routes.some((r) => r.path === "/api/orgs/:orgId/reports")) return real;
  const composed = new Hono<Env>();
  composed.onError((err, c) => {
    if (err instanceof BienbanError) return c.json({ error: { code: err.code, message: err.messageVi, messageEn: err.messageEn } } satisfies ErrorBody, err.status as 400);
    throw err;
  });
  composed.use("/api/*", async (c, next) => {
    const principal = await tokens.authenticate(c.req.header("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1]);
    const home = principal ? await store.getOrg(principal.orgId) : null;
    if (!principal || !home) throw new UnauthenticatedError();
    c.set("principal", principal);
    c.set("home", home);
    await next();
  });
  composed.route("/", reportRoutes({ store, blobs }));
  return composed;
}

const as = async (role: Role, orgId: string) => ({ authorization: `Bearer ${await tokens.issue({ sub: `${role}-${orgId}`, role, orgId })}` });

beforeAll(async () => {
  const { store, blobs } = await freshStore();
  await seedExample(store);
  tokens = new DevTokenAuthenticator(randomBytes(32));
  app = appWithReports(store, blobs);
});

describe("reports API", () => {
  it("needs a token", async () => {
    expect((await app.request("/api/orgs/tinh-a/reports")).status).toBe(401);
    expect((await app.request("/api/orgs/tinh-a/reports?month=2026-06", { method: "POST" })).status).toBe(401);
    expect((await app.request("/api/orgs/tinh-a/reports/2026-06.pdf")).status).toBe(401);
  });

  it("builds, stores, lists and downloads a report for an inspector of the subtree", async () => {
    const h = await as("inspector", "huyen-b");
    const built = await app.request("/api/orgs/huyen-b/reports?month=2026-06", { method: "POST", headers: h });
    expect(built.status).toBe(201);
    expect(built.headers.get("location")).toBe("/api/orgs/huyen-b/reports/2026-06.json");
    const report = ReportSchema.parse(await built.json());
    expect(report.org.id).toBe("huyen-b");
    expect(report.totals).toMatchObject({ cells: 3, cellsWithMeeting: 2, meetingRate: 66.7, findings: 5 });

    const list = await app.request("/api/orgs/huyen-b/reports", { headers: h });
    expect(list.status).toBe(200);
    const body = (await list.json()) as { items: { month: string; cells: number; findings: number; links: Record<string, string>; files: Record<string, number> }[] };
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ month: "2026-06", cells: 3, findings: 5, links: { pdf: "/api/orgs/huyen-b/reports/2026-06.pdf" } });

    const pdf = await app.request("/api/orgs/huyen-b/reports/2026-06.pdf", { headers: h });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(bytes.length).toBe(body.items[0]?.files.pdf);
    expect(pdf.headers.get("content-disposition")).toBe(
      `inline; filename="bao-cao-huyen-b-2026-06.pdf"; filename*=UTF-8''${encodeURIComponent("Báo cáo Đảng bộ huyện Bắc 2026-06.pdf")}`,
    );

    const csv = await app.request("/api/orgs/huyen-b/reports/2026-06.csv", { headers: h });
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="bao-cao-huyen-b-2026-06\.csv"; filename\*=UTF-8''B%C3%A1o%20c%C3%A1o%20/);
    expect(Buffer.from(await csv.arrayBuffer()).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));

    const html = await app.request("/api/orgs/huyen-b/reports/2026-06.html", { headers: h });
    expect(html.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await html.text()).toContain("<svg");

    const json = await app.request("/api/orgs/huyen-b/reports/2026-06.json", { headers: h });
    expect(ReportSchema.parse(await json.json()).totals).toEqual(report.totals);

    // an admin higher up sees the same report
    const admin = await as("admin", "tinh-a");
    expect((await app.request("/api/orgs/huyen-b/reports/2026-06.json", { headers: admin })).status).toBe(200);
  });

  it("answers 404 outside the caller's subtree, on list, build and download", async () => {
    await app.request("/api/orgs/tinh-a/reports?month=2026-06", { method: "POST", headers: await as("admin", "tinh-a") });
    const other = await as("inspector", "tinh-khac");
    expect((await app.request("/api/orgs/tinh-a/reports", { headers: other })).status).toBe(404);
    expect((await app.request("/api/orgs/tinh-a/reports?month=2026-06", { method: "POST", headers: other })).status).toBe(404);
    expect((await app.request("/api/orgs/tinh-a/reports/2026-06.pdf", { headers: other })).status).toBe(404);
    // below is not above: an inspector of a district cannot read the province's report
    const district = await as("inspector", "huyen-b");
    const up = await app.request("/api/orgs/tinh-a/reports/2026-06.json", { headers: district });
    expect(up.status).toBe(404);
    expect(await up.json()).toEqual({ error: { code: "NOT_FOUND", message: "Không tìm thấy tổ chức đảng.", messageEn: "Organisation not found." } });
    expect((await app.request("/api/orgs/tinh-a/reports", { headers: district })).status).toBe(404);
  });

  it("is for inspectors and admins, not secretaries", async () => {
    const sec = await as("secretary", "cb-dong");
    expect((await app.request("/api/orgs/cb-dong/reports", { headers: sec })).status).toBe(403);
    expect((await app.request("/api/orgs/cb-dong/reports?month=2026-06", { method: "POST", headers: sec })).status).toBe(403);
  });

  it("refuses a bad month or file name, and says when a report was never built", async () => {
    const h = await as("inspector", "huyen-b");
    const bad = await app.request("/api/orgs/huyen-b/reports?month=2026-13", { method: "POST", headers: h });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("BAD_MONTH");
    expect((await app.request("/api/orgs/huyen-b/reports", { method: "POST", headers: h })).status).toBe(400);
    expect((await app.request("/api/orgs/huyen-b/reports/2026-06.exe", { headers: h })).status).toBe(400);
    expect((await app.request("/api/orgs/huyen-b/reports/2026-6.pdf", { headers: h })).status).toBe(400);
    const never = await app.request("/api/orgs/xa-c/reports/2026-05.pdf", { headers: h });
    expect(never.status).toBe(404);
    expect(((await never.json()) as { error: { messageEn: string } }).error.messageEn).toBe("Report not found.");
    expect((await (await app.request("/api/orgs/xa-c/reports", { headers: h })).json())).toEqual({ items: [] });
  });
});
