/**
 * The claims of docs/security.md that can be checked without AWS (the infrastructure's own claims
 * — KMS, TLS-only, IAM, Cognito — are asserted in test/infra/stack.test.ts).
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../shared/api/app.ts";
import { DevTokenAuthenticator } from "../../shared/auth/auth.ts";
import { createUpload } from "../../shared/meetings/uploads.ts";
import { minutesText } from "../helpers/recorded-engine.ts";
import { CELL, harness, type Harness } from "./harness.ts";

let h: Harness;
let meetingId: string;
beforeAll(async () => {
  h = await harness();
  const res = await h.upload(await h.bearer("secretary", CELL), CELL, [await h.engine.page(minutesText({ date: "2026-11-03", present: 16, total: 18 }))]);
  meetingId = ((await res.json()) as { id: string }).id;
});

describe("who can read what", () => {
  it("a secretary of another cell, even in the same commune, sees nothing of this cell (404)", async () => {
    const neighbour = await h.bearer("secretary", "cb-tay-hoa");
    for (const path of [`/api/meetings/${meetingId}`, `/api/meetings/${meetingId}/pages/1`, `/api/meetings/${meetingId}/audit`, `/api/orgs/${CELL}/members`, `/api/orgs/${CELL}/meetings?month=2026-11`]) {
      const r = await h.app.request(path, { headers: neighbour });
      expect(r.status, path).toBe(404);
    }
  });

  it("a token for an organisation that does not exist, or signed with another key, is refused (401)", async () => {
    const ghost = await h.bearer("admin", "khong-ton-tai");
    expect((await h.app.request("/api/me", { headers: ghost })).status).toBe(401);
    const other = new DevTokenAuthenticator(randomBytes(32));
    const forged = await other.issue({ sub: "x", role: "admin", orgId: "tinh-mau" });
    expect((await h.app.request("/api/me", { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
    const expired = await other.issue({ sub: "x", role: "admin", orgId: "tinh-mau" }, -10);
    expect((await h.app.request("/api/me", { headers: { authorization: `Bearer ${expired}` } })).status).toBe(401);
  });

  it("page images are served privately (no shared caches)", async () => {
    const r = await h.app.request(`/api/meetings/${meetingId}/pages/1`, { headers: await h.bearer("inspector", "huyen-dong-son") });
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toMatch(/^private/);
  });
});

describe("sessions and uploads", () => {
  it("the local sign-in cookie is HttpOnly and SameSite=Strict (no script access, no cross-site sends)", async () => {
    const tokens = new DevTokenAuthenticator(randomBytes(32));
    const app = createApp({ store: h.store, blobs: { put: async () => {}, get: async () => null, size: async () => null }, auth: tokens, devTokens: tokens });
    const form = new URLSearchParams({ name: "nguoi-dung", role: "inspector", org: "huyen-dong-son" });
    const r = await app.request("/login", { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost" }, redirect: "manual" });
    expect(r.status).toBe(303);
    const cookie = r.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^token=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    // a cross-site form post is refused by the CSRF check
    const cross = await app.request("/login", { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" } });
    expect(cross.status).toBe(403);
  });

  it("presigned uploads pin the content type and size, and expire in 15 minutes", async () => {
    const signed: { key: string; type: string; bytes: number; ttl: number }[] = [];
    const now = new Date("2026-11-03T07:00:00Z");
    const out = await createUpload(
      { blobs: { put: async () => {}, get: async () => null, size: async () => null }, signer: { signPut: async (key, type, bytes, ttl) => (signed.push({ key, type, bytes, ttl }), `https://example.invalid/${key}`) }, limits: { maxUploadBytes: 1000, maxPages: 3 } },
      { cellId: CELL, pages: [{ contentType: "image/jpeg", bytes: 900 }] },
      "thu-ky",
      now,
    );
    expect(signed).toEqual([{ key: `uploads/${CELL}/${out.uploadId}/page-1`, type: "image/jpeg", bytes: 900, ttl: 900 }]);
    expect(out.expiresAt).toBe("2026-11-03T07:15:00.000Z");
  });
});
