/**
 * How long the monthly report takes for N cells, on an in-memory DynamoDB Local.
 *
 *   npx tsx scripts/bench-report.ts 1000 10000
 *
 * Seeds a province: 50 cells per commune, 20 communes per district, one meeting per cell in the
 * report month, then times buildReport for the province — the whole read (the subtree's GSI1
 * range of each month, January to the report month, paged) and the computation. The renderings
 * (CSV, HTML, PDF) are timed apart: they are not part of "building" and the PDF grows with pages.
 */
import { createHash, randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { setLogLevel } from "../shared/log.ts";
import { localClient, startDynamoDbLocal } from "../shared/local/dynamodb-local.ts";
import { emptyMeeting, type Flag } from "../shared/meeting/schema.ts";
import { buildReport } from "../shared/reports/build.ts";
import { renderReport } from "../shared/reports/storage.ts";
import { ensureTable } from "../shared/store/create-table.ts";
import { DynamoStore, meetingItem } from "../shared/store/dynamo-store.ts";
import { BatchWriteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { MeetingRecord, Org } from "../shared/store/records.ts";

export interface BenchResult {
  cells: number;
  meetings: number;
  /** buildReport of the root: read + compute */
  ms: number;
  seedMs: number;
  /** CSV + HTML + PDF of the same report */
  renderMs: number;
  pdfBytes: number;
}

const MONTH = "2026-06";
const CELLS_PER_COMMUNE = 50;
const COMMUNES_PER_DISTRICT = 20;

async function inBatches<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** A province of `cells` cells: districts of 20 communes of 50 cells (the shape of the seeds' district). */
export function benchTree(cells: number): Org[] {
  const root: Org = { id: "bench", name: "Đảng bộ tỉnh Thử nghiệm", kind: "committee", parentId: null, path: "bench" };
  const orgs: Org[] = [root];
  const communes = Math.ceil(cells / CELLS_PER_COMMUNE);
  let made = 0;
  for (let c = 0; c < communes; c++) {
    const d = Math.floor(c / COMMUNES_PER_DISTRICT);
    const districtId = `h-${d}`;
    if (c % COMMUNES_PER_DISTRICT === 0) orgs.push({ id: districtId, name: `Đảng bộ huyện ${d}`, kind: "committee", parentId: root.id, path: `${root.path}/${districtId}` });
    const communeId = `x-${c}`;
    const communePath = `${root.path}/${districtId}/${communeId}`;
    orgs.push({ id: communeId, name: `Đảng bộ xã ${c}`, kind: "committee", parentId: districtId, path: communePath });
    for (let k = 0; k < CELLS_PER_COMMUNE && made < cells; k++, made++) {
      const id = `cb-${made}`;
      orgs.push({ id, name: `Chi bộ thôn ${made}`, kind: "cell", parentId: communeId, path: `${communePath}/${id}` });
    }
  }
  return orgs;
}

/** A plausible meeting: attendance 80–100 %, a flag on about a third, an excused absentee on some. */
function meeting(cell: Org, i: number): MeetingRecord {
  const total = 10 + (i % 20);
  const present = total - (i % 4);
  const flags: Flag[] = [];
  if (i % 3 === 0) flags.push({ code: "ATTENDANCE_BELOW_THRESHOLD", severity: "error", field: "attendance.present", message: "m", basis: "b" });
  if (i % 7 === 0) flags.push({ code: "MISSING_SECRETARY_SIGNATURE", severity: "error", field: "signatures.secretary", message: "m", basis: "b" });
  const date = `${MONTH}-${String(1 + (i % 28)).padStart(2, "0")}`;
  return {
    id: randomUUID(),
    cellId: cell.id,
    orgPath: cell.path,
    month: MONTH,
    version: 1,
    createdAt: `${date}T10:00:00.000Z`,
    updatedAt: `${date}T10:00:00.000Z`,
    contentHash: createHash("sha256").update(`${cell.id}#${i}`).digest("hex"),
    engine: "bench",
    pages: [],
    document: {
      schemaVersion: 1,
      meeting: {
        ...emptyMeeting(),
        kind: i % 5 === 0 ? "thematic" : "regular",
        meetingDate: date,
        startTime: "08:00",
        endTime: i % 4 === 0 ? "09:10" : "10:00",
        chair: "Nguyễn Văn An",
        secretary: "Trần Thị Bình",
        attendance: {
          total,
          exempt: 0,
          present,
          absentExcused: total - present,
          absentUnexcused: 0,
          absentees: Array.from({ length: total - present }, (_, k) => ({ name: `Đảng viên ${k}`, excused: true, reason: "ốm" })),
        },
        opinions: [{ speaker: "Lê Văn Cường", text: "Đề nghị chi bộ quan tâm hơn đến công tác phát triển đảng viên." }],
        votes: [{ subject: "Nghị quyết tháng", agree: present, disagree: 0, abstain: 0 }],
        minutesApproved: true,
        signatures: { chair: true, secretary: i % 7 !== 0 },
      },
      flags,
      confidence: {},
      review: { needed: i % 11 === 0, fields: i % 11 === 0 ? ["attendance.present"] : [] },
    },
  };
}

/**
 * Bulk insert of the items the store writes (its exported `meetingItem`), in BatchWrites:
 * createMeeting's one transaction per meeting is several times slower on DynamoDB Local. The report reads them back through DynamoStore.listMeetings, which
 * validates every item with MeetingRecordSchema, so an item the store could not read fails the bench.
 */
async function bulkInsert(client: DynamoDBClient, tableName: string, records: readonly MeetingRecord[]): Promise<void> {
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const items = records.map(meetingItem);
  const batches: (typeof items)[] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await inBatches(batches, 8, async (batch) => {
    let pending: Record<string, unknown>[] = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 10) throw new Error("bulk insert: unprocessed items after 10 attempts");
      const res = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = res.UnprocessedItems?.[tableName] ?? [];
      if (pending.length) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  });
}

export async function benchReport(options: { cells: number; concurrency?: number }): Promise<BenchResult> {
  const dynamo = await startDynamoDbLocal({ inMemory: true });
  const client = localClient(dynamo.endpoint);
  try {
    const tableName = `bench-${options.cells}`;
    await ensureTable(client, tableName);
    const store = new DynamoStore(client, tableName);
    const orgs = benchTree(options.cells);
    const cells = orgs.filter((o) => o.kind === "cell");
    const t0 = performance.now();
    await inBatches(orgs, options.concurrency ?? 32, (o) => store.putOrg(o));
    await bulkInsert(client, tableName, cells.map((c, i) => meeting(c, i)));
    const seedMs = performance.now() - t0;

    const t1 = performance.now();
    const report = await buildReport(store, { orgId: "bench", month: MONTH, now: new Date("2026-07-01T00:00:00Z") });
    const ms = performance.now() - t1;

    const t2 = performance.now();
    const files = await renderReport(report);
    const renderMs = performance.now() - t2;
    return { cells: report.totals.cells, meetings: report.totals.meetings, ms: Math.round(ms), seedMs: Math.round(seedMs), renderMs: Math.round(renderMs), pdfBytes: files.pdf.length };
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  setLogLevel("warn");
  const sizes = process.argv.slice(2).map(Number);
  for (const cells of sizes.length ? sizes : [1000, 10_000]) {
    if (!Number.isInteger(cells) || cells < 1) throw new Error(`not a number of cells: ${cells}`);
    const r = await benchReport({ cells });
    process.stdout.write(
      `${r.cells} chi bộ / cells, ${r.meetings} biên bản / meetings: buildReport ${r.ms} ms (seed ${r.seedMs} ms; CSV+HTML+PDF ${r.renderMs} ms, PDF ${Math.round(r.pdfBytes / 1024)} KiB)\n`,
    );
  }
}
