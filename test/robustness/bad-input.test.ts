/**
 * Bad input through the HTTP API: each case gets a clear error in both languages, and nothing is
 * stored — no meeting, no ingest key, no audit item, no page file. One app for the whole file.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { pdfToImages } from "../../shared/extraction/pdf.ts";
import { InvalidInputError } from "../../shared/errors.ts";
import { minutesText } from "../helpers/recorded-engine.ts";
import { blankPng, lyingPng, pdfWithPages, streamedMultipart, truncatedJpeg } from "./images.ts";
import { CELL, harness, type ErrorJson, type Harness } from "./harness.ts";

let h: Harness;
let sec: Record<string, string>;
let insp: Record<string, string>;
let admin: Record<string, string>;
let meetingId: string;

const fakeSigner = { signPut: async (key: string) => `https://example.invalid/${key}` };

beforeAll(async () => {
  h = await harness({ deps: { signer: fakeSigner } });
  sec = await h.bearer("secretary", CELL);
  insp = await h.bearer("inspector", "huyen-dong-son");
  admin = await h.bearer("admin", "huyen-dong-son");
  const res = await h.upload(sec, CELL, [await h.engine.page(minutesText({ date: "2026-11-03", present: 16, total: 18 }))]);
  expect(res.status).toBe(201);
  meetingId = ((await res.json()) as { id: string }).id;
});

/** The error body: a stable code, a Vietnamese and an English message, nothing else. */
async function expectError(res: Response, status: number, code: string | RegExp): Promise<ErrorJson> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/application\/json/);
  const body = (await res.json()) as ErrorJson;
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error.code).toMatch(code);
  expect(body.error.message.length).toBeGreaterThan(5);
  expect(body.error.messageEn.length).toBeGreaterThan(5);
  // never a stack trace, a path on the server or a vendor's message
  expect(JSON.stringify(body)).not.toMatch(/\/work\/|node_modules|at .*\.ts:|vips|sharp|Error:/);
  return body;
}

/** Runs a bad request and checks the store did not change. */
async function refused(send: () => Response | Promise<Response>, status: number, code: string | RegExp): Promise<ErrorJson> {
  const before = await h.stored();
  const body = await expectError(await send(), status, code);
  expect(await h.stored()).toEqual(before);
  return body;
}

describe("uploads (POST /api/meetings)", () => {
  it("a file that is not an image", async () => {
    await refused(() => h.upload(sec, CELL, [new Blob(["hello, not a picture"], { type: "image/jpeg" })]), 415, "NOT_AN_IMAGE");
    // a GIF, labelled PNG: judged by its bytes, not the label
    await refused(() => h.upload(sec, CELL, [new Blob([Buffer.from("GIF89a\x01\x00\x01\x00\x00\x00\x00;", "latin1")], { type: "image/png" })]), 415, "NOT_AN_IMAGE");
  });

  it("a truncated JPEG", async () => {
    await refused(async () => h.upload(sec, CELL, [await truncatedJpeg()]), 415, "NOT_AN_IMAGE");
  });

  it("a PNG whose header lies about its size", async () => {
    await refused(() => h.upload(sec, CELL, [lyingPng(3000, 4000)]), 415, "NOT_AN_IMAGE");
  });

  it("a PDF of a hundred pages: the API takes images only, the PDF reader stops before rasterising", async () => {
    const pdf = await pdfWithPages(100);
    const body = await refused(() => h.upload(sec, CELL, [pdf]), 415, "NOT_AN_IMAGE");
    expect(body.error.messageEn).toMatch(/JPEG/);
    const t0 = performance.now();
    const err = await pdfToImages(pdf).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err).toMatchObject({ code: "TOO_MANY_PAGES", status: 413 });
    // pdfinfo only: rasterising 100 pages at 200 dpi would take far longer
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it("a 60-megapixel image is refused by the pixel limit", async () => {
    const png = blankPng(8000, 7500);
    const body = await refused(() => h.upload(sec, CELL, [png]), 413, "IMAGE_TOO_LARGE");
    expect(body.error.messageEn).toMatch(/40 megapixels/);
  });

  it("a decompression bomb (≈60 KB declaring 400 MP) is refused from its header, quickly", async () => {
    const bomb = blankPng(20_000, 20_000, 1);
    expect(bomb.length).toBeLessThan(200_000);
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    await refused(() => h.upload(sec, CELL, [bomb]), 413, "IMAGE_TOO_LARGE");
    expect(performance.now() - t0).toBeLessThan(3000);
    // decoding it would take 400 MB
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(150 * 1024 * 1024);
  });

  it("a zero-byte file", async () => {
    await refused(() => h.upload(sec, CELL, [Buffer.alloc(0)]), 400, "EMPTY_FILE");
  });

  it("no page, or only text fields", async () => {
    await refused(() => h.upload(sec, CELL, []), 400, "NO_PAGES");
    const form = new FormData();
    form.set("cellId", CELL);
    form.set("pages", "not a file");
    await refused(() => h.app.request("/api/meetings", { method: "POST", body: form, headers: sec }), 400, "NO_PAGES");
  });

  it("the wrong content type, and a broken multipart body", async () => {
    for (const type of ["application/json", "text/plain", "application/x-www-form-urlencoded", "image/png"]) {
      await refused(() => h.app.request("/api/meetings", { method: "POST", body: "cellId=cb-dong-hoa", headers: { ...sec, "content-type": type } }), 415, "UNSUPPORTED_MEDIA_TYPE");
    }
    await refused(() => h.app.request("/api/meetings", { method: "POST", headers: sec }), 415, "UNSUPPORTED_MEDIA_TYPE");
    await refused(
      () => h.app.request("/api/meetings", { method: "POST", body: "--x\r\nContent-Disposition: form-data; name=\"cellId\"\r\n\r\ncb-dong", headers: { ...sec, "content-type": "multipart/form-data; boundary=x" } }),
      400,
      /BAD_MULTIPART|MISSING_FIELD/,
    );
    await refused(() => h.app.request("/api/meetings", { method: "POST", body: "garbage", headers: { ...sec, "content-type": "multipart/form-data" } }), 400, "BAD_MULTIPART");
  });

  it("a bad cell id: path traversal, control characters, too long, unknown", async () => {
    const page = await h.engine.page("x");
    for (const cellId of ["../../etc", "cb-dong-hoa/../x", "cb\u0000dong", "CB-DONG-HOA", "x".repeat(64), "#cb", ":pk"]) {
      await refused(() => h.upload(sec, cellId, [page]), 400, "INVALID_INPUT");
    }
    await refused(() => h.upload(admin, "khong-co", [page]), 404, "NOT_FOUND");
  });

  it("file names with path traversal or control characters are ignored: keys come from the content", async () => {
    const names = ["../../../../etc/passwd", "..\\..\\win.ini", "a\u0000b\r\nX-Injected: 1.png", "%2e%2e%2fx.png", "/abs/path.png", `${"ả".repeat(300)}.png`];
    const pages = await Promise.all(names.map((_, i) => h.engine.page(minutesText({ date: `2026-10-0${i + 1}`, present: 15, total: 18 }))));
    const res = await h.upload(sec, CELL, pages, names);
    expect(res.status).toBe(201);
    const doc = (await res.json()) as { id: string; pages: { n: number; url: string }[] };
    expect(doc.pages.map((p) => p.url)).toEqual(names.map((_, i) => `/api/meetings/${doc.id}/pages/${i + 1}`));
    const stored = await h.store.getMeeting(doc.id);
    for (const p of stored?.pages ?? []) expect(p.key).toMatch(new RegExp(`^pages/${CELL}/[0-9a-f]{64}\\.png$`));
    expect(JSON.stringify(stored)).not.toMatch(/passwd|win\.ini|Injected|%2e/);
    // nothing outside the blob folder's pages/ tree
    const { readdirSync } = await import("node:fs");
    expect(readdirSync(h.blobDir)).toEqual(["pages"]);
    // and a page number that is not one
    for (const n of ["..%2f..%2fetc%2fpasswd", "0", "-1", "1e9", "abc"]) {
      const r = await h.app.request(`/api/meetings/${doc.id}/pages/${n}`, { headers: sec });
      expect([400, 404], n).toContain(r.status);
    }
  });
});

describe("a 50 MB upload is refused before it is read whole", () => {
  const FIFTY_MB = 50 * 1024 * 1024;

  it("declared by Content-Length: refused at once, nothing read", async () => {
    const s = streamedMultipart(FIFTY_MB, CELL);
    await refused(
      () => h.app.request("/api/meetings", { method: "POST", body: s.body, headers: { ...sec, "content-type": s.contentType, "content-length": String(s.length) }, duplex: "half" } as RequestInit),
      413,
      "PAYLOAD_TOO_LARGE",
    );
    expect(s.pulled()).toBeLessThan(FIFTY_MB / 2);
  });

  it("streamed without a length: reading stops at the limit", async () => {
    const s = streamedMultipart(FIFTY_MB, CELL);
    await refused(
      () => h.app.request("/api/meetings", { method: "POST", body: s.body, headers: { ...sec, "content-type": s.contentType, "transfer-encoding": "chunked" }, duplex: "half" } as RequestInit),
      413,
      "PAYLOAD_TOO_LARGE",
    );
    expect(s.pulled()).toBeLessThan(FIFTY_MB);
  });
});

describe("JSON endpoints: malformed JSON, wrong types, over-long strings", () => {
  const json = (headers: Record<string, string>, method: string, path: string, body: string, extra: Record<string, string> = {}) =>
    h.app.request(path, { method, body, headers: { ...headers, "content-type": "application/json", ...extra } });

  const MALFORMED = ["{not json", "", "{\"changes\": [", "\u0000", "[1,2", "{\"a\":1}}", "nul"];

  it("PATCH /api/meetings/:id", async () => {
    const patch = (body: string) => json(insp, "PATCH", `/api/meetings/${meetingId}`, body, { "if-match": '"1"' });
    for (const b of MALFORMED) await refused(() => patch(b), 400, /INVALID_JSON|INVALID_INPUT/);
    const wrong: unknown[] = [
      null,
      42,
      "changes",
      [],
      {},
      { changes: [] },
      { changes: "chair" },
      { changes: [{ field: "chair" }] },
      { changes: [{ field: "attendance.present", value: "mười sáu" }] },
      { changes: [{ field: "attendance.present", value: -1 }] },
      { changes: [{ field: "attendance.present", value: 1.5 }] },
      // an impossible date must be refused as input, not crash the store write (500)
      { changes: [{ field: "meetingDate", value: "2026-13-01" }] },
      { changes: [{ field: "meetingDate", value: "2026-02-30" }] },
      { changes: [{ field: "startTime", value: "25:00" }] },
      { changes: [{ field: "kind", value: "weekly" }] },
      { changes: [{ field: "signatures.chair", value: "yes" }] },
      { changes: [{ field: "votes", value: [{ subject: "x", agree: "all" }] }] },
      { changes: [{ field: "__proto__", value: { polluted: true } }] },
      { changes: [{ field: "constructor.prototype", value: 1 }] },
      { changes: [{ field: "document.meeting.chair", value: "x" }] },
      { changes: [{ field: "chair", value: "X".repeat(5000) }] },
      { changes: [{ field: "chair", value: "Nguyễn Văn A" }], reason: "r".repeat(1001) },
      { changes: [{ field: "chair", value: "Nguyễn Văn A" }], reason: 7 },
      { changes: Array.from({ length: 100 }, () => ({ field: "chair", value: "A" })) },
    ];
    for (const b of wrong) await refused(() => patch(JSON.stringify(b)), 400, /INVALID_INPUT|INVALID_CORRECTION/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const stored = await h.store.getMeeting(meetingId);
    expect(stored?.version).toBe(1);
    // If-Match itself
    for (const v of ['"0"', '"-1"', '"abc"', '"1.5"', "*", ""]) {
      await refused(() => json(insp, "PATCH", `/api/meetings/${meetingId}`, JSON.stringify({ changes: [{ field: "chair", value: "A B" }] }), { "if-match": v }), 428, "IF_MATCH_REQUIRED");
    }
  });

  it("POST /api/orgs", async () => {
    for (const b of MALFORMED) await refused(() => json(admin, "POST", "/api/orgs", b), 400, /INVALID_JSON|INVALID_INPUT/);
    const wrong: unknown[] = [
      [],
      { id: "cb-moi", name: "Chi bộ mới", kind: "cell" },
      { id: "cb-moi", name: 5, kind: "cell", parentId: "xa-thanh-binh" },
      { id: "cb-moi", name: "Chi bộ mới", kind: "club", parentId: "xa-thanh-binh" },
      { id: "../cb", name: "Chi bộ mới", kind: "cell", parentId: "xa-thanh-binh" },
      { id: "cb#moi", name: "Chi bộ mới", kind: "cell", parentId: "xa-thanh-binh" },
      { id: "cb-moi", name: "N".repeat(301), kind: "cell", parentId: "xa-thanh-binh" },
      { id: "cb-moi", name: "", kind: "cell", parentId: "xa-thanh-binh" },
    ];
    for (const b of wrong) {
      const before = await h.store.listSubtree(null);
      const res = await json(admin, "POST", "/api/orgs", JSON.stringify(b));
      expect([400, 403], JSON.stringify(b).slice(0, 80)).toContain(res.status);
      await expectError(res, res.status, /INVALID_INPUT|FORBIDDEN/);
      expect(await h.store.listSubtree(null)).toEqual(before);
    }
  });

  it("POST /api/orgs/:orgId/members", async () => {
    const path = `/api/orgs/${CELL}/members`;
    for (const b of MALFORMED) await refused(() => json(admin, "POST", path, b), 400, /INVALID_JSON|INVALID_INPUT/);
    const wrong: unknown[] = [
      null,
      { id: "m1", name: "Lê Văn A", status: "retired" },
      { id: "m1", name: "L", status: "official" },
      { id: "m1", name: "L".repeat(201), status: "official" },
      { id: "m 1/..", name: "Lê Văn A", status: "official" },
      { id: "m1", name: ["Lê"], status: "official" },
      { id: "m1", name: "Lê Văn A", status: "official", exempt: "no" },
    ];
    for (const b of wrong) await refused(() => json(admin, "POST", path, JSON.stringify(b)), 400, "INVALID_INPUT");
    expect(await h.store.listMembers(CELL)).toEqual([]);
    // the cell comes from the path, never from the body
    const moved = await json(admin, "POST", path, JSON.stringify({ id: "m2", name: "Lê Văn Bình", status: "official", cellId: "cb-an-loc" }));
    expect(moved.status).toBe(201);
    expect((await h.store.listMembers("cb-an-loc")).map((m) => m.id)).not.toContain("m2");
  });

  it("POST /api/uploads", async () => {
    for (const b of MALFORMED) await refused(() => json(sec, "POST", "/api/uploads", b), 400, /INVALID_JSON|INVALID_INPUT/);
    const wrong: unknown[] = [
      { cellId: CELL },
      { cellId: CELL, pages: [] },
      { cellId: CELL, pages: [{ contentType: "text/html", bytes: 10 }] },
      // a PDF goes alone, never mixed with images
      { cellId: CELL, pages: [{ contentType: "application/pdf", bytes: 10 }, { contentType: "image/png", bytes: 10 }] },
      { cellId: CELL, pages: [{ contentType: "image/png", bytes: 0 }] },
      { cellId: CELL, pages: [{ contentType: "image/png", bytes: "10" }] },
      { cellId: CELL, pages: [{ contentType: "image/png", bytes: 1.5 }] },
      { cellId: "../x", pages: [{ contentType: "image/png", bytes: 10 }] },
    ];
    for (const b of wrong) await refused(() => json(sec, "POST", "/api/uploads", JSON.stringify(b)), 400, "INVALID_INPUT");
    await refused(() => json(sec, "POST", "/api/uploads", JSON.stringify({ cellId: CELL, pages: [{ contentType: "image/png", bytes: 50 * 1024 * 1024 }] })), 413, "PAYLOAD_TOO_LARGE");
    await refused(
      () => json(sec, "POST", "/api/uploads", JSON.stringify({ cellId: CELL, pages: Array.from({ length: 21 }, () => ({ contentType: "image/png", bytes: 10 })) })),
      413,
      "TOO_MANY_PAGES",
    );
  });

  it("POST /api/orgs/import with a broken CSV", async () => {
    const before = await h.store.listSubtree(null);
    for (const csv of ["id,name\n\"unterminated", "a;b;c\n1;2;3", "\u0000\u0001", ""]) {
      const res = await h.app.request("/api/orgs/import", { method: "POST", body: csv, headers: { ...admin, "content-type": "text/csv" } });
      // an error, or (for a file with no rows at all) an answer saying nothing was imported
      if (res.status === 201) expect(await res.json(), JSON.stringify(csv)).toEqual({ orgs: 0, members: 0 });
      else await expectError(res, 400, /CSV|INVALID/);
    }
    expect(await h.store.listSubtree(null)).toEqual(before);
  });
});

describe("query strings", () => {
  const get = (path: string) => h.app.request(path, { headers: insp });

  it("a month like 2026-13, and other malformed months, on every listing", async () => {
    for (const route of ["flagged", "meetings", "review-queue"]) {
      for (const month of ["2026-13", "2026-00", "2026-1", "26-11", "2026-11-01", "２０２６-11", "2026-11%00", ""]) {
        await refused(() => get(`/api/orgs/huyen-dong-son/${route}?month=${month}`), 400, "INVALID_INPUT");
      }
    }
    await refused(() => get("/api/orgs/huyen-dong-son/flagged?from=2026-01&to=2026-13"), 400, "INVALID_INPUT");
    await refused(() => get("/api/orgs/huyen-dong-son/flagged?from=2026-05&to=2026-01"), 400, "INVALID_INPUT");
  });

  it("DynamoDB expression characters are data, never expression", async () => {
    const hostile = [":pk", "#doc", "a OR b", "begins_with(GSI1SK, :prefix)", ") OR (1=1", "GSI2PK = :pk", "\"x\"", "${x}", "%00"];
    for (const v of hostile) {
      const q = encodeURIComponent(v);
      await refused(() => get(`/api/orgs/huyen-dong-son/flagged?month=2026-11&code=${q}`), 400, "INVALID_INPUT");
      await refused(() => get(`/api/orgs/huyen-dong-son/flagged?month=2026-11&kind=${q}`), 400, "INVALID_INPUT");
      await refused(() => get(`/api/orgs/huyen-dong-son/flagged?month=2026-11&cell=${q}`), 400, "INVALID_INPUT");
      await refused(() => get(`/api/orgs/huyen-dong-son/flagged?month=2026-11&review=${q}`), 400, "INVALID_INPUT");
      await refused(() => get(`/api/orgs/huyen-dong-son/flagged?month=2026-11&sort=${q}`), 400, "INVALID_INPUT");
      await refused(() => get(`/api/orgs/huyen-dong-son/flagged?month=2026-11&limit=${q}`), 400, "INVALID_INPUT");
      const r = await get(`/api/orgs/${q}/flagged?month=2026-11`);
      expect([400, 404], v).toContain(r.status);
    }
    await refused(() => get("/api/orgs/huyen-dong-son/flagged?month=2026-11&limit=100000"), 400, "INVALID_INPUT");
    await refused(() => get(`/api/orgs/huyen-dong-son/flagged?month=2026-11&cursor=${"A".repeat(4001)}`), 400, "INVALID_INPUT");
  });

  it("a forged cursor cannot read another subtree or break the query (400, not 500)", async () => {
    // the other district's meeting, in the same tree-month partition
    const other = await h.bearer("secretary", "cb-an-loc");
    const foreign = await h.upload(other, "cb-an-loc", [await h.engine.page(minutesText({ date: "2026-11-05", present: 10, total: 18 }))]);
    expect(foreign.status).toBe(201);
    const foreignId = ((await foreign.json()) as { id: string }).id;
    const pk = "TREE#tinh-mau#2026-11";
    const forged = [
      { GSI2PK: pk, GSI2SK: "tinh-mau/huyen-tay-son/", PK: `MEETING#${foreignId}`, SK: "META" },
      { GSI2PK: pk, GSI2SK: "tinh-mau/a", PK: "MEETING#x", SK: "META" },
      { GSI2PK: pk, GSI2SK: "tinh-mau/huyen-dong-son/", PK: "MEETING#x", SK: "META", ":pk": "x" },
      { GSI2PK: "TREE#other#2026-11", GSI2SK: "other/", PK: "MEETING#x", SK: "META" },
      { GSI2PK: pk },
      { GSI2PK: pk, GSI2SK: { S: "x" } },
    ];
    for (const key of forged) {
      const inner = Buffer.from(JSON.stringify(key)).toString("base64url");
      const cursor = Buffer.from(JSON.stringify({ m: 0, c: inner })).toString("base64url");
      const res = await get(`/api/orgs/huyen-dong-son/flagged?month=2026-11&cursor=${cursor}`);
      const text = await res.clone().text();
      expect(text, JSON.stringify(key)).not.toContain(foreignId);
      await expectError(res, 400, "BAD_CURSOR");
    }
    for (const cursor of ["%3Aboom", Buffer.from("{\"m\":-1,\"c\":null}").toString("base64url"), Buffer.from("{\"m\":0,\"c\":5}").toString("base64url")]) {
      await expectError(await get(`/api/orgs/huyen-dong-son/flagged?month=2026-11&cursor=${cursor}`), 400, "BAD_CURSOR");
    }
  });

  it("ids that are not ids", async () => {
    for (const id of ["not-a-uuid", "..%2f..%2fx", "%00", encodeURIComponent("MEETING#x"), "x".repeat(500)]) {
      await refused(() => get(`/api/meetings/${id}`), 400, "INVALID_INPUT");
    }
  });
});
