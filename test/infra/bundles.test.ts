/**
 * The Lambda bundles, built with esbuild and exactly the options NodejsFunction gets
 * (BUNDLE_OPTIONS): each index.mjs stays under the 1 MB budget, the AWS SDK is left to the runtime,
 * and the report's PDF renders from a bundle folder alone — the fonts copied beside it by the same
 * afterBundling commands CDK runs, no node_modules anywhere above it (the Lambda's /var/task).
 *
 * Synth's own bundling is not used here: the template tests skip it to stay fast, and this file
 * checks what bundling produces instead.
 */
import { build, type Metafile } from "esbuild";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BUNDLE_BUDGET_BYTES,
  BUNDLE_OPTIONS,
  PROJECT_ROOT,
  copyFilesCommands,
  type FunctionEntry,
} from "../../infra/constructs/bienban-function.ts";
import { REPORT_FONT_FOLDER, reportFontFiles } from "../../infra/constructs/reports.ts";
import { getRuleSet } from "../../shared/criteria/index.ts";
import { computeReport } from "../../shared/reports/build.ts";
import { FONT_FILES } from "../../shared/reports/fonts.ts";
import type { Org } from "../../shared/store/records.ts";

const ENTRIES: FunctionEntry[] = ["api", "ingest", "report", "textract-complete"];

let work: string;
const bundles = new Map<FunctionEntry, { file: string; bytes: number; metafile: Metafile }>();

async function bundle(outfile: string, input: { entry: string } | { stdin: string }): Promise<Metafile> {
  const result = await build({
    ...(("entry" in input)
      ? { entryPoints: [input.entry] }
      : { stdin: { contents: input.stdin, resolveDir: PROJECT_ROOT, sourcefile: "entry.ts", loader: "ts" } }),
    outfile,
    bundle: true,
    format: BUNDLE_OPTIONS.format,
    platform: BUNDLE_OPTIONS.platform,
    target: BUNDLE_OPTIONS.target,
    mainFields: [...BUNDLE_OPTIONS.mainFields],
    minify: BUNDLE_OPTIONS.minify,
    banner: { js: BUNDLE_OPTIONS.banner },
    external: [...BUNDLE_OPTIONS.external],
    alias: { ...BUNDLE_OPTIONS.alias },
    metafile: true,
    logLevel: "silent",
  });
  return result.metafile;
}

/** Runs the afterBundling commands as CDK's local bundling does (bash, project root as input). */
function runCopyHook(outputDir: string): void {
  const commands = copyFilesCommands(PROJECT_ROOT, outputDir, [reportFontFiles()]);
  execFileSync("bash", ["-c", commands.join(" && ")], { stdio: "pipe" });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "bienban-bundles-"));
  for (const entry of ENTRIES) {
    const file = join(work, entry, "index.mjs");
    const metafile = await bundle(file, { entry: join(PROJECT_ROOT, "functions", `${entry}.ts`) });
    bundles.set(entry, { file, bytes: statSync(file).size, metafile });
  }
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("Lambda bundles", () => {
  it("are each under 1 MB of index.mjs", () => {
    const sizes = Object.fromEntries([...bundles].map(([entry, b]) => [entry, b.bytes]));
    for (const [entry, bytes] of Object.entries(sizes)) {
      expect(bytes, `${entry}: ${(bytes / 1024).toFixed(0)} KB`).toBeLessThan(BUNDLE_BUDGET_BYTES);
    }
  });

  it("leave the AWS SDK and sharp to the runtime, and carry the brotli stub instead of the decoder", () => {
    for (const [entry, { metafile }] of bundles) {
      const inputs = Object.keys(metafile.inputs);
      expect(inputs.filter((i) => /node_modules\/(@aws-sdk|@smithy|sharp)\//.test(i)), entry).toEqual([]);
      expect(inputs.filter((i) => /node_modules\/brotli\//.test(i)), entry).toEqual([]);
      const imports = Object.values(metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
      for (const external of imports) {
        expect(external, entry).toMatch(/^(node:|@aws-sdk\/|sharp$|[a-z_]+$)/);
      }
    }
    // the report renders PDFs with pdfkit; the stub stands where fontkit asks for brotli
    const report = Object.keys(bundles.get("report")!.metafile.inputs);
    expect(report.some((i) => i.includes("node_modules/pdfkit/"))).toBe(true);
    expect(report.some((i) => i.endsWith("infra/stubs/brotli/decompress.js"))).toBe(true);
  });
});

describe("report fonts beside the bundle", () => {
  it("are the two Noto Serif TTF files that shared/reports/fonts.ts looks for, copied byte for byte", () => {
    const dir = join(work, "fonts-only");
    runCopyHook(dir);
    const copied = readdirSync(join(dir, REPORT_FONT_FOLDER)).sort();
    expect(copied).toEqual([FONT_FILES.regular, FONT_FILES.bold].sort());
    for (const source of reportFontFiles().from) {
      const target = join(dir, REPORT_FONT_FOLDER, source.split("/").at(-1)!);
      expect(readFileSync(target).equals(readFileSync(source)), target).toBe(true);
    }
  });

  it("refuse a target folder outside the bundle and a source outside the project", () => {
    expect(() => copyFilesCommands("/in", "/out", [{ into: "../x", from: [] }])).toThrow(/inside the bundle/);
    expect(() => copyFilesCommands("/in", "/out", [{ into: "fonts", from: ["/etc/passwd"] }])).toThrow(/outside the project/);
    // Docker bundling: sources are read under its input folder
    const [mkdir, cp] = copyFilesCommands("/asset-input", "/asset-output", [{ into: "fonts", from: [join(PROJECT_ROOT, "a b'c.ttf")] }]);
    expect(mkdir).toBe("mkdir -p '/asset-output/fonts'");
    expect(cp).toBe("cp '/asset-input/a b'\\''c.ttf' '/asset-output/fonts'/");
  });
});

describe("the PDF report from a bundle folder", () => {
  it("renders in Vietnamese with the embedded fonts and nothing else from the project", async () => {
    const dir = join(work, "pdf");
    await bundle(join(dir, "index.mjs"), { stdin: `export { toPdf } from "./shared/reports/pdf.ts";` });
    runCopyHook(dir);
    // no node_modules between the bundle and the file-system root, as in /var/task
    for (let d = dir; d !== dirname(d); d = dirname(d)) expect(existsSync(join(d, "node_modules")), d).toBe(false);

    const orgs: Org[] = [
      { id: "tinh-a", name: "Đảng bộ tỉnh An", kind: "committee", parentId: null, path: "tinh-a" },
      { id: "cb-dong", name: "Chi bộ thôn Đông", kind: "cell", parentId: "tinh-a", path: "tinh-a/cb-dong" },
    ];
    const months = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"];
    const report = computeReport(
      { root: orgs[0]!, orgs, month: "2026-06", trendMonths: months.slice(-4), meetingsByMonth: new Map(months.map((m) => [m, []])), ruleSet: getRuleSet("12-HD-2018") },
      "tinh-a",
      new Date("2026-07-01T00:00:00Z"),
    );
    writeFileSync(join(dir, "report.json"), JSON.stringify(report));
    const script = `
      import { readFileSync, writeFileSync } from "node:fs";
      import { toPdf } from "./index.mjs";
      const pdf = await toPdf(JSON.parse(readFileSync("report.json", "utf8")));
      writeFileSync("report.pdf", pdf);
    `;
    // a clean environment: no REPORT_FONT_DIR, no NODE_PATH; the bundle must find its fonts itself
    execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, env: { PATH: process.env.PATH ?? "" }, stdio: "pipe" });

    const pdf = readFileSync(join(dir, "report.pdf"));
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pdf.toString("latin1")).toMatch(/\/FontName \/[A-Z]{6}\+NotoSerif/);
    const text = execFileSync("pdftotext", ["-enc", "UTF-8", join(dir, "report.pdf"), "-"], { encoding: "utf8" });
    expect(text).toContain("Đảng bộ tỉnh An");
    expect(text).toContain("Chi bộ thôn Đông");
  });
});
