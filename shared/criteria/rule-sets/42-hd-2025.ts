/**
 * Instruction 42-HD/BTCTW of the Central Organisation Commission, 28 October 2025, implementing
 * Directive 50-CT/TW (23 July 2025). It continues and renews 12-HD/BTCTW with the same measurable
 * thresholds (at least 90 minutes, 120 when combined with a thematic activity, attendance above
 * 85 %), so this rule set is 12-HD-2018 with its own id, name and basis texts. What 42-HD adds
 * (materials on the Sổ tay đảng viên điện tử app a day ahead) is not visible in the minutes.
 *
 * The basis map is typed over every per-meeting code, so a rule added to 12-HD-2018 without a
 * 42-HD basis does not compile.
 */
import type { MeetingFlagCode } from "../codes.ts";
import type { RuleSetInput } from "../rule-schema.ts";
import { HD_12_2018 } from "./12-hd-2018.ts";

const HD42 = "Hướng dẫn 42-HD/BTCTW (2025), thực hiện Chỉ thị 50-CT/TW";
const MINUTES_COMPLETE = `${HD42}: biên bản sinh hoạt chi bộ ghi chép đầy đủ nội dung buổi sinh hoạt`;

const BASIS: Record<MeetingFlagCode, string> = {
  MISSING_MEETING_DATE: MINUTES_COMPLETE,
  MISSING_START_TIME: MINUTES_COMPLETE,
  MISSING_END_TIME: MINUTES_COMPLETE,
  MISSING_CHAIR: MINUTES_COMPLETE,
  MISSING_SECRETARY: MINUTES_COMPLETE,
  MISSING_ATTENDANCE: MINUTES_COMPLETE,
  MISSING_OPINIONS: `${HD42}: đảng viên tham gia thảo luận, phát biểu ý kiến; biên bản ghi chép đầy đủ`,
  MISSING_VOTE_RESULT: `${HD42}: các nội dung thảo luận, biểu quyết được xác định từ khâu chuẩn bị; biên bản ghi kết quả biểu quyết`,
  MISSING_CHAIR_SIGNATURE: MINUTES_COMPLETE,
  MISSING_SECRETARY_SIGNATURE: MINUTES_COMPLETE,
  ATTENDANCE_BELOW_THRESHOLD: `${HD42}: tỷ lệ đảng viên dự sinh hoạt trên 85%`,
  ABSENT_WITHOUT_REASON: `${HD42}: không có đảng viên vắng mặt không có lý do`,
  DURATION_TOO_SHORT: `${HD42}: thời gian sinh hoạt ít nhất 90 phút, kết hợp sinh hoạt chuyên đề ít nhất 120 phút`,
  ATTENDANCE_INCONSISTENT: MINUTES_COMPLETE,
  VOTE_COUNT_INCONSISTENT: MINUTES_COMPLETE,
  REPEATED_EXCUSED_ABSENCE: `${HD42}: không có đảng viên vắng mặt có lý do quá 3 lần liên tiếp trong năm`,
};

function basisFor(code: string): string {
  const basis = Object.entries(BASIS).find(([c]) => c === code)?.[1];
  // a rule of 12-HD-2018 outside MEETING_FLAG_CODES: fail at load, never cite the wrong instruction
  if (basis === undefined) throw new Error(`42-HD-2025: no basis text for rule ${code}`);
  return basis;
}

export const HD_42_2025 = {
  id: "42-HD-2025",
  name: {
    vi: "Hướng dẫn 42-HD/BTCTW ngày 28/10/2025 của Ban Tổ chức Trung ương (thực hiện Chỉ thị 50-CT/TW)",
    en: "Instruction 42-HD/BTCTW of the Central Organisation Commission, 28 October 2025 (implementing Directive 50-CT/TW)",
  },
  source:
    "Hướng dẫn số 42-HD/BTCTW ngày 28/10/2025 của Ban Tổ chức Trung ương; Chỉ thị số 50-CT/TW ngày 23/7/2025 của Ban Bí thư",
  rules: HD_12_2018.rules.map((rule) => ({ ...rule, basis: basisFor(rule.code) })),
} satisfies RuleSetInput;
