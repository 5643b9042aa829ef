/**
 * The API through app.request() (no server), against DynamoDB Local. The OCR step answers with
 * recorded text (RecordedEngine); everything after it — parser, signatures, criteria, store — is real.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../shared/api/app.ts";
import { DevTokenAuthenticator, type Role } from "../../shared/auth/auth.ts";
import { seedExampleTree } from "../../shared/orgs/seed.ts";
import { freshStore } from "../helpers/dynamo.ts";
import { minutesText, RecordedEngine } from "../helpers/recorded-engine.ts";

const CELL = "cb-dong-hoa"; // in huyen-dong-son
let app: ReturnType<typeof createApp>;
let engine: RecordedEngine;
let tokens: DevTokenAuthenticator;
/** every DynamoDB command the app sends, by name: the access patterns use Get, Query and writes only */
const commands = new Set<string>();

async function bearer(role: Role, orgId: string, sub = `${role}-${orgId}`) {
  return { authorization: `Bearer ${await tokens.issue({ sub, role, orgId })}` };
}

async function upload(headers: Record<string, string>, cellId: string, pages: Buffer[]) {
  const form = new FormData();
  form.set("cellId", cellId);
  for (const p of pages) form.append("pages", new Blob([new Uint8Array(p)], { type: "image/png" }), "page.png");
  return app.request("/api/meetings", { method: "POST", body: form, headers });
}

type Doc = { id: string; version: number; flags: { code: string }[]; meeting: { attendance: { present: number | null } } };

beforeAll(async () => {
  const { store, blobs, client } = await freshStore();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      commands.add(String(context.commandName));
      return next(args);
    },
    { step: "initialize", name: "recordCommands" },
  );
  await seedExampleTree(store);
  engine = new RecordedEngine();
  tokens = new DevTokenAuthenticator(randomBytes(32));
  app = createApp({ store, blobs, engine, auth: tokens });
});

describe("ingest and read", () => {
  it("stores an uploaded meeting with its flags, and the same pages twice give the same meeting", async () => {
    const sec = await bearer("secretary", CELL);
    const page = await engine.page(minutesText({ date: "2026-11-03", present: 16, total: 18 }));
    const first = await upload(sec, CELL, [page]);
    expect(first.status).toBe(201);
    const doc = (await first.json()) as Doc & { created: boolean; meeting: { meetingDate: string; chair: string } };
    expect(doc.meeting.meetingDate).toBe("2026-11-03");
    expect(doc.meeting.chair).toBe("Nguyễn Văn An");
    expect(doc.meeting.attendance.present).toBe(16);
    expect(doc.flags.map((f) => f.code)).not.toContain("ATTENDANCE_BELOW_THRESHOLD");

    const callsBefore = engine.calls;
    const again = await upload(sec, CELL, [page]);
    expect(again.status).toBe(200);
    expect(((await again.json()) as Doc).id).toBe(doc.id);
    expect(engine.calls).toBe(callsBefore); // not read twice

    const got = await app.request(`/api/meetings/${doc.id}`, { headers: sec });
    expect(got.status).toBe(200);
    expect(got.headers.get("etag")).toBe('"1"');
    const img = await app.request(`/api/meetings/${doc.id}/pages/1`, { headers: sec });
    expect(img.status).toBe(200);
    expect(img.headers.get("content-type")).toBe("image/png");
  });

  it("keeps a second, different upload for the same cell and month as another meeting", async () => {
    const sec = await bearer("secretary", CELL);
    const a = await upload(sec, CELL, [await engine.page(minutesText({ date: "2026-10-05", present: 15, total: 18 }))]);
    const b = await upload(sec, CELL, [await engine.page(minutesText({ date: "2026-10-06", present: 17, total: 18 }))]);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(((await a.json()) as Doc).id).not.toBe(((await b.json()) as Doc).id);
  });

  it("answers bad uploads with clear errors in both languages and stores nothing", async () => {
    const sec = await bearer("secretary", CELL);
    const notImage = new FormData();
    notImage.set("cellId", CELL);
    notImage.append("pages", new Blob(["hello, not a picture"], { type: "image/jpeg" }), "x.jpg");
    const r1 = await app.request("/api/meetings", { method: "POST", body: notImage, headers: sec });
    expect(r1.status).toBe(415);
    const e1 = (await r1.json()) as { error: { code: string; message: string; messageEn: string } };
    expect(e1.error.code).toBe("NOT_AN_IMAGE");
    expect(e1.error.message).toMatch(/ảnh/);
    expect(e1.error.messageEn).toMatch(/not an image/i);

    const noCell = new FormData();
    noCell.append("pages", new Blob([new Uint8Array(await engine.page("x"))]), "p.png");
    expect((await app.request("/api/meetings", { method: "POST", body: noCell, headers: sec })).status).toBe(400);

    const admin = await bearer("admin", "tinh-mau");
    const unknown = await upload(admin, "khong-co-chi-bo", [await engine.page("x")]);
    expect(unknown.status).toBe(404);

    const json = await app.request("/api/meetings", { method: "POST", body: "{}", headers: { ...sec, "content-type": "application/json" } });
    expect(json.status).toBe(415);
  });
});

describe("who may see what", () => {
  let meetingId: string;
  beforeAll(async () => {
    const res = await upload(await bearer("secretary", CELL), CELL, [await engine.page(minutesText({ date: "2026-11-10", present: 15, total: 18 }))]);
    meetingId = ((await res.json()) as Doc).id;
  });

  it("refuses every endpoint without a token (401)", async () => {
    const paths: [string, string][] = [
      ["GET", `/api/meetings/${meetingId}`],
      ["PATCH", `/api/meetings/${meetingId}`],
      ["POST", `/api/meetings/${meetingId}/reviewed`],
      ["GET", `/api/meetings/${meetingId}/audit`],
      ["GET", `/api/meetings/${meetingId}/pages/1`],
      ["GET", "/api/orgs/huyen-dong-son/flagged?month=2026-11"],
      ["GET", "/api/orgs/huyen-dong-son/meetings?month=2026-11"],
      ["GET", "/api/orgs"],
      ["POST", "/api/orgs"],
      ["POST", "/api/meetings"],
      ["GET", "/api/orgs/cb-dong-hoa/members"],
    ];
    for (const [method, path] of paths) {
      const r = await app.request(path, { method });
      expect(r.status, `${method} ${path}`).toBe(401);
    }
    const forged = await app.request(`/api/meetings/${meetingId}`, { headers: { authorization: "Bearer eyJhbGciOiJub25lIn0.eyJyb2xlIjoiYWRtaW4ifQ." } });
    expect(forged.status).toBe(401);
  });

  it("hides another subtree's meetings and organisations (404, no data)", async () => {
    const other = await bearer("inspector", "huyen-tay-son");
    const calls: [string, string, string | undefined][] = [
      ["GET", `/api/meetings/${meetingId}`, undefined],
      ["PATCH", `/api/meetings/${meetingId}`, JSON.stringify({ changes: [{ field: "attendance.present", value: 18 }] })],
      ["POST", `/api/meetings/${meetingId}/reviewed`, undefined],
      ["GET", `/api/meetings/${meetingId}/audit`, undefined],
      ["GET", `/api/meetings/${meetingId}/pages/1`, undefined],
      ["GET", "/api/orgs/huyen-dong-son/flagged?month=2026-11", undefined],
      ["GET", "/api/orgs/huyen-dong-son/meetings?month=2026-11", undefined],
      ["GET", "/api/orgs/cb-dong-hoa/members", undefined],
    ];
    for (const [method, path, body] of calls) {
      const r = await app.request(path, { method, body, headers: { ...other, "content-type": "application/json", "if-match": '"1"' } });
      expect(r.status, `${method} ${path}`).toBe(404);
      const text = await r.text();
      expect(text).not.toContain(meetingId);
      expect(text).not.toContain("Nguyễn");
    }
    const own = await app.request("/api/orgs/huyen-tay-son/flagged?month=2026-11", { headers: other });
    expect(((await own.json()) as { items: Doc[] }).items.map((m) => m.id)).not.toContain(meetingId);
    const upload404 = await upload(other, CELL, [await engine.page("x")]);
    expect(upload404.status).toBe(404);
    const orgs = (await (await app.request("/api/orgs", { headers: other })).json()) as { items: { id: string }[] };
    expect(orgs.items.map((o) => o.id)).not.toContain(CELL);
  });

  it("lets a secretary read but not correct", async () => {
    const sec = await bearer("secretary", CELL);
    expect((await app.request(`/api/meetings/${meetingId}`, { headers: sec })).status).toBe(200);
    const r = await app.request(`/api/meetings/${meetingId}`, {
      method: "PATCH",
      headers: { ...sec, "if-match": '"1"', "content-type": "application/json" },
      body: JSON.stringify({ changes: [{ field: "chair", value: "Nguyễn Văn B" }] }),
    });
    expect(r.status).toBe(403);
  });
});

describe("inspectors correct, and the flags follow", () => {
  it("correcting a misread attendance count raises and clears ATTENDANCE_BELOW_THRESHOLD, with an audit trail", async () => {
    const insp = await bearer("inspector", "huyen-dong-son", "kiem-tra-1");
    const res = await upload(await bearer("secretary", CELL), CELL, [await engine.page(minutesText({ date: "2026-11-17", present: 17, total: 18 }))]);
    const doc = (await res.json()) as Doc;
    expect(doc.flags.map((f) => f.code)).not.toContain("ATTENDANCE_BELOW_THRESHOLD");

    const patch = (version: number, present: number) =>
      app.request(`/api/meetings/${doc.id}`, {
        method: "PATCH",
        headers: { ...insp, "if-match": `"${version}"`, "content-type": "application/json" },
        body: JSON.stringify({
          changes: [
            { field: "attendance.present", value: present },
            { field: "attendance.absentExcused", value: 18 - present },
          ],
          reason: "đọc sai số có mặt",
        }),
      });
    const down = await patch(1, 14);
    expect(down.status).toBe(200);
    const d2 = (await down.json()) as Doc;
    expect(d2.version).toBe(2);
    expect(d2.meeting.attendance.present).toBe(14);
    expect(d2.flags.map((f) => f.code)).toContain("ATTENDANCE_BELOW_THRESHOLD");

    const flagged = (await (await app.request("/api/orgs/huyen-dong-son/flagged?month=2026-11&code=ATTENDANCE_BELOW_THRESHOLD", { headers: insp })).json()) as {
      items: Doc[];
      countsByCode: Record<string, number>;
    };
    expect(flagged.items.map((m) => m.id)).toContain(doc.id);
    expect(flagged.countsByCode.ATTENDANCE_BELOW_THRESHOLD).toBeGreaterThanOrEqual(1);
    // a row, not the whole meeting: the document is at its url
    const row = flagged.items.find((m) => m.id === doc.id) as unknown as Record<string, unknown> & { meeting: Record<string, unknown> };
    expect(row).toMatchObject({ version: 2, url: `/api/meetings/${doc.id}`, review: expect.any(Object) });
    expect(Object.keys(row.meeting).sort()).toEqual(["cellName", "kind", "meetingDate"]);
    expect(row).not.toHaveProperty("confidence");

    const up = await patch(2, 17);
    const d3 = (await up.json()) as Doc;
    expect(d3.flags.map((f) => f.code)).not.toContain("ATTENDANCE_BELOW_THRESHOLD");

    const audit = (await (await app.request(`/api/meetings/${doc.id}/audit`, { headers: insp })).json()) as {
      items: { action: string; field: string | null; oldValue: unknown; newValue: unknown; actor: string; reason: string | null }[];
    };
    const present = audit.items.filter((a) => a.field === "attendance.present");
    expect(present.map((a) => [a.oldValue, a.newValue])).toEqual([
      [17, 14],
      [14, 17],
    ]);
    expect(present[0]?.actor).toBe("kiem-tra-1");
    expect(present[0]?.reason).toBe("đọc sai số có mặt");
    expect(audit.items[0]?.action).toBe("extracted");
  });

  it("two concurrent corrections of the same version: one wins, one gets 412 and changes nothing", async () => {
    const insp = await bearer("inspector", "huyen-dong-son");
    const res = await upload(await bearer("secretary", CELL), CELL, [await engine.page(minutesText({ date: "2026-11-24", present: 16, total: 18 }))]);
    const doc = (await res.json()) as Doc;
    const send = (chair: string) =>
      app.request(`/api/meetings/${doc.id}`, {
        method: "PATCH",
        headers: { ...insp, "if-match": '"1"', "content-type": "application/json" },
        body: JSON.stringify({ changes: [{ field: "chair", value: chair }] }),
      });
    const [a, b] = await Promise.all([send("Nguyễn Văn Một"), send("Nguyễn Văn Hai")]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const loser = a.status === 412 ? a : b;
    expect(((await loser.json()) as { error: { code: string } }).error.code).toBe("VERSION_CONFLICT");
    const winner = (await (a.status === 200 ? a : b).json()) as { meeting: { chair: string } };
    const stored = (await (await app.request(`/api/meetings/${doc.id}`, { headers: insp })).json()) as Doc & { meeting: { chair: string } };
    expect(stored.version).toBe(2);
    expect(stored.meeting.chair).toBe(winner.meeting.chair);
    const audit = (await (await app.request(`/api/meetings/${doc.id}/audit`, { headers: insp })).json()) as { items: { field: string | null }[] };
    expect(audit.items.filter((e) => e.field === "chair")).toHaveLength(1);
  });

  it("rejects malformed corrections and requests", async () => {
    const insp = await bearer("inspector", "huyen-dong-son");
    const res = await upload(await bearer("secretary", CELL), CELL, [await engine.page(minutesText({ date: "2026-11-25", present: 16, total: 18 }))]);
    const { id } = (await res.json()) as Doc;
    const patch = (body: string, ifMatch?: string) =>
      app.request(`/api/meetings/${id}`, { method: "PATCH", headers: { ...insp, "content-type": "application/json", ...(ifMatch ? { "if-match": ifMatch } : {}) }, body });
    expect((await patch("{not json", '"1"')).status).toBe(400);
    expect((await patch(JSON.stringify({ changes: [{ field: "attendance.present", value: "mười" }] }), '"1"')).status).toBe(400);
    expect((await patch(JSON.stringify({ changes: [{ field: "__proto__", value: 1 }] }), '"1"')).status).toBe(400);
    expect((await patch(JSON.stringify({ changes: [{ field: "startTime", value: "25:00" }] }), '"1"')).status).toBe(400);
    expect((await patch(JSON.stringify({ changes: [{ field: "chair", value: "X".repeat(5000) }] }), '"1"')).status).toBe(400);
    expect((await patch(JSON.stringify({ changes: [{ field: "chair", value: "A B" }] }))).status).toBe(428);
    expect((await app.request("/api/orgs/huyen-dong-son/flagged?month=2026-13", { headers: insp })).status).toBe(400);
    expect((await app.request("/api/orgs/huyen-dong-son/flagged?month=2026-11&code=a%20OR%20b", { headers: insp })).status).toBe(400);
    expect((await app.request("/api/orgs/huyen-dong-son/flagged?month=2026-11&cursor=%3Aboom", { headers: insp })).status).toBe(400);
    expect((await app.request(`/api/meetings/not-a-uuid`, { headers: insp })).status).toBe(400);
    const stored = (await (await app.request(`/api/meetings/${id}`, { headers: insp })).json()) as Doc;
    expect(stored.version).toBe(1);
  });
});

describe("cross-meeting rule", () => {
  it("raises REPEATED_EXCUSED_ABSENCE on the fourth meeting in a row, and updates it when an earlier one is corrected", async () => {
    const cell = "cb-tay-hoa";
    const sec = await bearer("secretary", cell);
    const insp = await bearer("inspector", "xa-thanh-binh");
    const ids: string[] = [];
    for (const month of ["01", "02", "03", "04"]) {
      const r = await upload(sec, cell, [await engine.page(minutesText({ date: `2026-${month}-05`, present: 17, total: 18, absentExcused: ["Lê Văn Cường"] }))]);
      ids.push(((await r.json()) as Doc).id);
    }
    const fourth = (await (await app.request(`/api/meetings/${ids[3]}`, { headers: insp })).json()) as Doc;
    expect(fourth.flags.map((f) => f.code)).toContain("REPEATED_EXCUSED_ABSENCE");
    const third = (await (await app.request(`/api/meetings/${ids[2]}`, { headers: insp })).json()) as Doc;
    expect(third.flags.map((f) => f.code)).not.toContain("REPEATED_EXCUSED_ABSENCE");

    // the February minutes were misread: the member was present
    const fix = await app.request(`/api/meetings/${ids[1]}`, {
      method: "PATCH",
      headers: { ...insp, "if-match": '"1"', "content-type": "application/json" },
      body: JSON.stringify({
        changes: [
          { field: "attendance.absentees", value: [] },
          { field: "attendance.present", value: 18 },
          { field: "attendance.absentExcused", value: 0 },
        ],
      }),
    });
    expect(fix.status).toBe(200);
    const after = (await (await app.request(`/api/meetings/${ids[3]}`, { headers: insp })).json()) as Doc;
    expect(after.flags.map((f) => f.code)).not.toContain("REPEATED_EXCUSED_ABSENCE");
    expect(after.version).toBe(2);
  });
});

describe("documents", () => {
  it("serves an OpenAPI document generated from the schemas", async () => {
    const r = await app.request("/api/openapi.json");
    expect(r.status).toBe(200);
    const doc = (await r.json()) as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/api/meetings/{id}");
    expect(Object.keys(doc.components.schemas.ExtractionDocument?.properties ?? {})).toEqual(
      expect.arrayContaining(["schemaVersion", "meeting", "flags", "confidence", "review"]),
    );
  });
});

describe("access patterns", () => {
  it("served every request above without a Scan", () => {
    expect(commands.size).toBeGreaterThan(3);
    expect([...commands].filter((c) => /Scan/.test(c))).toEqual([]);
    expect([...commands]).toEqual(expect.arrayContaining(["GetItemCommand", "QueryCommand", "TransactWriteItemsCommand"]));
  });
});

describe("review queue", () => {
  it("pending → claimed by one inspector (others get 409) → reviewed (done), each step audited", async () => {
    const cell = "cb-an-loc";
    const text = minutesText({ date: "2026-11-06", present: 16, total: 18 }).replace("Có mặt: 16 đồng chí.", "Có mặt: ?? đồng chí.");
    const res = await upload(await bearer("secretary", cell), cell, [await engine.page(text)]);
    const doc = (await res.json()) as Doc & { review: { needed: boolean; fields: string[] }; reviewState: { state: string } | null };
    expect(doc.review.fields).toContain("attendance.present");
    expect(doc.reviewState?.state).toBe("pending");
    // an unreadable count is a question for a person, not a missing entry
    expect(doc.flags.map((f) => f.code)).not.toContain("MISSING_ATTENDANCE");

    const a = await bearer("inspector", "xa-an-phu", "kiem-tra-a");
    const b = await bearer("inspector", "huyen-tay-son", "kiem-tra-b");
    const queue = (await (await app.request("/api/orgs/huyen-tay-son/review-queue?month=2026-11", { headers: b })).json()) as { items: { id: string }[] };
    expect(queue.items.map((m) => m.id)).toContain(doc.id);

    const claim = await app.request(`/api/meetings/${doc.id}/claim`, { method: "POST", headers: { ...a, "if-match": '"1"' } });
    expect(claim.status).toBe(200);
    expect(((await claim.json()) as { reviewState: { state: string; by: string } }).reviewState).toMatchObject({ state: "in_progress", by: "kiem-tra-a" });
    expect((await app.request(`/api/meetings/${doc.id}/claim`, { method: "POST", headers: { ...b, "if-match": '"2"' } })).status).toBe(409);

    const fix = await app.request(`/api/meetings/${doc.id}`, {
      method: "PATCH",
      headers: { ...a, "if-match": '"2"', "content-type": "application/json" },
      body: JSON.stringify({ changes: [{ field: "attendance.present", value: 16 }], reason: "đọc lại trên ảnh" }),
    });
    expect(fix.status).toBe(200);
    const done = await app.request(`/api/meetings/${doc.id}/reviewed`, { method: "POST", headers: { ...a, "if-match": '"3"' } });
    const final = (await done.json()) as Doc & { review: { needed: boolean }; reviewState: { state: string; by: string } };
    expect(final.reviewState).toMatchObject({ state: "done", by: "kiem-tra-a" });
    expect(final.review.needed).toBe(false);
    expect(final.meeting.attendance.present).toBe(16);
    const after = (await (await app.request("/api/orgs/huyen-tay-son/review-queue?month=2026-11", { headers: b })).json()) as { items: { id: string }[] };
    expect(after.items.map((m) => m.id)).not.toContain(doc.id);
    const audit = (await (await app.request(`/api/meetings/${doc.id}/audit`, { headers: a })).json()) as { items: { action: string }[] };
    expect(audit.items.map((e) => e.action)).toEqual(["extracted", "claimed", "corrected", "reviewed"]);
  });
});
