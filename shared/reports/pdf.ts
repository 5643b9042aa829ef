/**
 * The report as a printable PDF in Vietnamese: A4 landscape, Noto Serif embedded (subset), the bar
 * chart of findings drawn with vector primitives, a table per level and the cell table with its
 * header repeated on every page. Only pdfkit's own drawing is used: no HTML engine in a Lambda.
 */
import PDFDocument from "pdfkit";
import { reportFonts } from "./fonts.ts";
import { codeLabel, dateLabel, formatPercent, kindLabel, monthLabel, t, type Lang } from "./labels.ts";
import type { LevelStats, Report } from "./schema.ts";

type Doc = PDFKit.PDFDocument;

const MARGIN = 32;
/**
 * The PDF lists at most this many cells (those with the most findings; the list is sorted so). A
 * province of 10 000 cells would otherwise be a 300-page PDF taking minutes to lay out; every cell
 * is in the CSV and the HTML, and the PDF says how many it left out.
 */
export const PDF_MAX_CELL_ROWS = 300;
const FONT_SIZE = 8.5;
const PAD = 3;

interface Column {
  header: string;
  width: number;
  align?: "left" | "right";
}

/** A table whose rows grow with their text and whose header repeats after each page break. */
function table(doc: Doc, columns: readonly Column[], rows: readonly string[][]): void {
  const left = MARGIN;
  const bottom = () => doc.page.height - MARGIN;
  const heightOf = (cells: readonly string[], bold: boolean) => {
    doc.font(bold ? "bold" : "regular").fontSize(FONT_SIZE);
    return Math.max(...cells.map((text, i) => doc.heightOfString(text || " ", { width: (columns[i]?.width ?? 40) - 2 * PAD }))) + 2 * PAD;
  };
  const drawRow = (cells: readonly string[], bold: boolean) => {
    const h = heightOf(cells, bold);
    if (doc.y + h > bottom()) {
      doc.addPage();
      doc.y = MARGIN;
      if (!bold) drawRow(columns.map((c) => c.header), true);
    }
    const y = doc.y;
    let x = left;
    cells.forEach((text, i) => {
      const col = columns[i];
      if (!col) return;
      if (bold) doc.rect(x, y, col.width, h).fill("#e8e8e8");
      doc.rect(x, y, col.width, h).lineWidth(0.4).stroke("#888888");
      doc
        .fillColor("#111111")
        .font(bold ? "bold" : "regular")
        .fontSize(FONT_SIZE)
        .text(text, x + PAD, y + PAD, { width: col.width - 2 * PAD, align: col.align ?? "left", lineBreak: true });
      x += col.width;
    });
    doc.x = left;
    doc.y = y + h;
  };
  drawRow(columns.map((c) => c.header), true);
  for (const r of rows) drawRow(r, false);
  doc.moveDown(0.6);
}

function heading(doc: Doc, text: string, size = 12): void {
  if (doc.y > doc.page.height - MARGIN - 60) {
    doc.addPage();
    doc.y = MARGIN;
  }
  doc.moveDown(0.4).font("bold").fontSize(size).fillColor("#111111").text(text, MARGIN, doc.y);
  doc.moveDown(0.3);
}

const statsRow = (s: LevelStats, lang: Lang): string[] =>
  [s.cells, s.cellsWithMeeting, formatPercent(s.meetingRate, lang), s.meetings, s.flaggedMeetings, s.meetingsNeedingReview, formatPercent(s.averageAttendanceRate, lang), s.findings].map(String);

const codes = (byCode: Record<string, number>, lang: Lang) =>
  Object.entries(byCode)
    .map(([code, n]) => `${codeLabel(code, lang)}${n > 1 ? ` ×${n}` : ""}`)
    .join("; ") || "–";

function statsColumns(first: string, lang: Lang, width: number): Column[] {
  const num = (k: Parameters<typeof t>[0]) => ({ header: t(k, lang), width: 62, align: "right" as const });
  const stats = [num("cells"), num("cellsWithMeeting"), num("meetingRate"), num("meetings"), num("flaggedMeetings"), num("needsReview"), num("averageAttendance"), num("findings")];
  const used = stats.length * 62;
  const nameW = Math.min(200, (width - used) / 2);
  return [{ header: first, width: nameW }, ...stats, { header: t("flags", lang), width: width - used - nameW }];
}

function barChart(doc: Doc, report: Report, lang: Lang): void {
  const findings = report.findingsByCode;
  if (findings.length === 0) {
    doc.font("regular").fontSize(FONT_SIZE).text(t("noFindings", lang));
    return;
  }
  const rowH = 16;
  const labelW = 220;
  const barW = 380;
  const max = Math.max(1, ...findings.map((f) => f.count));
  if (doc.y + findings.length * rowH > doc.page.height - MARGIN) {
    doc.addPage();
    doc.y = MARGIN;
  }
  const top = doc.y;
  findings.forEach((f, i) => {
    const y = top + i * rowH;
    const w = Math.max(2, (f.count / max) * barW);
    doc.font("regular").fontSize(FONT_SIZE).fillColor("#111111").text(codeLabel(f.code, lang), MARGIN, y + 3, { width: labelW - 8, align: "right", lineBreak: false });
    doc.rect(MARGIN + labelW, y + 2, w, rowH - 5).fill(f.severity === "error" ? "#b3261e" : "#c77700");
    doc.fillColor("#111111").text(String(f.count), MARGIN + labelW + w + 5, y + 3, { lineBreak: false });
  });
  doc.x = MARGIN;
  doc.y = top + findings.length * rowH + 6;
}

export async function toPdf(report: Report, lang: Lang = "vi"): Promise<Buffer> {
  const fonts = reportFonts();
  const generated = new Date(report.generatedAt);
  const doc = new PDFDocument({
    size: "A4",
    layout: "landscape",
    margin: MARGIN,
    font: fonts.regular,
    lang,
    info: {
      Title: `${t("title", lang)} — ${report.org.name} — ${monthLabel(report.month, lang)}`,
      Author: "bienban",
      CreationDate: Number.isNaN(generated.getTime()) ? new Date() : generated,
    },
  });
  doc.registerFont("regular", fonts.regular);
  doc.registerFont("bold", fonts.bold);
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  const width = doc.page.width - 2 * MARGIN;
  doc.font("bold").fontSize(15).text(t("title", lang), { align: "center" });
  doc
    .font("regular")
    .fontSize(10)
    .text(`${report.org.name} — ${monthLabel(report.month, lang)} (${t("quarter", lang)} ${report.quarter.id})`, { align: "center" })
    .text(`${t("ruleSet", lang)}: ${report.ruleSet.id} · ${t("generated", lang)}: ${report.generatedAt}`, { align: "center" });

  heading(doc, t("summary", lang));
  const summaryCols = statsColumns(t("org", lang), lang, width);
  table(doc, summaryCols, [[report.org.name, ...statsRow(report.totals, lang), codes(report.totals.countsByCode, lang)]]);

  heading(doc, t("chart", lang));
  barChart(doc, report, lang);
  doc.font("regular").fontSize(7.5).fillColor("#444444").text(t("thematicNote", lang), MARGIN, doc.y);

  heading(doc, t("levels", lang));
  const depths = [...new Set(report.levels.map((l) => l.depth))].sort((a, b) => a - b);
  for (const d of depths) {
    heading(doc, `${t("level", lang)} ${d + 1}`, 10);
    table(
      doc,
      statsColumns(t("org", lang), lang, width),
      report.levels.filter((l) => l.depth === d).map((l) => [l.name, ...statsRow(l.stats, lang), codes(l.stats.countsByCode, lang)]),
    );
  }

  heading(doc, t("cellTable", lang));
  const cellCols: Column[] = [
    { header: t("cell", lang), width: 150 },
    { header: t("parent", lang), width: 120 },
    { header: t("status", lang), width: 80 },
    { header: t("kind", lang), width: 70 },
    { header: t("date", lang), width: 58 },
    { header: t("duration", lang), width: 48, align: "right" },
    { header: t("attendance", lang), width: 48, align: "right" },
    { header: t("findings", lang), width: 40, align: "right" },
    { header: t("review", lang), width: 38 },
  ];
  cellCols.splice(8, 0, { header: t("flags", lang), width: width - cellCols.reduce((a, c) => a + c.width, 0) });
  table(
    doc,
    cellCols,
    report.cells.slice(0, PDF_MAX_CELL_ROWS).map((c) => {
      const ms = c.meetings;
      const join = (f: (m: (typeof ms)[number]) => string) => (ms.length ? ms.map(f).join("\n") : "–");
      return [
        c.name,
        c.parentName ?? "",
        c.meetingHeld ? t("held", lang) : codeLabel("NO_MEETING_IN_MONTH", lang),
        join((m) => kindLabel(m.kind, lang)),
        join((m) => dateLabel(m.date, lang)),
        join((m) => (m.durationMinutes === null ? "–" : String(m.durationMinutes))),
        join((m) => formatPercent(m.attendanceRate, lang)),
        String(c.findingCount),
        codes(c.flagsByCode, lang),
        c.reviewNeeded ? t("yes", lang) : t("no", lang),
      ];
    }),
  );

  const left = report.cells.length - PDF_MAX_CELL_ROWS;
  if (left > 0) {
    const note = lang === "vi" ? `… và ${left} chi bộ khác, ít phát hiện hơn: xem bản CSV hoặc HTML của báo cáo.` : `… and ${left} more cells with fewer findings: see the CSV or HTML report.`;
    doc.font("regular").fontSize(FONT_SIZE).fillColor("#111111").text(note, MARGIN, doc.y);
  }

  heading(doc, t("members", lang));
  if (report.members.length === 0) doc.font("regular").fontSize(FONT_SIZE).text(t("noMembers", lang), MARGIN, doc.y);
  else {
    table(
      doc,
      [
        { header: t("member", lang), width: 200 },
        { header: t("cell", lang), width: 250 },
        { header: t("inRow", lang), width: 80, align: "right" },
        { header: t("from", lang), width: 80 },
        { header: t("to", lang), width: 80 },
      ],
      report.members.map((m) => [m.name, m.cellName, String(m.inRow), dateLabel(m.from, lang), dateLabel(m.to, lang)]),
    );
  }

  heading(doc, t("trend", lang));
  table(
    doc,
    [
      { header: t("month", lang), width: 110 },
      ...(["cells", "cellsWithMeeting", "meetingRate", "meetings", "flaggedMeetings", "averageAttendance"] as const).map((k) => ({ header: t(k, lang), width: 85, align: "right" as const })),
    ],
    report.trend.map((r) => [monthLabel(r.month, lang), ...[r.cells, r.cellsWithMeeting, formatPercent(r.meetingRate, lang), r.meetings, r.flaggedMeetings, formatPercent(r.averageAttendanceRate, lang)].map(String)]),
  );

  doc.end();
  return done;
}
