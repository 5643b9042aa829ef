/**
 * Monthly compliance reports (issue: "which cells held their meeting, which did not, how the
 * minutes measure against the criteria, which members and cells need attention").
 */
export { buildReport, computeReport, loadTree, parseReportMonth, type BuildReportOptions, type OnProgress, type ReportProgress, type TreeData } from "./build.ts";
export { reportCommand, REPORT_USAGE, type ReportCommandDeps } from "./cli.ts";
export { toCsv } from "./csv.ts";
export { toHtml } from "./html.ts";
export { toPdf } from "./pdf.ts";
export { reportRoutes, type ReportRouteDeps } from "./routes.ts";
export { createReportHandler, runScheduledReports, ReportRunIncompleteError, type RunResult, type ScheduledDeps } from "./scheduled.ts";
export { ReportSchema, REPORT_CODES, REPORT_SCHEMA_VERSION, type Report, type ReportFormat } from "./schema.ts";
export { getReportFile, listReports, renderReport, reportExists, storeReport, type ReportListing } from "./storage.ts";
