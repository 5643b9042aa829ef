/**
 * A secretary on a phone: signs in, picks cell and month, chooses the pages of a sample meeting
 * (in the wrong order, then puts them right with the keyboard), sends, and sees the flags.
 * Real Tesseract reads the sample photographs (samples/02: typed, defects on purpose).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TesseractEngine } from "../../shared/extraction/tesseract.ts";
import { audit, poll, launchBrowser, PHONE, screenshots, signIn, startApp } from "./harness.ts";

const SAMPLE = join(import.meta.dirname, "../../samples/02-thuong-ky-nhieu-loi");
const CELL = "cb-dong-hoa";

let app: Awaited<ReturnType<typeof startApp>>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(new TesseractEngine({ timeoutMs: 90_000 })), launchBrowser()]);
  context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, hasTouch: true, isMobile: true, locale: "vi-VN" });
  page = await context.newPage();
  page.on("pageerror", (err) => pageErrors.push(err.message));
  page.on("console", (m) => {
    // answers like 404 and 412 are part of the tests; a script's own error is not
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) pageErrors.push(m.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe("upload (secretary, phone)", () => {
  it("signs in and remembers cell and month", async () => {
    await signIn(page, app.url, "secretary", "xa-thanh-binh");
    await poll(() => page.url()).toBe(`${app.url}/`);
    expect(await page.locator("html").getAttribute("lang")).toBe("vi");
    await page.getByLabel("Chi bộ").selectOption(CELL);
    await page.getByLabel("Tháng").fill("2026-05");
    await page.getByLabel("Tháng").dispatchEvent("change");
    await page.reload();
    expect(await page.getByLabel("Chi bộ").inputValue()).toBe(CELL);
    expect(await page.getByLabel("Tháng").inputValue()).toBe("2026-05");
    expect(await audit(page)).toEqual([]);
    // the stylesheet and the script come from the app itself, cached for good under hashed names
    for (const sel of ["link[rel=stylesheet]", "script[src]"]) {
      const url = await page.locator(sel).first().evaluate((e) => String(Reflect.get(e, "href") || Reflect.get(e, "src")));
      expect(new URL(url).origin).toBe(app.url);
      const res = await page.request.get(url);
      expect(res.status()).toBe(200);
      expect(res.headers()["cache-control"]).toContain("immutable");
      expect(res.headers()["content-type"]).toMatch(sel.startsWith("link") ? /^text\/css/ : /^text\/javascript/);
    }
  });

  it("shows thumbnails, reorders with the keyboard, removes and sends with per-page progress", async () => {
    const p1 = readFileSync(join(SAMPLE, "page-1.jpg"));
    const p2 = readFileSync(join(SAMPLE, "page-2.jpg"));
    // chosen in the wrong order, plus one page too many
    await page.getByLabel(/Chọn ảnh có sẵn/).setInputFiles([
      { name: "trang-2.jpg", mimeType: "image/jpeg", buffer: p2 },
      { name: "trang-1.jpg", mimeType: "image/jpeg", buffer: p1 },
      { name: "thua.jpg", mimeType: "image/jpeg", buffer: p1 },
    ]);
    const items = page.locator("#page-list li");
    await poll(() => items.count()).toBe(3);
    // every thumbnail loaded (a decoded image has a natural width)
    await poll(() => page.locator("#page-list img").evaluateAll((imgs) => imgs.map((i) => Number(Reflect.get(i, "naturalWidth")) > 0))).toEqual([true, true, true]);

    // keyboard: focus "Lên: Trang 2" and press Enter; focus stays with the moved page (now page 1,
    // whose "up" is disabled, so on its next control)
    await page.getByRole("button", { name: "Lên: Trang 2" }).focus();
    await page.keyboard.press("Enter");
    await poll(() => page.locator("#page-list .hint").allTextContents()).toEqual([expect.stringContaining("trang-1.jpg"), expect.stringContaining("trang-2.jpg"), expect.stringContaining("thua.jpg")]);
    expect(await page.evaluate("document.activeElement.getAttribute('aria-label')")).toBe("Xuống: Trang 1");
    await page.getByRole("button", { name: "Bỏ: Trang 3" }).click();
    await poll(() => items.count()).toBe(2);
    expect(await page.getByRole("button", { name: "Lên: Trang 1" }).isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Xuống: Trang 2" }).isDisabled()).toBe(true);
    // retake page 2: the camera opens for that page only, and the new photo takes its place
    const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.getByRole("button", { name: "Chụp lại: Trang 2" }).click()]);
    expect(chooser.isMultiple()).toBe(false);
    await chooser.setFiles({ name: "trang-2-chup-lai.jpg", mimeType: "image/jpeg", buffer: p2 });
    await poll(() => page.locator("#page-list .hint").allTextContents()).toEqual([expect.stringContaining("trang-1.jpg"), expect.stringContaining("trang-2-chup-lai.jpg")]);
    expect(await audit(page)).toEqual([]);
    expect(await screenshots(page, "upload")).toEqual([]);

    await page.getByRole("button", { name: "Gửi" }).click();
    // both bars reach 100 % once the bytes are sent, then the server reads the pages
    await poll(() => page.locator("#page-list progress").evaluateAll((bars) => bars.map((b) => Number(Reflect.get(b, "value"))))).toEqual([100, 100]);
    await page.waitForURL(/\/meetings\/[0-9a-f-]{36}/, { timeout: 90_000 });
  }, 120_000);

  it("shows the meeting's fields and flags, with the fields to review highlighted", async () => {
    const id = new URL(page.url()).pathname.split("/").pop() ?? "";
    const record = await app.store.getMeeting(id);
    expect(record).not.toBeNull();
    // the pages were stored in the order put right on the phone
    expect(record?.pages.map((p) => p.bytes)).toEqual([readFileSync(join(SAMPLE, "page-1.jpg")).length, readFileSync(join(SAMPLE, "page-2.jpg")).length]);
    const codes = record?.document.flags.map((f) => f.code) ?? [];
    // the sample's meeting lasts 60 minutes, typed clearly: Tesseract reads the times
    expect(codes).toContain("DURATION_TOO_SHORT");
    const shown = await page.locator("#detail .flags li").evaluateAll((lis) => lis.map((li) => li.getAttribute("data-code")));
    expect(shown).toEqual(codes);
    const inReview = record?.document.review.fields ?? [];
    const rows = await page.locator("table.fields tr[data-field]").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-field") ?? ""));
    const highlighted = await page.locator("table.fields tr.review").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-field") ?? ""));
    expect(highlighted.sort()).toEqual(inReview.filter((f) => rows.includes(f)).sort());
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain("Chi bộ thôn Đông Hòa");
    expect(await page.locator("img[alt='Ảnh trang 1']").evaluate((i) => Number(Reflect.get(i, "naturalWidth")))).toBeGreaterThan(100);
    // a secretary reads, an inspector corrects
    expect(await page.locator("form.correct").count()).toBe(0);
    expect(await audit(page)).toEqual([]);
    expect(await screenshots(page, "meeting-secretary")).toEqual([]);
  });

  it("reads in English after the switch", async () => {
    await page.getByRole("link", { name: "English" }).click();
    await page.waitForURL(/lang=en/);
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.getByRole("heading", { level: 2, name: /^Flags/ }).count()).toBe(1);
    await page.goto(`${app.url}/`);
    expect(await page.getByLabel("Party cell").inputValue()).toBe(CELL);
    await page.getByRole("link", { name: "Tiếng Việt" }).click();
    await page.waitForURL(/lang=vi/);
  });

  it("ran without a script error", () => {
    expect(pageErrors).toEqual([]);
  });
});
