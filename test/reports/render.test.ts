/**
 * The renderings of the hand-computed June report: CSV for spreadsheets, printable HTML, PDF in
 * Vietnamese (checked with poppler: it renders, and its text layer reads back in Vietnamese).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildReport } from "../../shared/reports/build.ts";
import { CSV_BOM, csvField, toCsv } from "../../shared/reports/csv.ts";
import { toHtml } from "../../shared/reports/html.ts";
import { toPdf } from "../../shared/reports/pdf.ts";
import type { Report } from "../../shared/reports/schema.ts";
import { freshStore } from "../helpers/dynamo.ts";
import { seedExample } from "./example.ts";

let june: Report;
beforeAll(async () => {
  const { store } = await freshStore();
  await seedExample(store);
  june = await buildReport(store, { orgId: "tinh-a", month: "2026-06", now: new Date("2026-07-01T00:00:00Z") });
});

describe("CSV", () => {
  it("starts with a BOM, has Vietnamese headers, one row per meeting or missing meeting, most findings first", () => {
    const csv = toCsv(june);
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    const lines = csv.slice(1).split("\r\n");
    expect(lines.at(-1)).toBe("");
    expect(lines[0]).toBe(
      "Mã chi bộ,Chi bộ,Trực thuộc,Tình trạng,Loại sinh hoạt,Ngày họp,Thời lượng (phút),Có mặt,Phải dự,Tỷ lệ dự họp (%),Phát hiện của buổi họp,Phát hiện của chi bộ trong tháng,Số phát hiện của chi bộ,Cần xem lại",
    );
    const rows = lines.slice(1, -1).map((l) => l.split(","));
    expect(rows.map((r) => [r[0], r[5], r[9], r[12]])).toEqual([
      ["cb-tay", "2026-06-10", "75", "3"],
      ["cb-nam", "2026-06-03", "100", "2"],
      ["cb-nam", "2026-06-20", "80", "2"],
      ["cb-co-quan", "", "", "1"],
      ["cb-dong", "2026-06-05", "88.9", "1"],
    ]);
    expect(rows[3]?.[3]).toBe("NO_MEETING_IN_MONTH (Không sinh hoạt trong tháng)");
    expect(rows[0]?.[11]).toBe("ATTENDANCE_BELOW_THRESHOLD; DURATION_TOO_SHORT; NO_THEMATIC_IN_QUARTER");
    expect(rows[0]?.[13]).toBe("1");
    expect(Buffer.from(csv, "utf8").subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it("quotes what needs quoting and never lets a spreadsheet run a formula", () => {
    expect(csvField('Chi bộ "A", thôn B')).toBe('"Chi bộ ""A"", thôn B"');
    expect(csvField("=HYPERLINK(\"x\")")).toBe("\"'=HYPERLINK(\"\"x\"\")\"");
    expect(csvField("+84 912")).toBe("'+84 912");
    expect(csvField("-1")).toBe("'-1");
    expect(csvField(-1)).toBe("-1");
    expect(csvField(null)).toBe("");
  });
});

describe("HTML", () => {
  it("is one self-contained Vietnamese page with the chart and a table per level", () => {
    const html = toHtml(june);
    expect(html).toMatch(/^<!doctype html>\n<html lang="vi">/);
    expect(html).not.toMatch(/<script|<link|src="http|href="http/i);
    expect(html).toContain("BÁO CÁO CHẤT LƯỢNG SINH HOẠT CHI BỘ");
    // the chart: one bar per code, longest for the commonest
    const svg = html.match(/<svg class="chart"[\s\S]*?<\/svg>/)?.[0] ?? "";
    expect([...svg.matchAll(/data-code="([A-Z_]+)"/g)].map((m) => m[1])).toEqual(june.findingsByCode.map((f) => f.code));
    const widths = [...svg.matchAll(/<rect [^>]*width="(\d+)"/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(6);
    expect(widths[0]).toBe(380);
    expect(widths[1]).toBe(190);
    // a table per level (depth 0, 1, 2), rows in the report's order
    expect([...html.matchAll(/<table class="level" data-depth="(\d)"/g)].map((m) => m[1])).toEqual(["0", "1", "2"]);
    expect([...html.matchAll(/<tr data-cell="([a-z-]+)"/g)].map((m) => m[1])).toEqual(["cb-tay", "cb-nam", "cb-co-quan", "cb-dong"]);
    expect(html).toContain("Lê Văn Cường");
    expect(html).toContain("86,0");
  });

  it("escapes names and can be English", () => {
    const hostile = { ...june, org: { ...june.org, name: '<img src=x onerror="alert(1)">' } };
    const html = toHtml(hostile, "en");
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(html).not.toContain("<img");
    expect(html).toContain("PARTY CELL MEETING COMPLIANCE REPORT");
  });
});

describe("PDF", () => {
  it("is a PDF that poppler renders, with an embedded font and Vietnamese text", async () => {
    const pdf = await toPdf(june);
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pdf.toString("latin1")).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSerif/);
    expect(pdf.toString("latin1")).toContain("/FontFile2");
    const dir = mkdtempSync(join(tmpdir(), "bienban-pdf-"));
    const file = join(dir, "report.pdf");
    writeFileSync(file, pdf);
    execFileSync("pdftoppm", ["-png", "-r", "60", file, join(dir, "page")]);
    const pages = readdirSync(dir).filter((f) => f.endsWith(".png"));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const p of pages) expect(statSync(join(dir, p)).size).toBeGreaterThan(5000);
    const text = execFileSync("pdftotext", ["-layout", file, "-"]).toString("utf8");
    for (const s of ["BÁO CÁO CHẤT LƯỢNG SINH HOẠT CHI BỘ", "Đảng bộ tỉnh An", "Chi bộ thôn Tây", "Không sinh hoạt trong tháng", "Lê Văn Cường", "Tổng hợp theo cấp", "86,0"]) {
      expect(text.normalize("NFC")).toContain(s);
    }
  });
});
