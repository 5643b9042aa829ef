/**
 * The report as CSV for spreadsheet programs: one row per meeting of each cell (a cell without a
 * meeting gets one row saying so), Vietnamese headers, UTF-8 with a byte-order mark (without it,
 * Excel opens UTF-8 as the ANSI code page and Vietnamese turns to mojibake), CRLF line ends
 * (RFC 4180). Numbers use a dot so that they stay numbers whatever the reader's locale.
 */
import { codeLabel, kindLabel, type Lang } from "./labels.ts";
import type { Report } from "./schema.ts";

export const CSV_BOM = "\uFEFF";

/**
 * Quotes a field when needed; a text starting with = + - @ (or a tab/CR) is prefixed with an
 * apostrophe so a spreadsheet never runs it as a formula (names come from OCR and from admins).
 */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  let s = typeof value === "boolean" ? (value ? "1" : "0") : value;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const HEADERS: Record<Lang, string[]> = {
  vi: [
    "Mã chi bộ",
    "Chi bộ",
    "Trực thuộc",
    "Tình trạng",
    "Loại sinh hoạt",
    "Ngày họp",
    "Thời lượng (phút)",
    "Có mặt",
    "Phải dự",
    "Tỷ lệ dự họp (%)",
    "Phát hiện của buổi họp",
    "Phát hiện của chi bộ trong tháng",
    "Số phát hiện của chi bộ",
    "Cần xem lại",
  ],
  en: ["Cell id", "Cell", "Under", "Status", "Kind", "Date", "Duration (min)", "Present", "Required", "Attendance (%)", "Meeting findings", "Cell findings this month", "Cell finding count", "Needs review"],
};

const codes = (byCode: Record<string, number>) =>
  Object.entries(byCode)
    .map(([code, n]) => (n > 1 ? `${code} ×${n}` : code))
    .join("; ");

export function toCsv(report: Report, lang: Lang = "vi"): string {
  const rows: (string | number | boolean | null)[][] = [HEADERS[lang]];
  for (const c of report.cells) {
    const cellCodes = codes(c.flagsByCode);
    const base = [c.id, c.name, c.parentName];
    if (c.meetings.length === 0) {
      rows.push([...base, `NO_MEETING_IN_MONTH (${codeLabel("NO_MEETING_IN_MONTH", lang)})`, null, null, null, null, null, null, null, cellCodes, c.findingCount, false]);
    }
    for (const m of c.meetings) {
      rows.push([
        ...base,
        lang === "vi" ? "Có sinh hoạt" : "Meeting held",
        kindLabel(m.kind, lang),
        m.date,
        m.durationMinutes,
        m.present,
        m.required,
        m.attendanceRate,
        codes(m.flagsByCode),
        cellCodes,
        c.findingCount,
        m.reviewNeeded,
      ]);
    }
  }
  return CSV_BOM + rows.map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";
}
