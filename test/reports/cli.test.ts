/**
 * `bienban report`: the four files, the Vietnamese summary or the JSON, progress on stderr, bad
 * input refused before any DynamoDB Local is started; and the store found the way `npm start`
 * announces it (DATA_DIR/dynamodb-endpoint).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { InvalidInputError, NotFoundError } from "../../shared/errors.ts";
import { reportCommand, type ReportCommandDeps } from "../../shared/reports/cli.ts";
import { ReportSchema } from "../../shared/reports/schema.ts";
import type { DynamoStore } from "../../shared/store/dynamo-store.ts";
import { freshStore } from "../helpers/dynamo.ts";
import { seedExample } from "./example.ts";

const NOW = new Date("2026-07-01T00:00:00Z");
let store: DynamoStore;
let tableName: string;

function harness(extra: Partial<ReportCommandDeps> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  let opened = 0;
  const deps: ReportCommandDeps = {
    config: { DATA_DIR: mkdtempSync(join(tmpdir(), "bienban-data-")), TABLE_NAME: tableName, RULE_SET: "12-HD-2018" },
    open: async () => {
      opened++;
      return { store, stop: async () => {} };
    },
    stdout: (s) => out.push(s),
    stderr: (l) => err.push(l),
    now: NOW,
    ...extra,
  };
  return { deps, out, err, opened: () => opened };
}

beforeAll(async () => {
  ({ store, tableName } = await freshStore());
  await seedExample(store);
});

describe("bienban report", () => {
  it("writes the four files and prints a Vietnamese summary, progress on stderr", async () => {
    const h = harness();
    const dir = mkdtempSync(join(tmpdir(), "bienban-out-"));
    expect(await reportCommand(["--org", "tinh-a", "--month", "2026-06", "--out", dir], h.deps)).toBe(0);
    for (const ext of ["json", "csv", "html", "pdf"]) expect(existsSync(join(dir, `bao-cao-tinh-a-2026-06.${ext}`))).toBe(true);
    expect(readFileSync(join(dir, "bao-cao-tinh-a-2026-06.pdf")).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const summary = h.out.join("");
    expect(summary).toContain("Báo cáo tháng 6/2026 — Đảng bộ tỉnh An");
    expect(summary).toContain("Chi bộ: 4 · có sinh hoạt: 3 (75,0%)");
    expect(summary).toContain("Phát hiện: 7");
    expect(summary).toContain("1. Chi bộ thôn Tây — 3 phát hiện");
    expect(summary).toContain("Lê Văn Cường (Chi bộ thôn Đông): 4 lần liên tiếp");
    expect(h.err.some((l) => l.includes("tháng / month 2026-06"))).toBe(true);
    expect(h.err.at(-1)).toMatch(/^✓ 4 tệp \/ files → /);
  });

  it("prints the report JSON with --json", async () => {
    const h = harness();
    const dir = mkdtempSync(join(tmpdir(), "bienban-out-"));
    await reportCommand(["--org", "xa-c", "--month", "2026-05", "--out", dir, "--json"], h.deps);
    const report = ReportSchema.parse(JSON.parse(h.out.join("")));
    expect(report.org.id).toBe("xa-c");
    expect(report.totals.findings).toBe(2);
  });

  it("refuses a bad month before opening the store, and an unknown organisation", async () => {
    const h = harness();
    await expect(reportCommand(["--org", "tinh-a", "--month", "2026-13"], h.deps)).rejects.toThrow(InvalidInputError);
    await expect(reportCommand(["--org", "tinh-a"], h.deps)).rejects.toMatchObject({ code: "MISSING_ARGUMENT" });
    await expect(reportCommand(["--org", "tinh-a", "--month", "2026-06", "--rules", "x"], h.deps)).rejects.toMatchObject({ code: "UNKNOWN_RULE_SET" });
    expect(h.opened()).toBe(0);
    await expect(reportCommand(["--org", "khong-co", "--month", "2026-06", "--out", mkdtempSync(join(tmpdir(), "o-"))], h.deps)).rejects.toThrow(NotFoundError);
    await expect(reportCommand(["--org", "khong-co", "--month", "2026-06"], h.deps)).rejects.toThrow(/Không tìm thấy tổ chức đảng\. \/ Organisation not found\./);
  });

  it("uses the DynamoDB Local that a running `npm start` announced", async () => {
    const h = harness({ open: undefined });
    mkdirSync(h.deps.config.DATA_DIR, { recursive: true });
    writeFileSync(join(h.deps.config.DATA_DIR, "dynamodb-endpoint"), inject("dynamoEndpoint"));
    const dir = mkdtempSync(join(tmpdir(), "bienban-out-"));
    expect(await reportCommand(["--org", "huyen-d", "--month", "2026-06", "--out", dir, "--json"], h.deps)).toBe(0);
    expect(ReportSchema.parse(JSON.parse(h.out.join(""))).totals).toMatchObject({ cells: 1, meetings: 2, findings: 2 });
  });
});
