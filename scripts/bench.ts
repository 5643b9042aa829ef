/**
 * `npm run bench` — the figures the issues ask for, measured in one run on this machine, printed
 * as a table and as JSON (also written to .bench/bench.json), with the core count so that runs
 * can be compared:
 *
 * - Tesseract alone vs our whole pipeline per page (preprocess + Tesseract + parser + signatures
 *   + criteria), and the ratio;
 * - parsing + criteria per meeting (from recorded OCR pages);
 * - the flagged-meetings query p50/p99 at 100 req/s with 10 000 stored meetings (scripts/load.ts);
 * - the monthly report for 1 000 and 10 000 cells (scripts/bench-report.ts);
 * - the Lambda bundle sizes (esbuild with the options of infra/constructs/bienban-function.ts).
 *
 *   npm run bench -- [--quick] [--skip ocr,query,report,bundles] [--runs 3]
 */
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { documentFromOcr, extractDocument } from "../shared/extraction/extract.ts";
import type { OcrPage } from "../shared/extraction/ocr-page.ts";
import { parseMeeting } from "../shared/extraction/parser/index.ts";
import { TesseractEngine } from "../shared/extraction/tesseract.ts";
import { setLogLevel } from "../shared/log.ts";
import { recheck } from "../shared/meetings/recheck.ts";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
setLogLevel("warn");

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    skip: { type: "string", default: "" },
    runs: { type: "string", default: "3" },
  },
});
const skip = new Set(values.skip.split(",").filter(Boolean));
const runs = Math.max(1, Number(values.runs));
const say = (s: string) => process.stderr.write(`${s}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function timeTesseractAlone(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    // what a person would run by hand; one thread, as our engine runs it
    const p = spawn("tesseract", [file, "-", "-l", "vie", "--psm", "4", "tsv"], { stdio: ["ignore", "ignore", "ignore"], env: { ...process.env, OMP_THREAD_LIMIT: "1" } });
    p.on("error", reject);
    p.on("close", (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`tesseract exited ${code}`))));
  });
}

const samplePages = (): { name: string; file: string }[] =>
  readdirSync("samples")
    .filter((d) => !d.includes("."))
    .map((d) => ({ name: d, file: join("samples", d, "page-1.jpg") }));

async function benchOcr() {
  const engine = new TesseractEngine();
  const rows: { page: string; tesseractMs: number; pipelineMs: number; ratio: number; preprocessMs: number; analysisMs: number }[] = [];
  const recorded: OcrPage[][] = [];
  for (const { name, file } of values.quick ? samplePages().slice(0, 2) : samplePages()) {
    const image = readFileSync(file);
    const alone: number[] = [];
    const ours: number[] = [];
    const prep: number[] = [];
    const analysis: number[] = [];
    for (let i = 0; i < runs; i++) {
      alone.push(await timeTesseractAlone(file));
      const t0 = performance.now();
      const { pages, timings } = await extractDocument([image], { engine, concurrency: 1 });
      ours.push(performance.now() - t0);
      prep.push(timings.preprocessMs);
      analysis.push(timings.analysisMs);
      if (i === 0) recorded.push(pages);
    }
    // preprocessMs runs while Tesseract starts (process and model load): it is our own work, not
    // all of it is added to the wall time
    const row = { page: name, tesseractMs: median(alone), pipelineMs: median(ours), ratio: median(ours) / median(alone), preprocessMs: median(prep), analysisMs: median(analysis) };
    rows.push(row);
    say(
      `  ocr ${name}: tesseract ${row.tesseractMs.toFixed(0)} ms, pipeline ${row.pipelineMs.toFixed(0)} ms (×${row.ratio.toFixed(2)}; preprocessing ${row.preprocessMs.toFixed(0)} ms, analysis ${row.analysisMs.toFixed(0)} ms)`,
    );
  }
  const sum = (k: "tesseractMs" | "pipelineMs") => rows.reduce((s, r) => s + r[k], 0);
  return { rows, overall: { tesseractMs: sum("tesseractMs") / rows.length, pipelineMs: sum("pipelineMs") / rows.length, ratio: sum("pipelineMs") / sum("tesseractMs") }, recorded };
}

async function benchParse(recorded: OcrPage[][]) {
  if (recorded.length === 0) return null;
  const iterations = values.quick ? 50 : 300;
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) {
    const pages = recorded[i % recorded.length] ?? [];
    const parsed = parseMeeting(pages);
    recheck({ meeting: parsed.meeting, confidence: parsed.confidence }, { review: parsed.review });
  }
  const parseCriteriaMs = (performance.now() - t0) / iterations;
  // with the signature decision from Textract-style regions (no pixels) and the document assembly
  const t1 = performance.now();
  for (let i = 0; i < iterations; i++) await documentFromOcr(recorded[i % recorded.length] ?? [], {});
  return { iterations, parseCriteriaMsPerMeeting: parseCriteriaMs, documentMsPerMeeting: (performance.now() - t1) / iterations };
}

async function benchQuery() {
  const load = await import("./load.ts").catch(() => null);
  if (!load || typeof load.measureFlaggedQuery !== "function") return { skipped: "scripts/load.ts is not there yet" };
  return load.measureFlaggedQuery({ meetings: values.quick ? 1000 : 10_000, rate: 100, seconds: values.quick ? 5 : 20 });
}

async function benchReports() {
  const { benchReport } = await import("./bench-report.ts");
  const out = [];
  for (const cells of values.quick ? [200, 1000] : [1000, 10_000]) {
    say(`  report: seeding ${cells} cells…`);
    out.push(await benchReport({ cells }));
  }
  return out;
}

async function benchBundles() {
  const sizes: Record<string, number> = {};
  for (const name of ["api", "ingest", "report", "textract-complete"]) {
    const result = await build({
      entryPoints: [join("functions", `${name}.ts`)],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node22",
      minify: true,
      mainFields: ["module", "main"],
      external: ["@aws-sdk/*", "sharp"],
      alias: { brotli: join(process.cwd(), "infra", "stubs", "brotli") },
      write: false,
      logLevel: "error",
    });
    sizes[name] = result.outputFiles[0]?.contents.length ?? 0;
  }
  return sizes;
}

const started = performance.now();
const report: Record<string, unknown> = {
  machine: { cores: availableParallelism(), cpu: cpus()[0]?.model ?? "unknown", node: process.version, date: new Date().toISOString() },
};
let recorded: OcrPage[][] = [];
if (!skip.has("ocr")) {
  say("OCR: Tesseract alone vs pipeline…");
  const ocr = await benchOcr();
  recorded = ocr.recorded;
  report.ocr = { rows: ocr.rows, overall: ocr.overall };
  report.parse = await benchParse(recorded);
}
if (!skip.has("query")) {
  say("Flagged-meetings query at 100 req/s…");
  report.flaggedQuery = await benchQuery();
}
if (!skip.has("report")) {
  say("Monthly report…");
  report.reports = await benchReports();
}
if (!skip.has("bundles")) {
  say("Lambda bundles…");
  report.bundles = await benchBundles();
}
report.wallSeconds = (performance.now() - started) / 1000;

mkdirSync(".bench", { recursive: true });
writeFileSync(join(".bench", "bench.json"), JSON.stringify(report, null, 2));

const lines = [`bienban bench — ${String((report.machine as { cores: number }).cores)} cores, ${process.version}`];
const ocr = report.ocr as { rows: { page: string; tesseractMs: number; pipelineMs: number; ratio: number; preprocessMs: number; analysisMs: number }[]; overall: { ratio: number } } | undefined;
if (ocr) {
  lines.push("", "| page | Tesseract alone (ms) | our pipeline (ms) | ratio | of which preprocessing (ms) | analysis (ms) |", "| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const r of ocr.rows) lines.push(`| ${r.page} | ${r.tesseractMs.toFixed(0)} | ${r.pipelineMs.toFixed(0)} | ${r.ratio.toFixed(2)} | ${r.preprocessMs.toFixed(0)} | ${r.analysisMs.toFixed(0)} |`);
  lines.push(`| all | | | ${ocr.overall.ratio.toFixed(2)} |`);
}
const parse = report.parse as { parseCriteriaMsPerMeeting: number; documentMsPerMeeting: number } | null | undefined;
if (parse) lines.push("", `parsing + criteria: ${parse.parseCriteriaMsPerMeeting.toFixed(2)} ms per meeting; with signatures and document: ${parse.documentMsPerMeeting.toFixed(2)} ms`);
if (report.flaggedQuery) lines.push("", `flagged-meetings query: ${JSON.stringify(report.flaggedQuery)}`);
const reps = report.reports as { cells: number; meetings: number; ms: number }[] | undefined;
if (reps) for (const r of reps) lines.push(`report: ${r.cells} cells, ${r.meetings} meetings → ${(r.ms / 1000).toFixed(1)} s`);
const bundles = report.bundles as Record<string, number> | undefined;
if (bundles) lines.push("", "Lambda bundles (minified ESM, AWS SDK from the runtime): " + Object.entries(bundles).map(([k, v]) => `${k} ${(v / 1024).toFixed(0)} KB`).join(", "));
lines.push("", `(${(report.wallSeconds as number).toFixed(0)} s; JSON in .bench/bench.json)`);
process.stdout.write(`${lines.join("\n")}\n\n${JSON.stringify(report, null, 2)}\n`);
