/**
 * Instruction 12-HD/BTCTW of the Central Organisation Commission, 6 July 2018: framework criteria
 * for a regular Party-cell meeting "of quality" (see shared/DOMAIN.md, "The criteria").
 *
 * Section numbers ("mục 1", "mục 3") follow the instruction's list of criteria: 1 attendance,
 * 3 conduct of the meeting (time, opinions, the minute book). The missing-entry rules rest on
 * "the minute book records the meeting fully"; inspections name exactly these gaps (members'
 * opinions, the number agreeing in the vote, the signatures of the chair and the minute-taker).
 *
 * Pure data, validated by RuleSetSchema when the registry loads it.
 */
import type { RuleSetInput } from "../rule-schema.ts";

const MINUTES_COMPLETE = "Hướng dẫn 12-HD/BTCTW (2018), mục 3: sổ biên bản sinh hoạt chi bộ ghi chép đầy đủ nội dung buổi sinh hoạt";

export const HD_12_2018 = {
  id: "12-HD-2018",
  name: {
    vi: "Hướng dẫn 12-HD/BTCTW ngày 06/7/2018 của Ban Tổ chức Trung ương",
    en: "Instruction 12-HD/BTCTW of the Central Organisation Commission, 6 July 2018",
  },
  source: "Hướng dẫn số 12-HD/BTCTW ngày 06/7/2018 của Ban Tổ chức Trung ương về một số vấn đề nâng cao chất lượng sinh hoạt chi bộ",
  rules: [
    {
      code: "MISSING_MEETING_DATE",
      severity: "error",
      field: "meetingDate",
      dependsOn: ["meetingDate"],
      check: { type: "required", fields: ["meetingDate"] },
      message: { vi: "Biên bản không ghi ngày sinh hoạt.", en: "The minutes do not record the meeting date." },
      description: { vi: "Biên bản ghi ngày sinh hoạt.", en: "The minutes record the meeting date." },
      basis: MINUTES_COMPLETE,
    },
    {
      code: "MISSING_START_TIME",
      severity: "error",
      field: "startTime",
      dependsOn: ["startTime"],
      check: { type: "required", fields: ["startTime"] },
      message: { vi: "Biên bản không ghi thời gian bắt đầu.", en: "The minutes do not record the start time." },
      description: { vi: "Biên bản ghi thời gian bắt đầu.", en: "The minutes record the start time." },
      basis: MINUTES_COMPLETE,
    },
    {
      code: "MISSING_END_TIME",
      severity: "error",
      field: "endTime",
      dependsOn: ["endTime"],
      check: { type: "required", fields: ["endTime"] },
      message: { vi: "Biên bản không ghi thời gian kết thúc.", en: "The minutes do not record the end time." },
      description: { vi: "Biên bản ghi thời gian kết thúc.", en: "The minutes record the end time." },
      basis: MINUTES_COMPLETE,
    },
    {
      code: "MISSING_CHAIR",
      severity: "error",
      field: "chair",
      dependsOn: ["chair"],
      check: { type: "required", fields: ["chair"] },
      message: { vi: "Biên bản không ghi người chủ trì.", en: "The minutes do not name the chair." },
      description: { vi: "Biên bản ghi họ tên người chủ trì.", en: "The minutes name the chair." },
      basis: MINUTES_COMPLETE,
    },
    {
      code: "MISSING_SECRETARY",
      severity: "error",
      field: "secretary",
      dependsOn: ["secretary"],
      check: { type: "required", fields: ["secretary"] },
      message: { vi: "Biên bản không ghi thư ký (người ghi biên bản).", en: "The minutes do not name the minute-taker." },
      description: { vi: "Biên bản ghi họ tên thư ký.", en: "The minutes name the minute-taker." },
      basis: MINUTES_COMPLETE,
    },
    {
      code: "MISSING_ATTENDANCE",
      severity: "error",
      field: "attendance",
      dependsOn: ["attendance.total", "attendance.present"],
      check: { type: "required", fields: ["attendance.total", "attendance.present"] },
      message: {
        vi: "Biên bản không ghi đủ tổng số đảng viên và số đảng viên có mặt.",
        en: "The minutes do not record both the number of members and the number present.",
      },
      description: {
        vi: "Biên bản ghi tổng số đảng viên và số đảng viên có mặt.",
        en: "The minutes record the number of members and the number present.",
      },
      basis: MINUTES_COMPLETE,
    },
    {
      code: "MISSING_OPINIONS",
      severity: "error",
      field: "opinions",
      dependsOn: ["opinions"],
      check: { type: "required", fields: ["opinions"] },
      message: { vi: "Chưa ghi ý kiến thảo luận của đảng viên.", en: "No member's opinion in the discussion is recorded." },
      description: {
        vi: "Biên bản ghi ý kiến thảo luận của đảng viên.",
        en: "The minutes record the members' opinions in the discussion.",
      },
      basis: "Hướng dẫn 12-HD/BTCTW (2018), mục 3: nhiều đảng viên tham gia phát biểu ý kiến; sổ biên bản ghi chép đầy đủ",
    },
    {
      code: "MISSING_VOTE_RESULT",
      severity: "error",
      field: "votes",
      dependsOn: ["votes"],
      check: { type: "someItemHas", array: "votes", itemField: "agree" },
      message: { vi: "Chưa ghi kết quả biểu quyết (số tán thành).", en: "No vote result (number in favour) is recorded." },
      description: {
        vi: "Biên bản ghi kết quả biểu quyết, ít nhất số đảng viên tán thành.",
        en: "The minutes record the vote result, at least the number in favour.",
      },
      basis: MINUTES_COMPLETE,
    },
    {
      code: "MISSING_CHAIR_SIGNATURE",
      severity: "error",
      field: "signatures.chair",
      dependsOn: ["signatures.chair"],
      check: { type: "notFalse", field: "signatures.chair" },
      message: { vi: "Biên bản thiếu chữ ký của người chủ trì.", en: "The chair's signature is missing from the minutes." },
      description: { vi: "Biên bản có chữ ký của người chủ trì.", en: "The chair signs the minutes." },
      basis: MINUTES_COMPLETE,
    },
    {
      code: "MISSING_SECRETARY_SIGNATURE",
      severity: "error",
      field: "signatures.secretary",
      dependsOn: ["signatures.secretary"],
      check: { type: "notFalse", field: "signatures.secretary" },
      message: { vi: "Biên bản thiếu chữ ký của thư ký.", en: "The minute-taker's signature is missing from the minutes." },
      description: { vi: "Biên bản có chữ ký của thư ký.", en: "The minute-taker signs the minutes." },
      basis: MINUTES_COMPLETE,
    },
    {
      code: "ATTENDANCE_BELOW_THRESHOLD",
      severity: "error",
      field: "attendance.present",
      dependsOn: ["attendance.present", "attendance.total", "attendance.exempt"],
      check: {
        type: "ratioAbove",
        numerator: "attendance.present",
        denominator: "attendance.total",
        minus: ["attendance.exempt"],
        thresholdPercent: 85,
      },
      message: {
        vi: "Tỷ lệ đảng viên dự sinh hoạt {rate}% (có mặt {present}/{required}), không trên {threshold}% theo quy định.",
        en: "Attendance {rate}% ({present} of {required} present), not above the required {threshold}%.",
      },
      description: {
        vi: "Tỷ lệ đảng viên dự sinh hoạt trên 85% số đảng viên phải dự (không tính đảng viên được miễn sinh hoạt).",
        en: "Attendance above 85% of the members required to attend (exempt members excluded).",
      },
      basis: "Hướng dẫn 12-HD/BTCTW (2018), mục 1: tỷ lệ đảng viên dự sinh hoạt trên 85%",
    },
    {
      code: "ABSENT_WITHOUT_REASON",
      severity: "error",
      field: "attendance.absentUnexcused",
      dependsOn: ["attendance.absentUnexcused", "attendance.absentees"],
      independentInputs: true,
      check: {
        type: "countZero",
        fields: ["attendance.absentUnexcused"],
        items: { array: "attendance.absentees", field: "excused", equals: false, nameField: "name" },
      },
      message: {
        vi: "Có {count} đảng viên vắng mặt không có lý do ({names}).",
        en: "{count} member(s) absent without reason ({names}).",
      },
      description: { vi: "Không có đảng viên vắng mặt không có lý do.", en: "No member is absent without reason." },
      basis: "Hướng dẫn 12-HD/BTCTW (2018), mục 1: không có đảng viên vắng mặt không có lý do",
    },
    {
      code: "DURATION_TOO_SHORT",
      severity: "error",
      field: "durationMinutes",
      dependsOn: ["durationMinutes", "startTime", "endTime"],
      check: { type: "durationAtLeast", minutesByKind: { regular: 90, thematic: 90, combined: 120 } },
      message: {
        vi: "Thời gian sinh hoạt {minutes} phút, ít hơn {min} phút quy định (loại sinh hoạt: {kind}).",
        en: "The meeting lasted {minutes} minutes, less than the required {min} minutes (kind: {kind}).",
      },
      description: {
        vi: "Thời gian sinh hoạt ít nhất 90 phút; sinh hoạt thường kỳ kết hợp chuyên đề ít nhất 120 phút.",
        en: "At least 90 minutes; at least 120 minutes when a thematic activity is combined with the regular meeting.",
      },
      basis: "Hướng dẫn 12-HD/BTCTW (2018), mục 3: thời gian sinh hoạt ít nhất 90 phút, kết hợp sinh hoạt chuyên đề ít nhất 120 phút",
    },
    {
      code: "ATTENDANCE_INCONSISTENT",
      severity: "warning",
      field: "attendance",
      dependsOn: [
        "attendance.present",
        "attendance.absentExcused",
        "attendance.absentUnexcused",
        "attendance.total",
        "attendance.exempt",
      ],
      check: {
        type: "sumEquals",
        terms: ["attendance.present", "attendance.absentExcused", "attendance.absentUnexcused"],
        equals: "attendance.total",
        minus: ["attendance.exempt"],
      },
      message: {
        vi: "Số có mặt cộng số vắng mặt ({sum}) không khớp với số đảng viên phải dự sinh hoạt ({expected}).",
        en: "Present plus absent ({sum}) does not match the members required to attend ({expected}).",
      },
      description: {
        vi: "Số có mặt cộng số vắng mặt bằng tổng số đảng viên trừ số được miễn sinh hoạt.",
        en: "Present plus absent equals the total number of members less those exempt.",
      },
      basis: MINUTES_COMPLETE,
    },
    {
      code: "VOTE_COUNT_INCONSISTENT",
      severity: "warning",
      field: "votes",
      dependsOn: ["votes", "attendance.present"],
      check: { type: "sumAtMost", array: "votes", itemTerms: ["agree", "disagree", "abstain"], atMost: "attendance.present" },
      message: {
        vi: "Lần biểu quyết thứ {vote} có tổng cộng {sum} đảng viên biểu quyết, nhiều hơn số đảng viên có mặt ({max}).",
        en: "Vote {vote} counts {sum} members, more than the {max} present.",
      },
      description: {
        vi: "Số tán thành, không tán thành và không biểu quyết cộng lại không vượt quá số đảng viên có mặt.",
        en: "For, against and abstaining together do not exceed the members present.",
      },
      basis: MINUTES_COMPLETE,
    },
    {
      code: "REPEATED_EXCUSED_ABSENCE",
      severity: "error",
      field: "attendance.absentees",
      dependsOn: ["meetingDate", "attendance.absentees"],
      check: { type: "repeatedExcusedAbsence", maxInRow: 3 },
      message: {
        vi: "{members} đảng viên vắng mặt có lý do quá {maxInRow} lần liên tiếp trong năm {year}: {names}.",
        en: "{members} member(s) absent with reason more than {maxInRow} times in a row in {year}: {names}.",
      },
      description: {
        vi: "Không có đảng viên vắng mặt có lý do quá 3 lần liên tiếp trong năm (cần lịch sử các buổi sinh hoạt của chi bộ).",
        en: "No member absent with reason more than 3 times in a row within the year (needs the cell's earlier meetings).",
      },
      basis: "Hướng dẫn 12-HD/BTCTW (2018), mục 1: không có đảng viên vắng mặt có lý do quá 3 lần liên tiếp trong năm",
    },
  ],
} satisfies RuleSetInput;
