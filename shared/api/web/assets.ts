/**
 * The pages' stylesheet and script, served by the app itself (no CDN) at URLs that carry a hash
 * of their content: a phone on a weak connection fetches each once and keeps it for a year; a new
 * release has new URLs, so nothing stale is ever used.
 */
import { createHash } from "node:crypto";
import type { Env as HonoEnv, Hono } from "hono";
import { CLIENT_JS } from "./client.ts";
import { CSS } from "./styles.ts";

type Asset = { path: string; body: string; type: string };

function asset(name: string, ext: string, body: string, type: string): Asset {
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
  return { path: `/web/${name}.${hash}.${ext}`, body, type };
}

export const ASSETS = {
  css: asset("app", "css", CSS, "text/css; charset=utf-8"),
  js: asset("app", "js", CLIENT_JS, "text/javascript; charset=utf-8"),
} as const;

/** Adds GET routes for the assets; call before any authentication middleware (they are public). */
export function mountAssets<E extends HonoEnv>(r: Hono<E>): void {
  for (const a of Object.values(ASSETS)) {
    r.get(a.path, (c) =>
      c.body(a.body, 200, {
        "content-type": a.type,
        "cache-control": "public, max-age=31536000, immutable",
        "x-content-type-options": "nosniff",
      }),
    );
  }
}
