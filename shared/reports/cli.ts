/**
 * `bienban report --org <id> --month YYYY-MM [--out dir] [--rules id] [--json]`: the monthly report
 * of one organisation from the local store, written as four files; a Vietnamese summary on stdout
 * (or the report JSON with --json), progress on stderr. Errors are thrown as BienbanErrors for the
 * CLI's one error printer (shared/cli/main.ts).
 *
 * The store: the DynamoDB Local of a running `npm start` when it has announced its endpoint in
 * DATA_DIR/dynamodb-endpoint, otherwise a DynamoDB Local of our own on the same data folder.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Config } from "../config.ts";
import { getRuleSet } from "../criteria/index.ts";
import { BienbanError, DependencyError, InvalidInputError } from "../errors.ts";
import { openLocalStack } from "../local/stack.ts";
import type { DynamoStore } from "../store/dynamo-store.ts";
import { buildReport, parseReportMonth, type ReportProgress } from "./build.ts";
import { codeLabel, formatPercent, monthLabel } from "./labels.ts";
import { REPORT_FORMATS, type Report } from "./schema.ts";
import { renderReport } from "./storage.ts";

export interface ReportCommandDeps {
  config: Pick<Config, "DATA_DIR" | "TABLE_NAME" | "RULE_SET">;
  /** opens the store; the default is described above */
  open?: () => Promise<{ store: DynamoStore; stop(): Promise<void> }>;
  stdout?: (text: string) => void;
  stderr?: (line: string) => void;
  now?: Date;
}

export const REPORT_USAGE = "bienban report --org <id> --month YYYY-MM [--out <thư-mục>] [--rules 12-HD-2018|42-HD-2025] [--json]";

function progressLine(e: ReportProgress): string {
  switch (e.stage) {
    case "orgs":
      return `… cây tổ chức / tree: ${e.orgs} tổ chức / organisations, ${e.cells} chi bộ / cells`;
    case "meetings":
      return `… tháng / month ${e.month}: ${e.meetings} biên bản / meetings (${e.monthsDone}/${e.months})`;
    case "computed":
      return `… đã tính / computed: ${e.cells} chi bộ / cells, ${e.ms} ms`;
  }
}

export function reportSummary(report: Report, files: readonly string[]): string {
  const s = report.totals;
  const lines = [
    `Báo cáo ${monthLabel(report.month)} — ${report.org.name}`,
    `Chi bộ: ${s.cells} · có sinh hoạt: ${s.cellsWithMeeting} (${formatPercent(s.meetingRate)}%) · buổi sinh hoạt: ${s.meetings} · buổi có phát hiện: ${s.flaggedMeetings} · dự họp bình quân: ${formatPercent(s.averageAttendanceRate)}%`,
    `Phát hiện: ${s.findings}${s.readingCostUsd > 0 ? ` · chi phí đọc (AWS): ${s.readingCostUsd.toFixed(2)} USD` : ""}`,
    ...report.findingsByCode.map((f) => `  - ${codeLabel(f.code)} (${f.code}${f.severity === "warning" ? ", cảnh báo" : ""}): ${f.count}`),
  ];
  const worst = report.cells.filter((c) => c.findingCount > 0).slice(0, 10);
  if (worst.length) {
    lines.push("Chi bộ cần chú ý nhất:");
    worst.forEach((c, i) => lines.push(`  ${i + 1}. ${c.name} — ${c.findingCount} phát hiện`));
  }
  lines.push(`Đảng viên vắng có lý do nhiều lần liên tiếp: ${report.members.length}`);
  for (const m of report.members) lines.push(`  - ${m.name} (${m.cellName}): ${m.inRow} lần liên tiếp`);
  lines.push("Tệp / files:", ...files.map((f) => `  ${f}`));
  return `${lines.join("\n")}\n`;
}

async function openStore(deps: ReportCommandDeps) {
  if (deps.open) return deps.open();
  try {
    const stack = await openLocalStack({ dataDir: deps.config.DATA_DIR, tableName: deps.config.TABLE_NAME });
    return { store: stack.store, stop: () => stack.stop() };
  } catch (cause) {
    if (cause instanceof BienbanError && cause.code === "JAVA_MISSING") throw cause;
    // the usual reason: another DynamoDB Local holds the data folder without having announced itself
    throw new DependencyError(
      "LOCAL_STORE_BUSY",
      `Không mở được dữ liệu tại ${deps.config.DATA_DIR}/dynamodb. Nếu "npm start" đang chạy, hãy chạy lại lệnh này khi nó đã khởi động xong, hoặc dừng nó rồi thử lại.`,
      `Cannot open the data in ${deps.config.DATA_DIR}/dynamodb. If "npm start" is running, retry once it has started, or stop it and retry.`,
      { cause },
    );
  }
}

export async function reportCommand(args: string[], deps: ReportCommandDeps): Promise<number> {
  const stdout = deps.stdout ?? ((s: string) => void process.stdout.write(s));
  const stderr = deps.stderr ?? ((l: string) => void process.stderr.write(`${l}\n`));
  const { values } = parseArgs({
    args,
    options: {
      org: { type: "string" },
      month: { type: "string" },
      out: { type: "string", default: "./reports" },
      rules: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  if (!values.org || !values.month) {
    throw new InvalidInputError("MISSING_ARGUMENT", `Cần --org và --month. Cách dùng: ${REPORT_USAGE}`, `--org and --month are required. Usage: ${REPORT_USAGE}`);
  }
  // bad input fails before DynamoDB Local is started
  const month = parseReportMonth(values.month, deps.now);
  const ruleSet = getRuleSet(values.rules ?? deps.config.RULE_SET);

  const { store, stop } = await openStore(deps);
  let report: Report;
  try {
    report = await buildReport(store, { orgId: values.org, month, ruleSet, now: deps.now }, (e) => stderr(progressLine(e)));
  } finally {
    await stop();
  }

  const files = await renderReport(report);
  const dir = resolve(values.out);
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const format of REPORT_FORMATS) {
    const path = join(dir, `bao-cao-${report.org.id}-${report.month}.${format}`);
    await writeFile(path, files[format]);
    written.push(path);
  }
  stderr(`✓ ${written.length} tệp / files → ${dir}`);
  stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : reportSummary(report, written));
  return 0;
}
