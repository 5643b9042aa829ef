/**
 * The real app on a loopback port (DynamoDB Local table, file blobs, development sign-in) and
 * Debian's Chromium driven by playwright-core — no browser download: `.ci/run` installs the
 * `chromium` package when it is missing.
 */
import { serve } from "@hono/node-server";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { expect } from "vitest";
import { createApp, type AppDeps } from "../../shared/api/app.ts";
import { DevTokenAuthenticator, type Role } from "../../shared/auth/auth.ts";
import type { OcrEngine } from "../../shared/extraction/engine.ts";
import { ocrExtractor } from "../../shared/extraction/extractor.ts";
import { seedExampleTree } from "../../shared/orgs/seed.ts";
import { freshStore } from "../helpers/dynamo.ts";
import { FakeS3 } from "./fake-s3.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SHOTS = join(import.meta.dirname, "../../.screenshots");
export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 900 };

async function listen(deps: Omit<AppDeps, "auth" | "devTokens">) {
  const tokens = new DevTokenAuthenticator(randomBytes(32));
  const app = createApp({ ...deps, auth: tokens, devTokens: tokens });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    s.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, tokens, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The local stack: the app reads uploads itself with this engine (inline mode). */
export async function startApp(engine: OcrEngine) {
  const { store, blobs } = await freshStore();
  await seedExampleTree(store);
  const { url, tokens, close } = await listen({ store, blobs, engine });
  return { url, store, blobs, tokens, close };
}

/**
 * The AWS shape: the app has no OCR engine, only a signer (direct mode); pages go to a stand-in
 * bucket on another origin, whose S3 events reach the ingest function, which reads them with
 * `engine` (the Lambda's extractor).
 */
export async function startDirectApp(engine: OcrEngine) {
  const { store, blobs } = await freshStore();
  await seedExampleTree(store);
  const s3 = new FakeS3({ store, blobs, extractor: ocrExtractor(engine) });
  await s3.start();
  const { url, tokens, close } = await listen({ store, blobs, signer: s3.signer });
  s3.allowOrigin = url;
  return {
    url,
    store,
    blobs,
    tokens,
    s3,
    close: async () => {
      await close();
      await s3.close();
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=vi-VN"],
  });
}

/** Signs in through the development sign-in page, as a person would. */
export async function signIn(page: Page, base: string, role: Role, orgId: string, name = `${role}-test`): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel(/Tên đăng nhập|User name/).fill(name);
  await page.getByLabel(/Vai trò|Role/).selectOption(role);
  await page.getByLabel(/Tổ chức đảng|Party organisation/).selectOption(orgId);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login")), page.getByRole("button", { name: /Đăng nhập|Sign in/ }).click()]);
}

/**
 * One full-page screenshot at phone width and one at desktop width, under .screenshots/; the
 * accessibility audit runs at each width and its findings are returned (a test expects none).
 */
export async function screenshots(page: Page, name: string): Promise<string[]> {
  mkdirSync(SHOTS, { recursive: true });
  const before = page.viewportSize();
  const problems: string[] = [];
  for (const [label, size] of [["phone", PHONE], ["desktop", DESKTOP]] as const) {
    await page.setViewportSize(size);
    problems.push(...(await audit(page)).map((p) => `${label}: ${p}`));
    await page.screenshot({ path: join(SHOTS, `${name}-${label}.png`), fullPage: true });
  }
  if (before) await page.setViewportSize(before);
  return problems;
}

/**
 * What an accessibility reviewer checks first, run in the page: every form control has a label,
 * every image an alt text, every button a name, text contrast at least 4.5:1 against the
 * background it sits on (WCAG AA for normal text), one h1, a lang attribute, nothing wider than
 * the screen. A string (not a function) so no build helper leaks into the page.
 */
const AUDIT = String.raw`(() => {
  const problems = [];
  const name = (el) => el.getAttribute("aria-label") || (el.getAttribute("aria-labelledby") || "").split(/\s+/).map((id) => document.getElementById(id)?.textContent || "").join("").trim() || (el.labels && [...el.labels].map((l) => l.textContent).join("").trim()) || "";
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el); return r.width > 1 && r.height > 1 && s.visibility !== "hidden" && s.display !== "none"; };
  for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea")) if (!name(el)) problems.push("no label: " + (el.id || el.name || el.outerHTML.slice(0, 60)));
  for (const el of document.querySelectorAll("img")) if (!el.hasAttribute("alt")) problems.push("no alt: " + el.src);
  for (const el of document.querySelectorAll("button, a[href]")) if (!(el.textContent.trim() || el.getAttribute("aria-label"))) problems.push("no name: " + el.outerHTML.slice(0, 60));
  if (!document.documentElement.lang) problems.push("no lang");
  if (document.querySelectorAll("h1").length !== 1) problems.push("h1 count " + document.querySelectorAll("h1").length);
  if (document.documentElement.scrollWidth > window.innerWidth + 1) problems.push("wider than the screen: " + document.documentElement.scrollWidth + " > " + window.innerWidth);
  const rgb = (s) => { const m = s.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?/); return m ? [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]] : null; };
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const bg = (el) => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c && c[3] > 0.5) return c; } return [255, 255, 255, 1]; };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || seen.has(el) || !n.textContent.trim() || !visible(el) || el.closest(".vh, .skip, option, script, style")) continue;
    seen.add(el);
    const fg = rgb(getComputedStyle(el).color);
    if (!fg) continue;
    const a = lum(fg), b = lum(bg(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) problems.push("contrast " + ratio.toFixed(2) + ": " + n.textContent.trim().slice(0, 40));
  }
  return problems;
})()`;

export async function audit(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(AUDIT);
}

/**
 * expect.poll with room for a loaded 2-core machine (its default gives up after one second): the
 * page is waited for, never slept on.
 */
export function poll<T>(fn: () => Promise<T> | T) {
  return expect.poll(fn, { timeout: 20_000, interval: 100 });
}
