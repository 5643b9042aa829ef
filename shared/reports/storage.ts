/**
 * Where reports live in the blob store (S3 in AWS, the file system locally):
 *
 *   reports/<orgId>/<YYYY-MM>/report.{json,csv,html,pdf}   the four renderings of one report
 *   reports/<orgId>/index.json                               the organisation's reports, for listing
 *
 * Why an index object: the BlobStore port has no listing (and S3 ListObjects would need another
 * permission and pagination for a question asked on every page view). The index is written AFTER
 * the four files, so an entry never points at a missing file. Two writers of the same
 * organisation's index at the same moment (the monthly run and an inspector's "build now") could
 * lose one entry; the files are still there, and the next build of that month writes it again.
 */
import * as z from "zod";
import type { Blob, BlobStore } from "../store/blobs.ts";
import { MonthSchema, OrgIdSchema } from "../store/records.ts";
import { toCsv } from "./csv.ts";
import { toHtml } from "./html.ts";
import { toPdf } from "./pdf.ts";
import { REPORT_FORMATS, ReportSchema, type Report, type ReportFormat } from "./schema.ts";

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  html: "text/html; charset=utf-8",
  pdf: "application/pdf",
};

export const reportKey = (orgId: string, month: string, format: ReportFormat) =>
  `reports/${OrgIdSchema.parse(orgId)}/${MonthSchema.parse(month)}/report.${format}`;
export const indexKey = (orgId: string) => `reports/${OrgIdSchema.parse(orgId)}/index.json`;

export const ReportListingSchema = z.object({
  month: MonthSchema,
  generatedAt: z.string(),
  schemaVersion: z.number().int(),
  cells: z.number().int().min(0),
  findings: z.number().int().min(0),
  /** bytes of each rendering */
  files: z.record(z.enum(REPORT_FORMATS), z.number().int().min(0)),
});
export type ReportListing = z.infer<typeof ReportListingSchema>;

const ReportIndexSchema = z.object({ orgId: OrgIdSchema, reports: z.array(ReportListingSchema) });

/** Every rendering of a report, keyed by format. */
export async function renderReport(report: Report): Promise<Record<ReportFormat, Buffer>> {
  const r = ReportSchema.parse(report);
  return {
    json: Buffer.from(`${JSON.stringify(r, null, 2)}\n`, "utf8"),
    csv: Buffer.from(toCsv(r), "utf8"),
    html: Buffer.from(toHtml(r), "utf8"),
    pdf: await toPdf(r),
  };
}

async function readIndex(blobs: BlobStore, orgId: string): Promise<ReportListing[]> {
  const blob = await blobs.get(indexKey(orgId));
  if (!blob) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(blob.bytes.toString("utf8"));
  } catch {
    parsed = null;
  }
  const index = ReportIndexSchema.safeParse(parsed);
  // a damaged index is rebuilt from the next report on; the files themselves are untouched
  return index.success ? index.data.reports : [];
}

/** Writes the four renderings, then the index entry; returns the entry. */
export async function storeReport(blobs: BlobStore, report: Report, rendered?: Record<ReportFormat, Buffer>): Promise<ReportListing> {
  const files = rendered ?? (await renderReport(report));
  const { id } = report.org;
  await Promise.all(REPORT_FORMATS.map((f) => blobs.put(reportKey(id, report.month, f), files[f], CONTENT_TYPES[f])));
  const entry: ReportListing = {
    month: report.month,
    generatedAt: report.generatedAt,
    schemaVersion: report.schemaVersion,
    cells: report.totals.cells,
    findings: report.totals.findings,
    files: { json: files.json.length, csv: files.csv.length, html: files.html.length, pdf: files.pdf.length },
  };
  const others = (await readIndex(blobs, id)).filter((r) => r.month !== report.month);
  const reports = [entry, ...others].sort((a, b) => (a.month < b.month ? 1 : -1));
  await blobs.put(indexKey(id), Buffer.from(JSON.stringify({ orgId: id, reports })), CONTENT_TYPES.json);
  return entry;
}

/** The stored reports of an organisation, newest month first. */
export async function listReports(blobs: BlobStore, orgId: string): Promise<ReportListing[]> {
  return readIndex(blobs, orgId);
}

export async function getReportFile(blobs: BlobStore, orgId: string, month: string, format: ReportFormat): Promise<Blob | null> {
  return blobs.get(reportKey(orgId, month, format));
}

/** Whether the report of an organisation and month is stored (its JSON, written with the others). */
export async function reportExists(blobs: BlobStore, orgId: string, month: string): Promise<boolean> {
  return (await blobs.size(reportKey(orgId, month, "json"))) !== null;
}
