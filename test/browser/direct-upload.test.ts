/**
 * A secretary on a phone, on the AWS shape of the app: no OCR engine in the API, pages go
 * straight to the bucket with presigned PUTs (a stand-in bucket on its own origin, fake-s3.ts),
 * the bucket's events reach the ingest function, and the page waits for it. OCR answers with
 * recorded text; signing, CORS, the PUTs, the S3 event, ingest, flags and the pages are real.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseUploadKey } from "../../shared/meetings/uploads.ts";
import { minutesText, RecordedEngine } from "../helpers/recorded-engine.ts";
import { audit, launchBrowser, PHONE, poll, screenshots, signIn, startDirectApp } from "./harness.ts";

const CELL = "cb-dong-hoa";
const engine = new RecordedEngine();

let app: Awaited<ReturnType<typeof startDirectApp>>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

/** The minutes in two photographs: the second starts at the discussion. */
async function twoPages(o: Parameters<typeof minutesText>[0]): Promise<[Buffer, Buffer]> {
  const lines = minutesText(o).split("\n");
  const cut = lines.findIndex((l) => l.startsWith("Ý KIẾN"));
  return [await engine.page(lines.slice(0, cut).join("\n")), await engine.page(lines.slice(cut).join("\n"))];
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => {
    open = r;
  });
  return { promise, open };
}

const bars = () => page.locator("#page-list progress").evaluateAll((els) => els.map((b) => Number(Reflect.get(b, "value"))));
const states = () => page.locator("#page-list .pstate").allTextContents();
const status = () => page.locator("#upload-status").textContent();
const choose = (files: { name: string; buffer: Buffer; mimeType?: string }[]) =>
  page.getByLabel(/Chọn ảnh có sẵn/).setInputFiles(files.map((f) => ({ mimeType: "image/png", ...f })));

beforeAll(async () => {
  [app, browser] = await Promise.all([startDirectApp(engine), launchBrowser()]);
  context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, hasTouch: true, isMobile: true, locale: "vi-VN" });
  page = await context.newPage();
  page.on("pageerror", (err) => pageErrors.push(err.message));
  page.on("console", (m) => {
    // refused PUTs and 404s while waiting are part of the tests; a script's own error is not
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) pageErrors.push(m.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe("direct upload to storage (AWS shape, secretary, phone)", () => {
  it("without JavaScript says that sending photos needs it, and offers no form that cannot work", async () => {
    const nojs = await browser.newContext({ viewport: PHONE, locale: "vi-VN", javaScriptEnabled: false });
    try {
      const p = await nojs.newPage();
      await signIn(p, app.url, "secretary", "xa-thanh-binh", "thu-ky-nojs");
      expect(await p.locator("#upload-form").getAttribute("data-upload-mode")).toBe("direct");
      expect(await p.getByRole("alert").textContent()).toContain("cần JavaScript");
      expect(await p.getByLabel(/Chọn ảnh có sẵn/).isVisible()).toBe(false);
      expect(await p.getByRole("button", { name: "Gửi" }).isVisible()).toBe(false);
      expect(await screenshots(p, "direct-nojs")).toEqual([]);
    } finally {
      await nojs.close();
    }
  });

  it("sends each page to its presigned URL with its own progress, waits while the minutes are read, then opens the meeting", async () => {
    await signIn(page, app.url, "secretary", "xa-thanh-binh");
    expect(await page.locator("#upload-form").getAttribute("data-upload-mode")).toBe("direct");
    expect(await page.getByRole("alert").count()).toBe(0);
    await page.getByLabel("Chi bộ").selectOption(CELL);
    await page.getByLabel("Tháng").fill("2026-11");
    const [p1, p2] = await twoPages({ date: "2026-11-03", present: 14, total: 18 });
    await choose([
      { name: "trang-1.png", buffer: p1 },
      { name: "trang-2.png", buffer: p2 },
    ]);
    await poll(() => page.locator("#page-list li").count()).toBe(2);

    // the bucket holds the PUTs (a slow connection); page 2's first PUT will fail once with 503
    const puts = gate();
    const events = gate();
    app.s3.holdPuts = puts.promise;
    app.s3.hold = events.promise;
    app.s3.failOnce.add("/page-2");
    await page.getByRole("button", { name: "Gửi" }).click();
    await poll(states).toEqual(["đang gửi", "chờ gửi"]);
    // the list is locked while sending: a reorder now would send pages to each other's URLs
    expect(await page.getByRole("button", { name: "Gửi" }).isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Lên: Trang 2" }).isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Bỏ: Trang 1" }).isDisabled()).toBe(true);
    expect(await page.getByLabel(/Chọn ảnh có sẵn/).isDisabled()).toBe(true);
    expect(await screenshots(page, "direct-sending")).toEqual([]);

    // all bytes in storage: every bar at 100 %, and the page says it is reading the minutes
    puts.open();
    await poll(bars).toEqual([100, 100]);
    await poll(status).toContain("Đang đọc biên bản");
    expect(await states()).toEqual(["đã gửi", "đã gửi"]);
    expect(await screenshots(page, "direct-reading")).toEqual([]);

    // what the bucket received: from the app's origin, with the signed type and exact sizes;
    // page 2 tried again after the 503
    const received = app.s3.puts.map((r) => ({ page: r.key.split("/").pop(), status: r.status, type: r.contentType, length: r.contentLength, origin: r.origin }));
    expect(received).toEqual([
      { page: "page-1", status: 200, type: "image/png", length: p1.length, origin: app.url },
      { page: "page-2", status: 503, type: "image/png", length: p2.length, origin: app.url },
      { page: "page-2", status: 200, type: "image/png", length: p2.length, origin: app.url },
    ]);
    const key1 = app.s3.puts[0]?.key ?? "";
    const upload = parseUploadKey(key1);
    expect(upload?.cellId).toBe(CELL);
    expect((await app.blobs.get(key1))?.bytes.equals(p1)).toBe(true);
    expect((await app.blobs.get(app.s3.puts[2]?.key ?? ""))?.bytes.equals(p2)).toBe(true);
    // the ingest function has not run: nothing recorded, the page keeps asking
    expect(await app.store.getUploadState(upload?.uploadId ?? "")).toBeNull();

    events.open();
    await page.waitForURL(/\/meetings\/[0-9a-f-]{36}\?uploadMonth=2026-11$/);
    const id = new URL(page.url()).pathname.split("/").pop() ?? "";
    expect((await app.store.getUploadState(upload?.uploadId ?? ""))?.meetingId).toBe(id);
    const record = await app.store.getMeeting(id);
    expect(record?.cellId).toBe(CELL);
    expect(record?.pages.map((p) => p.bytes)).toEqual([p1.length, p2.length]);
    const codes = record?.document.flags.map((f) => f.code) ?? [];
    // 14 of 18 present is not over 85 %
    expect(codes).toContain("ATTENDANCE_BELOW_THRESHOLD");
    expect(await page.locator("#detail .flags li").evaluateAll((lis) => lis.map((li) => li.getAttribute("data-code")))).toEqual(codes);
    expect(await audit(page)).toEqual([]);
    expect(app.s3.failedDeliveries).toEqual([]);
  });

  it("a page that storage refuses: a clear error, nothing stored, and sending again works", async () => {
    await page.goto(`${app.url}/`);
    const [p1, p2] = await twoPages({ date: "2026-12-02", present: 17, total: 18 });
    await choose([
      { name: "trang-1.png", buffer: p1 },
      { name: "trang-2.png", buffer: p2 },
    ]);
    const before = app.s3.puts.length;
    // page 1's signature is for one byte more than the photo: the bucket refuses it (403)
    app.s3.skewNextSignedSize = 1;
    await page.getByRole("button", { name: "Gửi" }).click();
    await poll(status).toContain("Kho lưu trữ từ chối Trang 1");
    expect(await status()).toContain("chưa được lưu");
    expect(await page.evaluate("document.activeElement && document.activeElement.id")).toBe("upload-status");
    expect(await states()).toEqual(["bị từ chối", "chờ gửi"]);
    expect(await bars()).toEqual([0, 0]);
    expect(await page.getByRole("button", { name: "Gửi" }).isEnabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Lên: Trang 2" }).isEnabled()).toBe(true);
    expect(await screenshots(page, "direct-refused")).toEqual([]);

    // one PUT, refused and not repeated (a refusal cannot get better); page 2 was never sent
    const attempts = app.s3.puts.slice(before);
    expect(attempts.map((r) => [r.key.split("/").pop(), r.status])).toEqual([["page-1", 403]]);
    const upload = parseUploadKey(attempts[0]?.key ?? "");
    const prefix = `uploads/${upload?.cellId}/${upload?.uploadId}`;
    expect(await app.blobs.size(`${prefix}/page-1`)).toBeNull();
    expect(await app.blobs.size(`${prefix}/page-2`)).toBeNull();
    await app.s3.settled();
    expect(await app.store.getUploadState(upload?.uploadId ?? "")).toBeNull();
    const cellPath = (await app.store.getOrg(CELL))?.path ?? "";
    expect((await app.store.listMeetings({ orgPath: cellPath, month: "2026-12" })).items).toEqual([]);

    // Send again: a new upload with fresh signatures goes through
    await page.getByRole("button", { name: "Gửi" }).click();
    await page.waitForURL(/\/meetings\/[0-9a-f-]{36}/);
    expect((await app.store.listMeetings({ orgPath: cellPath, month: "2026-12" })).items).toHaveLength(1);
  });

  it("an upload the ingest function cannot read says why, with the reason code", async () => {
    await page.goto(`${app.url}/`);
    // a file that claims to be a JPEG photograph but is not an image at all
    await choose([{ name: "trang-1.jpg", mimeType: "image/jpeg", buffer: Buffer.from("this is not a photograph of any page\n".repeat(20)) }]);
    await page.getByRole("button", { name: "Gửi" }).click();
    await poll(status).toContain("(NOT_AN_IMAGE)");
    expect(await status()).toContain("không phải là ảnh đọc được");
    expect(await page.getByRole("button", { name: "Gửi" }).isEnabled()).toBe(true);
    expect(new URL(page.url()).pathname).toBe("/");
    expect(await screenshots(page, "direct-failed")).toEqual([]);
  });

  it("refuses a photo type storage would not take before sending anything", async () => {
    await page.goto(`${app.url}/`);
    const before = app.s3.puts.length;
    await choose([{ name: "trang-1.heic", mimeType: "image/heic", buffer: await engine.page("x") }]);
    await page.getByRole("button", { name: "Gửi" }).click();
    await poll(status).toContain("Trang 1 không phải ảnh JPEG, PNG, WebP hoặc TIFF");
    expect(app.s3.puts.length).toBe(before);
  });

  it("stops waiting after three minutes with a message that the minutes will appear later", async () => {
    // the S3 event never reaches the ingest function; the page's clock is fast-forwarded
    app.s3.deliverEvents = false;
    await page.clock.install();
    await page.goto(`${app.url}/`);
    const [p1] = await twoPages({ date: "2026-10-06", present: 18, total: 18 });
    await choose([{ name: "trang-1.png", buffer: p1 }]);
    await page.getByRole("button", { name: "Gửi" }).click();
    await poll(status).toContain("Đang đọc biên bản");
    await page.clock.fastForward("02:50");
    // still waiting, still asking
    expect(await status()).toContain("Đang đọc biên bản");
    await page.clock.fastForward("00:15");
    await poll(status).toContain("lâu hơn thường lệ");
    expect(await status()).toContain("không cần gửi lại");
    // the pages are in storage: the list is cleared so that Send is for the next meeting
    expect(await page.locator("#page-list li").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Gửi" }).isEnabled()).toBe(true);
    expect(await screenshots(page, "direct-slow")).toEqual([]);
  });

  it("ran without a script error", () => {
    expect(pageErrors).toEqual([]);
  });
});
