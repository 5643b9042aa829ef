/** A readable Vietnamese summary of an extraction document, for the terminal. */
import { FIELD_LABEL, KIND_LABEL } from "../api/i18n.ts";
import type { ExtractionDocument } from "../meeting/schema.ts";

export function formatSummary(doc: ExtractionDocument): string {
  const m = doc.meeting;
  const L = FIELD_LABEL.vi;
  const review = new Set(doc.review.fields);
  const val = (field: string, v: unknown): string => {
    const shown = v === null || v === undefined ? (review.has(field) ? "không đọc được (cần xem lại)" : "không ghi") : typeof v === "boolean" ? (v ? "có" : "không") : String(v);
    const c = doc.confidence[field];
    return `${shown}${c !== undefined ? `  [${Math.round(c * 100)}%]` : ""}`;
  };
  const line = (field: string, v: unknown) => `  ${(L[field] ?? field).padEnd(24)} ${val(field, v)}`;
  const out = [
    `BIÊN BẢN ${m.cellName ?? ""}${m.partyCommittee ? ` — ${m.partyCommittee}` : ""}`.trimEnd(),
    line("kind", m.kind ? KIND_LABEL.vi[m.kind] : null),
    line("meetingDate", m.meetingDate),
    line("startTime", m.startTime),
    line("endTime", m.endTime),
    line("durationMinutes", m.durationMinutes),
    line("location", m.location),
    line("chair", m.chair),
    line("secretary", m.secretary),
    line("attendance.total", m.attendance.total),
    line("attendance.exempt", m.attendance.exempt),
    line("attendance.present", m.attendance.present),
    line("attendance.absentExcused", m.attendance.absentExcused),
    line("attendance.absentUnexcused", m.attendance.absentUnexcused),
    line("opinions", m.opinions.length ? `${m.opinions.length} ý kiến` : null),
    line("votes", m.votes.length ? m.votes.map((v) => `tán thành ${v.agree ?? "?"}, không tán thành ${v.disagree ?? "?"}, không biểu quyết ${v.abstain ?? "?"}`).join("; ") : null),
    line("minutesApproved", m.minutesApproved),
    line("signatures.chair", m.signatures.chair),
    line("signatures.secretary", m.signatures.secretary),
    "",
    doc.flags.length === 0 ? "Không có cảnh báo." : `Cảnh báo (${doc.flags.length}):`,
    ...doc.flags.map((f) => `  [${f.severity === "error" ? "LỖI" : "LƯU Ý"}] ${f.code}: ${f.message}\n      Căn cứ: ${f.basis}`),
  ];
  if (doc.review.needed) out.push("", `Cần người xem lại: ${doc.review.fields.map((f) => L[f] ?? f).join(", ")}`);
  return `${out.join("\n")}\n`;
}
