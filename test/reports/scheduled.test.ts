/**
 * The monthly scheduled run, invoked like EventBridge Scheduler invokes it (the input of
 * infra/constructs/reports.ts with the scheduled time filled in), with a Lambda context whose time
 * runs out after the first report: the first invocation stops and fails so that Lambda retries it,
 * the second builds the rest without redoing the first.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { buildReport } from "../../shared/reports/build.ts";
import { ReportSchema } from "../../shared/reports/schema.ts";
import { createReportHandler, monthOfEvent, progressKey, ReportRunIncompleteError } from "../../shared/reports/scheduled.ts";
import { listReports, reportKey } from "../../shared/reports/storage.ts";
import type { Blob, BlobStore } from "../../shared/store/blobs.ts";
import type { DynamoStore } from "../../shared/store/dynamo-store.ts";
import { freshStore } from "../helpers/dynamo.ts";
import { seedExample } from "./example.ts";

/** The blob store, counting the puts of each key. */
class CountingBlobs implements BlobStore {
  readonly puts = new Map<string, number>();
  constructor(private readonly inner: BlobStore) {}
  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    this.puts.set(key, (this.puts.get(key) ?? 0) + 1);
    await this.inner.put(key, bytes, contentType);
  }
  get(key: string): Promise<Blob | null> {
    return this.inner.get(key);
  }
  size(key: string): Promise<number | null> {
    return this.inner.size(key);
  }
  reportsStored(): number {
    return [...this.puts.keys()].filter((k) => k.endsWith("/report.json")).length;
  }
}

// What EventBridge Scheduler delivers: the schedule's input with <aws.scheduler.scheduled-time> filled in
// (06:00 on 1 July in Asia/Ho_Chi_Minh is 23:00 UTC on 30 June).
const EVENT = { source: "schedule", scheduledTime: "2026-06-30T23:00:00Z" };
const COMMITTEES = ["tinh-a", "huyen-b", "xa-c", "huyen-d", "tinh-khac"];

describe("scheduled monthly reports", () => {
  let store: DynamoStore;
  let blobs: CountingBlobs;

  beforeAll(async () => {
    const env = await freshStore();
    store = env.store;
    blobs = new CountingBlobs(env.blobs);
    await seedExample(store);
  });

  it("reports the month before the scheduled time, in Vietnam time", () => {
    expect(monthOfEvent(EVENT)).toBe("2026-06");
    expect(monthOfEvent({ source: "schedule", scheduledTime: "2026-01-01T06:00:00+07:00" })).toBe("2025-12");
    // 16:59 UTC on 31 May is still May in Vietnam (23:59): the previous month is April
    expect(monthOfEvent({ scheduledTime: "2026-05-31T16:59:00Z" })).toBe("2026-04");
    expect(monthOfEvent({ month: "2026-03" })).toBe("2026-03");
    expect(monthOfEvent(undefined, new Date("2026-11-24T07:00:00Z"))).toBe("2026-10");
    expect(monthOfEvent({ scheduledTime: "not a time" }, new Date("2026-11-24T07:00:00Z"))).toBe("2026-10");
  });

  it("stops when time runs out after one report, and a second invocation finishes the rest", async () => {
    const handler = createReportHandler({ store, blobs, reserveMs: 30_000, now: () => new Date("2026-07-01T06:00:05+07:00") });
    // plenty of time until the first report is stored, then only 5 s
    const shortContext = { getRemainingTimeInMillis: () => (blobs.reportsStored() === 0 ? 600_000 : 5_000) };
    await expect(handler(EVENT, shortContext)).rejects.toThrow(ReportRunIncompleteError);
    expect(blobs.reportsStored()).toBe(1);
    expect(blobs.puts.get(reportKey("tinh-a", "2026-06", "json"))).toBe(1);
    const progress = JSON.parse((await blobs.get(progressKey("2026-06")))?.bytes.toString("utf8") ?? "null");
    expect(progress).toMatchObject({ month: "2026-06", done: ["tinh-a"], trees: [] });

    const result = await handler(EVENT, { getRemainingTimeInMillis: () => 600_000 });
    expect(result).toEqual({ month: "2026-06", complete: true, built: 4, alreadyDone: 1, trees: 2 });
    for (const id of COMMITTEES) {
      expect(blobs.puts.get(reportKey(id, "2026-06", "json"))).toBe(1); // none built twice
      for (const f of ["csv", "html", "pdf"] as const) expect(await blobs.size(reportKey(id, "2026-06", f))).toBeGreaterThan(0);
      expect((await listReports(blobs, id)).map((r) => r.month)).toEqual(["2026-06"]);
    }
    // cells get no report of their own
    expect(await blobs.size(reportKey("cb-dong", "2026-06", "json"))).toBeNull();

    // a committee's report computed from its tree's single read equals the one built on its own
    const stored = ReportSchema.parse(JSON.parse((await blobs.get(reportKey("huyen-b", "2026-06", "json")))?.bytes.toString("utf8") ?? "null"));
    const direct = await buildReport(store, { orgId: "huyen-b", month: "2026-06", now: new Date(stored.generatedAt) });
    expect(stored).toEqual(direct);

    // a third delivery of the same event (a scheduler retry) does nothing
    const again = await handler(EVENT, { getRemainingTimeInMillis: () => 600_000 });
    expect(again).toMatchObject({ complete: true, built: 0, alreadyDone: 5 });
  });

  it("does not start a tree it has no time for", async () => {
    const handler = createReportHandler({ store, blobs, reserveMs: 30_000 });
    const before = blobs.reportsStored();
    await expect(handler({ month: "2026-05" }, { getRemainingTimeInMillis: () => 1_000 })).rejects.toThrow(ReportRunIncompleteError);
    expect(blobs.reportsStored()).toBe(before);
  });
});
