/**
 * The monthly run (EventBridge Scheduler → report Lambda): for every root organisation, one tree at
 * a time, the report of every committee of the tree for the month that just ended (Vietnam time).
 *
 * - The month comes from the event's scheduledTime (infra/constructs/reports.ts passes
 *   `<aws.scheduler.scheduled-time>`), not from "now": a retry hours later, or a re-drive from the
 *   dead-letter queue days later, still reports the right month. `{ "month": "YYYY-MM" }` overrides.
 * - Each tree is read once (loadTree) and every committee's report computed from it.
 * - Resumable: a progress object `reports/_progress/<month>.json` records the committees and trees
 *   done, written after each report. When the remaining time runs low the run stops between two
 *   reports and the handler FAILS on purpose (ReportRunIncompleteError): Lambda's asynchronous
 *   retries (and, after them, a re-drive from the dead-letter queue) invoke it again with the same
 *   event, and it continues where it stopped instead of starting over.
 */
import * as z from "zod";
import type { RuleSet, RuleSetId } from "../criteria/index.ts";
import { BienbanError } from "../errors.ts";
import { log } from "../log.ts";
import type { BlobStore } from "../store/blobs.ts";
import type { DynamoStore } from "../store/dynamo-store.ts";
import { MonthSchema } from "../store/records.ts";
import { computeReport, loadTree } from "./build.ts";
import { addMonths, monthInVietnam } from "./month.ts";
import { ReportSchema } from "./schema.ts";
import { storeReport } from "./storage.ts";

/** What the schedule sends; anything else in the event is ignored. */
export const ScheduledEventSchema = z
  .object({
    source: z.string().optional(),
    scheduledTime: z.string().datetime({ offset: true }).optional(),
    month: MonthSchema.optional(),
  })
  .nullish();

export interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
}

export interface ScheduledDeps {
  store: DynamoStore;
  blobs: BlobStore;
  ruleSet?: RuleSetId | RuleSet;
  /** stop when less than this is left (one tree's read and one report must fit); default 90 s */
  reserveMs?: number;
  now?: () => Date;
}

export interface RunResult {
  month: string;
  complete: boolean;
  /** reports built by this invocation */
  built: number;
  /** committees already done by an earlier invocation */
  alreadyDone: number;
  trees: number;
}

const ProgressSchema = z.object({
  month: MonthSchema,
  /** committee ids whose report is stored */
  done: z.array(z.string()),
  /** root ids whose every committee is done */
  trees: z.array(z.string()),
  updatedAt: z.string(),
});
type Progress = z.infer<typeof ProgressSchema>;

export const progressKey = (month: string) => `reports/_progress/${MonthSchema.parse(month)}.json`;

export class ReportRunIncompleteError extends BienbanError {
  constructor(month: string, built: number) {
    super(
      "REPORT_RUN_INCOMPLETE",
      503,
      `Chưa lập xong báo cáo tháng ${month} (đã lập ${built} báo cáo lần này); lần chạy lại sẽ tiếp tục.`,
      `Reports of ${month} not finished (${built} built this time); the retry continues from here.`,
    );
  }
}

/** The month a scheduled event asks for: the explicit month, else the month before the scheduled time in Vietnam. */
export function monthOfEvent(event: unknown, now: Date = new Date()): string {
  const parsed = ScheduledEventSchema.safeParse(event);
  const e = parsed.success ? parsed.data : null;
  if (!parsed.success) log("warn", "report.event_unrecognised", { issues: parsed.error.issues.length });
  if (e?.month) return e.month;
  const at = e?.scheduledTime ? new Date(e.scheduledTime) : now;
  return addMonths(monthInVietnam(at), -1);
}

async function loadProgress(blobs: BlobStore, month: string): Promise<Progress> {
  const blob = await blobs.get(progressKey(month));
  let parsed: unknown = null;
  try {
    parsed = blob ? JSON.parse(blob.bytes.toString("utf8")) : null;
  } catch {
    parsed = null;
  }
  const p = ProgressSchema.safeParse(parsed);
  return p.success && p.data.month === month ? p.data : { month, done: [], trees: [], updatedAt: new Date(0).toISOString() };
}

async function saveProgress(blobs: BlobStore, p: Progress, now: Date): Promise<void> {
  p.updatedAt = now.toISOString();
  await blobs.put(progressKey(p.month), Buffer.from(JSON.stringify(p)), "application/json; charset=utf-8");
}

export async function runScheduledReports(deps: ScheduledDeps, event: unknown, context: LambdaContextLike): Promise<RunResult> {
  const now = deps.now ?? (() => new Date());
  const reserve = deps.reserveMs ?? 90_000;
  const month = monthOfEvent(event, now());
  const progress = await loadProgress(deps.blobs, month);
  const done = new Set(progress.done);
  const result: RunResult = { month, complete: false, built: 0, alreadyDone: done.size, trees: 0 };
  const lowOnTime = () => context.getRemainingTimeInMillis() < reserve;
  const started = performance.now();

  const roots = await deps.store.listChildren(null);
  result.trees = roots.length;
  for (const root of roots) {
    if (progress.trees.includes(root.id)) continue;
    if (lowOnTime()) return stop();
    const data = await loadTree(deps.store, root, month, { ruleSet: deps.ruleSet });
    for (const org of data.orgs) {
      if (org.kind !== "committee" || done.has(org.id)) continue;
      if (lowOnTime()) return stop();
      const t0 = performance.now();
      const report = ReportSchema.parse(computeReport(data, org.id, now()));
      await storeReport(deps.blobs, report);
      done.add(org.id);
      progress.done.push(org.id);
      await saveProgress(deps.blobs, progress, now());
      result.built++;
      log("info", "report.built", { orgId: org.id, month, cells: report.cells.length, findings: report.totals.findings, ms: Math.round(performance.now() - t0), by: "schedule" });
    }
    progress.trees.push(root.id);
    await saveProgress(deps.blobs, progress, now());
  }
  result.complete = true;
  log("info", "report.run_complete", { month, built: result.built, alreadyDone: result.alreadyDone, trees: result.trees, ms: Math.round(performance.now() - started) });
  return result;

  async function stop(): Promise<RunResult> {
    await saveProgress(deps.blobs, progress, now());
    log("warn", "report.run_paused", { month, built: result.built, done: done.size, remainingMs: context.getRemainingTimeInMillis() });
    return result;
  }
}

/** The Lambda handler: fails when the run is incomplete, so that the asynchronous retry resumes it. */
export function createReportHandler(deps: ScheduledDeps) {
  return async (event: unknown, context: LambdaContextLike): Promise<RunResult> => {
    const result = await runScheduledReports(deps, event, context);
    if (!result.complete) throw new ReportRunIncompleteError(result.month, result.built);
    return result;
  };
}
