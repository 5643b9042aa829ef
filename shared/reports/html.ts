/**
 * The report as one printable HTML page: no script, no external file (fonts, CSS and the chart are
 * inline), so it can be saved, mailed and printed as it is. Every value is escaped: organisation
 * names come from admins and member names from OCR.
 */
import { codeLabel, dateLabel, formatPercent, kindLabel, monthLabel, t, type Lang } from "./labels.ts";
import type { Finding, LevelRow, LevelStats, Report } from "./schema.ts";

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] ?? ch);
}
const e = escapeHtml;

/** Horizontal bars of findings by code, as inline SVG (readable without CSS, printable). */
export function barChartSvg(findings: readonly Finding[], lang: Lang): string {
  const rowH = 26;
  const labelW = 290;
  const barW = 380;
  const width = labelW + barW + 60;
  const height = Math.max(findings.length, 1) * rowH + 10;
  const max = Math.max(1, ...findings.map((f) => f.count));
  const rows = findings.map((f, i) => {
    const y = 5 + i * rowH;
    const w = Math.max(2, Math.round((f.count / max) * barW));
    const color = f.severity === "error" ? "#b3261e" : "#c77700";
    return (
      `<g data-code="${e(f.code)}"><title>${e(f.code)}</title>` +
      `<text x="${labelW - 8}" y="${y + 17}" text-anchor="end">${e(codeLabel(f.code, lang))}</text>` +
      `<rect x="${labelW}" y="${y + 4}" width="${w}" height="${rowH - 8}" fill="${color}"/>` +
      `<text x="${labelW + w + 6}" y="${y + 17}">${f.count}</text></g>`
    );
  });
  if (findings.length === 0) rows.push(`<text x="10" y="22">${e(t("noFindings", lang))}</text>`);
  return (
    `<svg class="chart" role="img" aria-label="${e(t("chart", lang))}" xmlns="http://www.w3.org/2000/svg" ` +
    `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="'Noto Serif', 'Times New Roman', serif" font-size="13">` +
    rows.join("") +
    `</svg>`
  );
}

const codesCell = (byCode: Record<string, number>, lang: Lang) =>
  Object.entries(byCode)
    .map(([code, n]) => `<span class="code" title="${e(code)}">${e(codeLabel(code, lang))}${n > 1 ? ` ×${n}` : ""}</span>`)
    .join(" ") || "–";

function statsCells(s: LevelStats, lang: Lang): string {
  return [
    s.cells,
    s.cellsWithMeeting,
    formatPercent(s.meetingRate, lang),
    s.meetings,
    s.flaggedMeetings,
    s.meetingsNeedingReview,
    formatPercent(s.averageAttendanceRate, lang),
    s.findings,
  ]
    .map((v) => `<td class="num">${e(String(v))}</td>`)
    .join("");
}

const statsHead = (lang: Lang) =>
  (["cells", "cellsWithMeeting", "meetingRate", "meetings", "flaggedMeetings", "needsReview", "averageAttendance", "findings"] as const)
    .map((k) => `<th>${e(t(k, lang))}</th>`)
    .join("");

function levelTables(levels: readonly LevelRow[], lang: Lang): string {
  const depths = [...new Set(levels.map((l) => l.depth))].sort((a, b) => a - b);
  return depths
    .map((d) => {
      const rows = levels
        .filter((l) => l.depth === d)
        .map((l) => `<tr><td>${e(l.name)}</td>${statsCells(l.stats, lang)}<td>${codesCell(l.stats.countsByCode, lang)}</td></tr>`)
        .join("");
      return (
        `<h3>${e(t("level", lang))} ${d + 1}</h3>` +
        `<table class="level" data-depth="${d}"><thead><tr><th>${e(t("org", lang))}</th>${statsHead(lang)}<th>${e(t("flags", lang))}</th></tr></thead><tbody>${rows}</tbody></table>`
      );
    })
    .join("");
}

function cellTable(report: Report, lang: Lang): string {
  const rows = report.cells
    .map((c) => {
      const status = c.meetingHeld ? e(t("held", lang)) : `<strong class="bad">${e(codeLabel("NO_MEETING_IN_MONTH", lang))}</strong>`;
      const ms = c.meetings;
      const col = (f: (m: (typeof ms)[number]) => string) => (ms.length ? ms.map((m) => e(f(m))).join("<br>") : "–");
      return (
        `<tr data-cell="${e(c.id)}"><td>${e(c.name)}<div class="sub">${e(c.parentName ?? "")}</div></td><td>${status}</td>` +
        `<td>${col((m) => kindLabel(m.kind, lang))}</td><td>${col((m) => dateLabel(m.date, lang))}</td>` +
        `<td class="num">${col((m) => (m.durationMinutes === null ? "–" : String(m.durationMinutes)))}</td>` +
        `<td class="num">${col((m) => formatPercent(m.attendanceRate, lang))}</td>` +
        `<td>${codesCell(c.flagsByCode, lang)}</td><td class="num">${c.findingCount}</td>` +
        `<td>${e(c.reviewNeeded ? t("yes", lang) : t("no", lang))}</td></tr>`
      );
    })
    .join("");
  const head = (["cell", "status", "kind", "date", "duration", "attendance", "flags", "findings", "review"] as const).map((k) => `<th>${e(t(k, lang))}</th>`).join("");
  return `<table class="cells"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

function memberTable(report: Report, lang: Lang): string {
  if (report.members.length === 0) return `<p>${e(t("noMembers", lang))}</p>`;
  const rows = report.members
    .map((m) => `<tr><td>${e(m.name)}</td><td>${e(m.cellName)}</td><td class="num">${m.inRow}</td><td>${e(dateLabel(m.from, lang))}</td><td>${e(dateLabel(m.to, lang))}</td></tr>`)
    .join("");
  const head = (["member", "cell", "inRow", "from", "to"] as const).map((k) => `<th>${e(t(k, lang))}</th>`).join("");
  return `<table class="members"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

function trendTable(report: Report, lang: Lang): string {
  const head = (["month", "cells", "cellsWithMeeting", "meetingRate", "meetings", "flaggedMeetings", "averageAttendance"] as const).map((k) => `<th>${e(t(k, lang))}</th>`).join("");
  const rows = report.trend
    .map(
      (r) =>
        `<tr${r.month === report.month ? ' class="current"' : ""}><td>${e(monthLabel(r.month, lang))}</td>` +
        [r.cells, r.cellsWithMeeting, formatPercent(r.meetingRate, lang), r.meetings, r.flaggedMeetings, formatPercent(r.averageAttendanceRate, lang)]
          .map((v) => `<td class="num">${e(String(v))}</td>`)
          .join("") +
        `</tr>`,
    )
    .join("");
  return `<table class="trend"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

const CSS = `
@page { size: A4 landscape; margin: 12mm; }
body { font-family: "Noto Serif", "Times New Roman", serif; font-size: 12px; color: #111; margin: 16px; }
h1 { font-size: 18px; text-align: center; margin: 0 0 4px; }
h2 { font-size: 15px; margin: 18px 0 6px; border-bottom: 1px solid #999; }
h3 { font-size: 13px; margin: 10px 0 4px; }
.meta { text-align: center; color: #444; margin-bottom: 12px; }
table { border-collapse: collapse; width: 100%; margin-bottom: 8px; }
th, td { border: 1px solid #999; padding: 3px 5px; vertical-align: top; }
th { background: #eee; }
td.num { text-align: right; white-space: nowrap; }
tr { break-inside: avoid; }
tr.current td { font-weight: bold; }
.sub { color: #555; font-size: 11px; }
.code { display: inline-block; margin: 0 4px 2px 0; }
.bad { color: #b3261e; }
.note { color: #444; font-size: 11px; }
`;

export function toHtml(report: Report, lang: Lang = "vi"): string {
  const s = report.totals;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(`${t("title", lang)} — ${report.org.name} — ${monthLabel(report.month, lang)}`)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${e(t("title", lang))}</h1>
<div class="meta">${e(report.org.name)} — ${e(monthLabel(report.month, lang))} (${e(t("quarter", lang))} ${e(report.quarter.id)})<br>
${e(t("ruleSet", lang))}: ${e(report.ruleSet.id)} · ${e(t("generated", lang))}: ${e(report.generatedAt)}</div>
<h2>${e(t("summary", lang))}</h2>
<table class="summary"><thead><tr>${statsHead(lang)}</tr></thead><tbody><tr>${statsCells(s, lang)}</tr></tbody></table>
<h2>${e(t("chart", lang))}</h2>
${barChartSvg(report.findingsByCode, lang)}
<p class="note">${e(t("thematicNote", lang))}</p>
<h2>${e(t("levels", lang))}</h2>
${levelTables(report.levels, lang)}
<h2>${e(t("cellTable", lang))}</h2>
${cellTable(report, lang)}
<h2>${e(t("members", lang))}</h2>
${memberTable(report, lang)}
<h2>${e(t("trend", lang))}</h2>
${trendTable(report, lang)}
</body>
</html>
`;
}
