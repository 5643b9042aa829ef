/**
 * A stand-in for the pages bucket, for the browser tests only: what a phone meets in AWS when it
 * PUTs a page to its presigned URL, and what happens after.
 *
 * - Its own origin (its own port), so the browser sends a CORS preflight exactly as it does to
 *   S3; it answers like the bucket's CORS rule (infra/constructs/storage.ts allowBrowserUploads:
 *   PUT from the listed origins, the content-type header).
 * - The signer puts no content type or size in the URL, only an expiry and a signature over the
 *   key, the content type, the size and the expiry, as SigV4 with signed headers does; the route
 *   recomputes it from the headers it received, so a PUT of another type or size is refused with
 *   403 SignatureDoesNotMatch and nothing is stored.
 * - An accepted PUT is written to the FsBlobStore at the key, and then the S3 event notification
 *   is delivered to the ingest function (createIngestHandler → processUploadedObject) as S3 → SQS
 *   would: after the PUT has been answered, not inside it.
 */
import { serve } from "@hono/node-server";
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Hono } from "hono";
import type { BlobStore } from "../../shared/store/blobs.ts";
import { createIngestHandler } from "../../shared/meetings/ingest-events.ts";
import type { ProcessDeps, UploadSigner } from "../../shared/meetings/uploads.ts";
import { s3Message } from "../helpers/events.ts";

const BUCKET = "bienban-pages";
/** what the bucket's CORS rule allows (infra/constructs/storage.ts) */
const ALLOWED_HEADERS = ["content-type", "content-md5", "x-amz-checksum-sha256", "x-amz-sdk-checksum-algorithm"];

export interface PutRecord {
  key: string;
  status: number;
  contentType: string | null;
  contentLength: number | null;
  origin: string | null;
}

function s3Error(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

export class FakeS3 {
  private readonly secret = randomBytes(32);
  private server: ReturnType<typeof serve> | null = null;
  /** the page origin allowed by CORS (the app's origin, set once the app listens) */
  allowOrigin = "";
  url = "";
  /** every PUT received, in order */
  readonly puts: PutRecord[] = [];
  /** the ingest function's deliveries still running */
  private readonly deliveries = new Set<Promise<void>>();
  /** messages the ingest function reported as failed (the queue would redeliver them) */
  readonly failedDeliveries: string[] = [];
  /** while set, S3 events wait for it (the test looks at the page's state in the meantime) */
  hold: Promise<void> | null = null;
  /** false: events are lost (the ingest function never hears of the pages) */
  deliverEvents = true;
  /** key endings (e.g. "/page-2") whose next PUT fails once with 503 SlowDown, as S3 sometimes answers */
  readonly failOnce = new Set<string>();
  /** while set, PUTs wait for it before answering (the test looks at a page being sent) */
  holdPuts: Promise<void> | null = null;
  /** added to the size signed by the next signPut: that page's PUT will not match its signature */
  skewNextSignedSize = 0;

  constructor(private readonly deps: ProcessDeps & { blobs: BlobStore }) {}

  private sign(key: string, contentType: string, bytes: number, expires: number): string {
    return createHmac("sha256", this.secret).update(`${key}\n${contentType}\n${bytes}\n${expires}`).digest("hex");
  }

  readonly signer: UploadSigner = {
    signPut: async (key, contentType, bytes, expiresInSeconds) => {
      const expires = Math.floor(Date.now() / 1000) + expiresInSeconds;
      const signedBytes = bytes + this.skewNextSignedSize;
      this.skewNextSignedSize = 0;
      const q = new URLSearchParams({ "X-Amz-Expires": String(expires), "X-Amz-SignedHeaders": "content-length;content-type;host", "X-Amz-Signature": this.sign(key, contentType, signedBytes, expires) });
      return `${this.url}/${BUCKET}/${key}?${q.toString()}`;
    },
  };

  async start(): Promise<void> {
    const app = new Hono();
    const handler = createIngestHandler(this.deps);
    const cors = (origin: string | undefined): Record<string, string> =>
      origin && origin === this.allowOrigin ? { "access-control-allow-origin": origin, "access-control-expose-headers": "etag", vary: "Origin" } : {};

    app.options(`/${BUCKET}/*`, (c) => {
      const origin = c.req.header("origin");
      const method = c.req.header("access-control-request-method");
      const headers = (c.req.header("access-control-request-headers") ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
      if (!origin || origin !== this.allowOrigin || method !== "PUT" || !headers.every((h) => ALLOWED_HEADERS.includes(h))) {
        return c.body(s3Error("AccessForbidden", "CORSResponse: This CORS request is not allowed."), 403, { "content-type": "application/xml" });
      }
      return c.body(null, 200, { ...cors(origin), "access-control-allow-methods": "PUT", "access-control-allow-headers": headers.join(", "), "access-control-max-age": "3000" });
    });

    app.put(`/${BUCKET}/*`, async (c) => {
      const origin = c.req.header("origin");
      const key = decodeURIComponent(new URL(c.req.url).pathname.slice(BUCKET.length + 2));
      const contentType = c.req.header("content-type") ?? null;
      const lengthHeader = c.req.header("content-length");
      const contentLength = lengthHeader && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
      const record: PutRecord = { key, status: 0, contentType, contentLength, origin: origin ?? null };
      this.puts.push(record);
      const refuse = (status: 400 | 403 | 503, code: string, message: string) => {
        record.status = status;
        // S3 adds the CORS headers to its error answers too, so the page can read the status
        return c.body(s3Error(code, message), status, { "content-type": "application/xml", ...cors(origin) });
      };
      await this.holdPuts;
      const flaky = [...this.failOnce].find((ending) => key.endsWith(ending));
      if (flaky !== undefined) {
        this.failOnce.delete(flaky);
        return refuse(503, "SlowDown", "Please reduce your request rate.");
      }
      const expires = Number(c.req.query("X-Amz-Expires"));
      const given = Buffer.from(c.req.query("X-Amz-Signature") ?? "", "hex");
      if (!Number.isInteger(expires) || expires < Date.now() / 1000) return refuse(403, "AccessDenied", "Request has expired");
      if (contentType === null || contentLength === null) return refuse(403, "SignatureDoesNotMatch", "Signed headers missing.");
      const expected = Buffer.from(this.sign(key, contentType, contentLength, expires), "hex");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return refuse(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
      }
      const bytes = Buffer.from(await c.req.arrayBuffer());
      if (bytes.length !== contentLength) return refuse(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.");
      await this.deps.blobs.put(key, bytes, contentType);
      record.status = 200;
      if (this.deliverEvents) this.deliver(key, bytes.length);
      return c.body(null, 200, { etag: `"${createHash("md5").update(bytes).digest("hex")}"`, ...cors(origin) });
    });

    this.server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
      s.once("error", reject);
    });
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;

    // the S3 event, through the queue, to the ingest function
    this.deliver = (key: string, size: number) => {
      const message = s3Message(key, size);
      const run = (async () => {
        await this.hold;
        const result = await handler({ Records: [message] });
        this.failedDeliveries.push(...result.batchItemFailures.map((f) => f.itemIdentifier));
      })();
      this.deliveries.add(run);
      void run.finally(() => this.deliveries.delete(run));
    };
  }

  private deliver: (key: string, size: number) => void = () => undefined;

  /** waits for the ingest function to finish what it was given */
  async settled(): Promise<void> {
    while (this.deliveries.size > 0) await Promise.all([...this.deliveries]);
  }

  async close(): Promise<void> {
    await this.settled();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
