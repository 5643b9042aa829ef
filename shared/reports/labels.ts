/**
 * Words of the rendered reports (CSV headers, HTML, PDF), Vietnamese first. Codes stay the stable
 * identifiers; these short labels are for people and may change.
 */
import type { MeetingKind } from "../meeting/schema.ts";

export type Lang = "vi" | "en";

const CODE_LABELS: Record<string, { vi: string; en: string }> = {
  MISSING_MEETING_DATE: { vi: "Thiếu ngày họp", en: "No meeting date" },
  MISSING_START_TIME: { vi: "Thiếu giờ bắt đầu", en: "No start time" },
  MISSING_END_TIME: { vi: "Thiếu giờ kết thúc", en: "No end time" },
  MISSING_CHAIR: { vi: "Thiếu chủ trì", en: "No chair" },
  MISSING_SECRETARY: { vi: "Thiếu thư ký", en: "No minute-taker" },
  MISSING_ATTENDANCE: { vi: "Thiếu số dự họp", en: "No attendance" },
  MISSING_OPINIONS: { vi: "Không ghi ý kiến thảo luận", en: "No opinions recorded" },
  MISSING_VOTE_RESULT: { vi: "Thiếu kết quả biểu quyết", en: "No vote result" },
  MISSING_CHAIR_SIGNATURE: { vi: "Thiếu chữ ký chủ trì", en: "No chair signature" },
  MISSING_SECRETARY_SIGNATURE: { vi: "Thiếu chữ ký thư ký", en: "No minute-taker signature" },
  ATTENDANCE_BELOW_THRESHOLD: { vi: "Dự họp không quá 85%", en: "Attendance not over 85%" },
  ABSENT_WITHOUT_REASON: { vi: "Vắng không lý do", en: "Absent without reason" },
  DURATION_TOO_SHORT: { vi: "Thời lượng chưa đủ", en: "Too short" },
  ATTENDANCE_INCONSISTENT: { vi: "Số dự họp không khớp", en: "Attendance inconsistent" },
  VOTE_COUNT_INCONSISTENT: { vi: "Số biểu quyết không khớp", en: "Vote count inconsistent" },
  REPEATED_EXCUSED_ABSENCE: { vi: "Vắng có lý do nhiều lần liên tiếp", en: "Excused absences in a row" },
  NO_MEETING_IN_MONTH: { vi: "Không sinh hoạt trong tháng", en: "No meeting this month" },
  NO_THEMATIC_IN_QUARTER: { vi: "Chưa sinh hoạt chuyên đề trong quý", en: "No thematic meeting this quarter" },
};

export function codeLabel(code: string, lang: Lang = "vi"): string {
  return CODE_LABELS[code]?.[lang] ?? code;
}

export function kindLabel(kind: MeetingKind | null, lang: Lang = "vi"): string {
  const vi = { regular: "Thường kỳ", thematic: "Chuyên đề", combined: "Thường kỳ kết hợp chuyên đề" };
  const en = { regular: "Regular", thematic: "Thematic", combined: "Regular + thematic" };
  if (kind === null) return lang === "vi" ? "Không rõ" : "Unknown";
  return (lang === "vi" ? vi : en)[kind];
}

/** 88.9 → "88,9" in Vietnamese (comma decimals), "88.9" in English; null → "–". */
export function formatPercent(value: number | null, lang: Lang = "vi"): string {
  if (value === null) return "–";
  const s = value.toFixed(1);
  return lang === "vi" ? s.replace(".", ",") : s;
}

/** "2026-06" → "tháng 6/2026" / "June 2026". */
export function monthLabel(month: string, lang: Lang = "vi"): string {
  const y = month.slice(0, 4);
  const m = Number(month.slice(5, 7));
  if (lang === "vi") return `tháng ${m}/${y}`;
  const names = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  return `${names[m - 1] ?? month} ${y}`;
}

/** "2026-06-05" → "05/06/2026" (Vietnamese day/month/year) or the ISO date in English. */
export function dateLabel(date: string | null, lang: Lang = "vi"): string {
  if (date === null) return "–";
  return lang === "vi" ? `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}` : date;
}

export const T = {
  title: { vi: "BÁO CÁO CHẤT LƯỢNG SINH HOẠT CHI BỘ", en: "PARTY CELL MEETING COMPLIANCE REPORT" },
  generated: { vi: "Lập lúc", en: "Generated" },
  ruleSet: { vi: "Bộ tiêu chí", en: "Rule set" },
  summary: { vi: "Tổng hợp", en: "Summary" },
  cells: { vi: "Số chi bộ", en: "Cells" },
  cellsWithMeeting: { vi: "Chi bộ có sinh hoạt", en: "Cells with a meeting" },
  meetingRate: { vi: "Tỷ lệ có sinh hoạt (%)", en: "With a meeting (%)" },
  meetings: { vi: "Số buổi sinh hoạt", en: "Meetings" },
  flaggedMeetings: { vi: "Buổi có phát hiện", en: "Meetings with flags" },
  needsReview: { vi: "Cần xem lại", en: "Needs review" },
  averageAttendance: { vi: "Tỷ lệ dự họp bình quân (%)", en: "Average attendance (%)" },
  findings: { vi: "Số phát hiện", en: "Findings" },
  chart: { vi: "Phát hiện theo loại", en: "Findings by code" },
  levels: { vi: "Tổng hợp theo cấp", en: "By level" },
  level: { vi: "Cấp", en: "Level" },
  org: { vi: "Tổ chức đảng", en: "Organisation" },
  cellTable: { vi: "Chi tiết từng chi bộ (nhiều phát hiện nhất trước)", en: "Cells (most findings first)" },
  cell: { vi: "Chi bộ", en: "Cell" },
  parent: { vi: "Trực thuộc", en: "Under" },
  status: { vi: "Tình trạng", en: "Status" },
  held: { vi: "Có sinh hoạt", en: "Meeting held" },
  kind: { vi: "Loại sinh hoạt", en: "Kind" },
  date: { vi: "Ngày họp", en: "Date" },
  duration: { vi: "Thời lượng (phút)", en: "Duration (min)" },
  attendance: { vi: "Tỷ lệ dự họp (%)", en: "Attendance (%)" },
  flags: { vi: "Phát hiện theo mã", en: "Findings by code" },
  review: { vi: "Xem lại", en: "Review" },
  yes: { vi: "Có", en: "Yes" },
  no: { vi: "Không", en: "No" },
  members: { vi: "Đảng viên vắng có lý do nhiều lần liên tiếp", en: "Members absent with reason repeatedly" },
  member: { vi: "Đảng viên", en: "Member" },
  inRow: { vi: "Số lần liên tiếp", en: "In a row" },
  from: { vi: "Từ", en: "From" },
  to: { vi: "Đến", en: "To" },
  noMembers: { vi: "Không có đảng viên nào.", en: "None." },
  trend: { vi: "Xu hướng so với các tháng trước", en: "Trend against previous months" },
  month: { vi: "Tháng", en: "Month" },
  noFindings: { vi: "Không có phát hiện.", en: "No findings." },
  quarter: { vi: "Quý", en: "Quarter" },
  thematicNote: {
    vi: "Chưa có sinh hoạt chuyên đề trong quý: là cảnh báo trước tháng cuối quý, là vi phạm ở tháng cuối quý.",
    en: "No thematic meeting in the quarter: a warning before the quarter's last month, a finding in it.",
  },
} as const;

export const t = (key: keyof typeof T, lang: Lang) => T[key][lang];
