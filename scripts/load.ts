/**
 * Bounded load test, loopback only: the flagged-meetings query and the inline ingest, against the
 * real app (hono on @hono/node-server) and a real DynamoDB Local (in memory), with the OCR step
 * replaced by recorded text. Everything stops by itself: a fixed request rate for a fixed time.
 *
 *   npx tsx scripts/load.ts [--meetings 10000] [--rate 100] [--seconds 20] [--page 20] [--ingest-rate 4] [--ingest-seconds 10]
 *
 * Latency is measured from each request's SCHEDULED start (open loop at a fixed rate), so a slow
 * server cannot hide its queueing by slowing the load down (no coordinated omission). At most
 * MAX_IN_FLIGHT requests are outstanding; a request that would exceed it is counted as an error.
 *
 * The store holds a province with one meeting a month for each cell (10 000 meetings = 834 cells
 * over the 12 months of 2026, districts of 20 communes of 50 cells); the flagged queries ask for
 * November, a page of 20 rows as the dashboard shows, rotating over the province, its districts,
 * four communes and eight cells.
 *
 * Exported for `npm run bench`: measureFlaggedQuery({ meetings, rate, seconds }).
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { serve, type ServerType } from "@hono/node-server";
import sharp from "sharp";
import { createApp } from "../shared/api/app.ts";
import { DevTokenAuthenticator } from "../shared/auth/auth.ts";
import type { OcrEngine, PreparedPage } from "../shared/extraction/engine.ts";
import type { OcrLine, OcrPage } from "../shared/extraction/ocr-page.ts";
import { localClient, startDynamoDbLocal, type LocalDynamo } from "../shared/local/dynamodb-local.ts";
import { setLogLevel } from "../shared/log.ts";
import { emptyMeeting, type Meeting } from "../shared/meeting/schema.ts";
import { recheck } from "../shared/meetings/recheck.ts";
import { benchTree } from "./bench-report.ts";
import { FsBlobStore } from "../shared/store/blobs.ts";
import { ensureTable } from "../shared/store/create-table.ts";
import { DynamoStore } from "../shared/store/dynamo-store.ts";
import type { MeetingRecord, Org } from "../shared/store/records.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** The month every query asks about; the seeded meetings run over the 12 months of 2026. */
const MONTH = "2026-11";
/** Rows a page of the inspectors' dashboard shows: what the load asks for unless --page says otherwise. */
const DASHBOARD_PAGE = 20;
const MAX_IN_FLIGHT = 256;
const SEED_CONCURRENCY = 24;

export interface LoadFigures {
  requests: number;
  ok: number;
  errors: number;
  /** completed requests per second over the phase */
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const say = (s: string) => process.stderr.write(`${s}\n`);

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

/** An OcrEngine that answers recorded text for the page images it drew itself (by hash). */
class RecordedOcr implements OcrEngine {
  readonly name = "recorded";
  private readonly texts = new Map<string, string>();
  async page(text: string, n: number): Promise<Buffer> {
    // distinct sizes → distinct bytes → distinct content hashes → one new meeting per upload
    const img = await sharp({ create: { width: 200 + (n % 997), height: 280 + Math.floor(n / 997), channels: 3, background: { r: 250, g: 250, b: 245 } } }).png().toBuffer();
    this.texts.set(createHash("sha256").update(img).digest("hex"), text);
    return img;
  }
  async recognize(page: PreparedPage): Promise<OcrPage> {
    const text = this.texts.get(createHash("sha256").update(page.original).digest("hex"));
    if (text === undefined) throw new Error("no recorded OCR for this image");
    const lines: OcrLine[] = text.split("\n").filter((l) => l.trim()).map((l, row) => {
      const box = { left: 0.05, top: Math.min(0.95, 0.05 + row * 0.016), width: Math.min(0.9, l.length / 100), height: 0.013 };
      return { text: l, box, confidence: 0.95, words: l.split(/\s+/).filter(Boolean).map((w) => ({ text: w, box, confidence: 0.95 })) };
    });
    return { pageNumber: page.pageNumber, width: page.width, height: page.height, lines, signatures: [], engine: this.name };
  }
}

function minutes(day: number, present: number): string {
  const d = String(day).padStart(2, "0");
  return [
    "ĐẢNG BỘ XÃ THANH BÌNH                    ĐẢNG CỘNG SẢN VIỆT NAM",
    "CHI BỘ THÔN ĐÔNG HÒA",
    `BIÊN BẢN SINH HOẠT CHI BỘ THƯỜNG KỲ THÁNG 11/2026`,
    `Thời gian bắt đầu: 14 giờ 00, ngày ${d} tháng 11 năm 2026.`,
    "Chủ trì: đồng chí Nguyễn Văn An – Bí thư chi bộ.",
    "Thư ký: đồng chí Trần Thị Bình – Chi ủy viên.",
    "Tổng số đảng viên của chi bộ: 18 đồng chí.",
    `Có mặt: ${present} đồng chí.`,
    "Ý KIẾN THẢO LUẬN",
    "- Đồng chí Lê Văn Hùng: đề nghị chi bộ quan tâm hơn đến công tác vệ sinh môi trường.",
    `Biểu quyết thông qua Nghị quyết: tán thành ${present}/${present} đồng chí.`,
    "Buổi sinh hoạt kết thúc vào lúc 15 giờ 45 phút cùng ngày.",
  ].join("\n");
}

interface Stack {
  base: string;
  store: DynamoStore;
  token: string;
  engine: RecordedOcr;
  orgs: Org[];
  cells: Org[];
  /** the organisations the flagged queries rotate over: the province, its districts, some communes and cells */
  scopes: string[];
  stop(): Promise<void>;
}

/** A province with one meeting a month for each cell: `meetings` over 12 months. */
async function startStack(meetings: number): Promise<Stack> {
  const dynamo: LocalDynamo = await startDynamoDbLocal({ inMemory: true });
  const client = localClient(dynamo.endpoint);
  const tableName = "bienban-load";
  await ensureTable(client, tableName);
  const store = new DynamoStore(client, tableName);
  const orgs = benchTree(Math.max(1, Math.ceil(meetings / 12)));
  for (const o of orgs) await store.putOrg(o);
  const blobDir = mkdtempSync(join(tmpdir(), "bienban-load-"));
  const tokens = new DevTokenAuthenticator(randomBytes(32));
  const engine = new RecordedOcr();
  const app = createApp({ store, blobs: new FsBlobStore(blobDir), engine, auth: tokens });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const root = orgs[0];
  if (!root) throw new Error("empty tree");
  const cells = orgs.filter((o) => o.kind === "cell");
  const committees = orgs.filter((o) => o.kind === "committee");
  const scopes = [
    ...committees.filter((o) => o.path.split("/").length <= 2).map((o) => o.id),
    ...committees.filter((o) => o.path.split("/").length === 3).slice(0, 4).map((o) => o.id),
    ...cells.slice(0, 8).map((o) => o.id),
  ];
  return {
    base: `http://127.0.0.1:${port}`,
    store,
    token: await tokens.issue({ sub: "load-inspector", role: "inspector", orgId: root.id }),
    engine,
    orgs,
    cells,
    scopes,
    async stop() {
      await new Promise<void>((r) => server.close(() => r()));
      client.destroy();
      await dynamo.stop();
      rmSync(blobDir, { recursive: true, force: true });
    },
  };
}

/** N meetings, one a month for each cell of the tree, through store.createMeeting (the real item shape). */
async function seedMeetings(stack: Stack, n: number): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const cell = stack.cells[i % stack.cells.length];
      if (!cell) throw new Error("no cells");
      const month = `2026-${String(1 + (Math.floor(i / stack.cells.length) % 12)).padStart(2, "0")}`;
      const meeting: Meeting = {
        ...emptyMeeting(),
        kind: "regular",
        meetingDate: `${month}-${String(1 + (i % 28)).padStart(2, "0")}`,
        startTime: "14:00",
        endTime: i % 3 === 0 ? "15:00" : "15:45",
        durationMinutes: i % 3 === 0 ? 60 : 105,
        chair: "x",
        secretary: "y",
        attendance: { total: 18, exempt: 0, present: 12 + (i % 7), absentExcused: 6 - (i % 7), absentUnexcused: 0, absentees: [] },
      };
      const document = recheck({ meeting, confidence: {} });
      const now = new Date().toISOString();
      const record: MeetingRecord = {
        id: randomUUID(),
        cellId: cell.id,
        orgPath: cell.path,
        month,
        version: 1,
        createdAt: now,
        updatedAt: now,
        contentHash: createHash("sha256").update(`load-${i}`).digest("hex"),
        engine: "seed",
        pages: [],
        document,
      };
      await stack.store.createMeeting(record);
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
  return performance.now() - t0;
}

/** Fixed-rate open-loop load: request i starts at t0 + i/rate; stops after `seconds`. */
async function fixedRate(rate: number, seconds: number, send: (i: number) => Promise<Response>): Promise<LoadFigures> {
  const total = Math.max(1, Math.round(rate * seconds));
  const latencies: number[] = [];
  let errors = 0;
  let inFlight = 0;
  const t0 = performance.now();
  const all: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (inFlight >= MAX_IN_FLIGHT) {
      errors++;
      continue;
    }
    inFlight++;
    all.push(
      send(i)
        .then(async (res) => {
          await res.arrayBuffer();
          if (res.status >= 400) errors++;
          else latencies.push(performance.now() - due);
        })
        .catch(() => {
          errors++;
        })
        .finally(() => {
          inFlight--;
        }),
    );
  }
  await Promise.all(all);
  const elapsed = (performance.now() - t0) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    requests: total,
    ok: sorted.length,
    errors,
    rps: round(sorted.length / elapsed),
    p50: round(quantile(sorted, 0.5)),
    p95: round(quantile(sorted, 0.95)),
    p99: round(quantile(sorted, 0.99)),
    max: round(sorted.at(-1) ?? NaN),
  };
}

function flaggedLoad(stack: Stack, rate: number, seconds: number, page = DASHBOARD_PAGE): Promise<LoadFigures> {
  const headers = { authorization: `Bearer ${stack.token}` };
  const { scopes } = stack;
  return fixedRate(rate, seconds, (i) => fetch(`${stack.base}/api/orgs/${scopes[i % scopes.length]}/flagged?month=${MONTH}&limit=${page}`, { headers }));
}

async function ingestLoad(stack: Stack, rate: number, seconds: number): Promise<LoadFigures> {
  const n = Math.max(1, Math.round(rate * seconds));
  const pages = await Promise.all(Array.from({ length: n }, (_, i) => stack.engine.page(minutes(1 + (i % 28), 12 + (i % 7)), i)));
  return fixedRate(rate, seconds, (i) => {
    const cellId = stack.cells[i % stack.cells.length]?.id ?? "";
    const form = new FormData();
    form.set("cellId", cellId);
    form.append("pages", new Blob([new Uint8Array(pages[i] ?? Buffer.alloc(0))], { type: "image/png" }), "page.png");
    return fetch(`${stack.base}/api/meetings`, { method: "POST", body: form, headers: { authorization: `Bearer ${stack.token}` } });
  });
}

/** For `npm run bench`: the flagged-meetings query at a fixed rate over `meetings` stored meetings. */
export async function measureFlaggedQuery(o: { meetings: number; rate: number; seconds: number }): Promise<LoadFigures & { meetings: number; seedMs: number }> {
  setLogLevel("warn");
  const stack = await startStack(o.meetings);
  try {
    const seedMs = await seedMeetings(stack, o.meetings);
    // a short warm-up so the JIT and connection pool are not what is measured
    await fixedRate(20, 1, (i) => fetch(`${stack.base}/api/orgs/${stack.scopes[i % stack.scopes.length]}/flagged?month=${MONTH}&limit=${DASHBOARD_PAGE}`, { headers: { authorization: `Bearer ${stack.token}` } }));
    return { meetings: o.meetings, seedMs: Math.round(seedMs), ...(await flaggedLoad(stack, o.rate, o.seconds)) };
  } finally {
    await stack.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      meetings: { type: "string", default: "10000" },
      rate: { type: "string", default: "100" },
      seconds: { type: "string", default: "20" },
      "ingest-rate": { type: "string", default: "4" },
      "ingest-seconds": { type: "string", default: "10" },
      page: { type: "string", default: String(DASHBOARD_PAGE) },
    },
  });
  const num = (s: string, name: string, max: number) => {
    const n = Number(s);
    if (!Number.isFinite(n) || n <= 0 || n > max) throw new Error(`--${name} must be a number in (0, ${max}]`);
    return n;
  };
  const meetings = num(values.meetings, "meetings", 200_000);
  const rate = num(values.rate, "rate", 2000);
  const seconds = num(values.seconds, "seconds", 300);
  const ingestRate = num(values["ingest-rate"], "ingest-rate", 100);
  const ingestSeconds = num(values["ingest-seconds"], "ingest-seconds", 120);
  const page = num(values.page, "page", 200);
  setLogLevel("warn");

  const stack = await startStack(meetings);
  try {
    say(`seeding ${meetings} meetings: ${stack.cells.length} cells, one a month over 2026…`);
    const seedMs = await seedMeetings(stack, meetings);
    say(`seeded in ${(seedMs / 1000).toFixed(1)} s; warm-up…`);
    await fixedRate(20, 1, (i) => fetch(`${stack.base}/api/orgs/${stack.scopes[i % stack.scopes.length]}/flagged?month=${MONTH}&limit=${DASHBOARD_PAGE}`, { headers: { authorization: `Bearer ${stack.token}` } }));
    say(`flagged query: ${rate} req/s for ${seconds} s…`);
    const flagged = await flaggedLoad(stack, rate, seconds, page);
    say(`ingest (recorded OCR): ${ingestRate} req/s for ${ingestSeconds} s…`);
    const ingest = await ingestLoad(stack, ingestRate, ingestSeconds);
    const rows = [
      { phase: `GET flagged (${meetings} meetings, ${page} a page)`, rate, seconds, ...flagged },
      { phase: "POST /api/meetings (recorded OCR)", rate: ingestRate, seconds: ingestSeconds, ...ingest },
    ];
    const pad = (s: string | number, n: number) => String(s).padStart(n);
    process.stdout.write(`${"phase".padEnd(38)}${pad("rate", 6)}${pad("s", 5)}${pad("req", 7)}${pad("ok", 7)}${pad("err", 6)}${pad("rps", 8)}${pad("p50", 8)}${pad("p95", 8)}${pad("p99", 8)}${pad("max", 8)}  (ms)\n`);
    for (const r of rows) {
      process.stdout.write(`${r.phase.padEnd(38)}${pad(r.rate, 6)}${pad(r.seconds, 5)}${pad(r.requests, 7)}${pad(r.ok, 7)}${pad(r.errors, 6)}${pad(r.rps, 8)}${pad(r.p50, 8)}${pad(r.p95, 8)}${pad(r.p99, 8)}${pad(r.max, 8)}\n`);
    }
    process.stdout.write(`${JSON.stringify({ seedMs: Math.round(seedMs), cores: (await import("node:os")).availableParallelism(), phases: rows }, null, 2)}\n`);
  } finally {
    await stack.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    say(`load: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
