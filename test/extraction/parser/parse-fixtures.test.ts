import { describe, expect, it } from "vitest";
import { parseMeeting, parseText, REVIEW_THRESHOLD } from "../../../shared/extraction/parser/index.ts";
import { restoreOrgName } from "../../../shared/extraction/parser/header.ts";
import { MeetingSchema } from "../../../shared/meeting/schema.ts";
import { fixture, pageFromText } from "./helpers.ts";

const TYPED_EXPECTED = {
  partyCommittee: "Đảng bộ xã Thanh Bình",
  cellName: "Chi bộ thôn Đông Hòa",
  kind: "regular",
  meetingDate: "2026-11-03",
  startTime: "14:00",
  endTime: "15:45",
  durationMinutes: 105,
  location: "Nhà văn hóa thôn Đông Hòa",
  chair: "Nguyễn Văn An",
  secretary: "Trần Thị Bình",
  attendance: {
    total: 18,
    exempt: 0,
    present: 16,
    absentExcused: 2,
    absentUnexcused: 0,
    absentees: [
      { name: "Lê Văn Cường", excused: true, reason: "đi công tác" },
      { name: "Phạm Thị Dung", excused: true, reason: "ốm" },
    ],
  },
  superiorAttendees: ["Phạm Văn Dũng"],
  opinions: [
    { speaker: "Lê Văn Hùng", text: expect.stringMatching(/^đề nghị ch[iỉ] bộ quan tâm .* trên địa bàn thôn\.$/) },
    { speaker: "Hoàng Thị Mai", text: "nhất trí với báo cáo, đề nghị bổ sung chỉ tiêu phát triển đảng viên." },
  ],
  votes: [{ subject: "Nghị quyết tháng 11/2026", agree: 16, disagree: 0, abstain: 0 }],
  minutesApproved: true,
  signatures: { chair: null, secretary: null },
};

describe("typed template", () => {
  it("reads the same from a blurred, rotated, low-resolution photo's Tesseract --psm 6 output", () => {
    const r = parseText(fixture("typed-template.tesseract-degraded-psm6.txt"));
    expect(r.meeting).toEqual({ ...TYPED_EXPECTED, opinions: expect.any(Array) });
    expect(r.meeting.opinions.map((o) => o.speaker)).toEqual(["Lê Văn Hùng", "Hoàng Thị Mai"]);
    expect(r.meeting.opinions[0]?.text).toMatch(/^đề nghị ch[iỉ] bộ quan tâm .* trên địa bàn thôn/);
    expect(r.review).toEqual([]);
  });

  it.each(["typed-template.txt", "typed-template.tesseract-psm4.txt"])("reads every field of %s", (name) => {
    const r = parseText(fixture(name));
    expect(r.meeting).toEqual(TYPED_EXPECTED);
    expect(MeetingSchema.parse(r.meeting)).toEqual(r.meeting);
    expect(r.review).toEqual([]);
    for (const f of ["meetingDate", "chair", "secretary", "attendance.present", "votes", "opinions", "kind"]) {
      expect(r.confidence[f]).toBeGreaterThanOrEqual(REVIEW_THRESHOLD);
    }
  });
});

const SCHOOL_EXPECTED = {
  partyCommittee: "Đảng bộ xã Hòa Phú",
  cellName: "Chi bộ Trường Tiểu học Hòa Phú",
  kind: "combined",
  meetingDate: "2026-05-12",
  startTime: "08:30",
  endTime: "10:40",
  durationMinutes: 130,
  location: "Phòng họp nhà trường",
  chair: "Võ Thị Hạnh",
  secretary: "Đặng Minh Tuấn",
  attendance: {
    total: 12,
    exempt: 0,
    present: 11,
    absentExcused: 1,
    absentUnexcused: 0,
    absentees: [{ name: "Bùi Văn Nam", excused: true, reason: "nghỉ ốm" }],
  },
  superiorAttendees: ["Huỳnh Văn Lợi"],
  opinions: [
    { speaker: "Ngô Thị Lan", text: expect.stringMatching(/^cần tăng cường kiểm tra việc soạn giảng, nhất là khối lớp 1\.?$/) },
    { speaker: "Phan Văn Khoa", text: "về công tác bồi dưỡng học sinh giỏi." },
    { speaker: "Trịnh Thu Hà", text: expect.stringMatching(/^việc phối hợp với phụ huynh\.?$/) },
  ],
  votes: [{ subject: null, agree: 11, disagree: null, abstain: null }],
  minutesApproved: true,
  signatures: { chair: null, secretary: null },
};

describe("handwritten-style wording (counts in words, 'Người ghi biên bản', '8g30')", () => {
  it.each(["school-combined.txt", "school-combined.tesseract-noisy.txt"])("reads every field of %s", (name) => {
    const r = parseText(fixture(name));
    expect(r.meeting).toEqual(SCHOOL_EXPECTED);
    expect(r.review).toEqual([]);
  });

  it("lowers confidence for labels OCR damaged ('ào hồi' for 'Vào hồi', 'hảo luận')", () => {
    const clean = parseText(fixture("school-combined.txt"));
    const noisy = parseText(fixture("school-combined.tesseract-noisy.txt"));
    expect(clean.confidence.startTime).toBe(1);
    expect(noisy.confidence.startTime).toBeLessThan(1);
    expect(noisy.confidence.opinions).toBeLessThan(1);
  });
});

describe("no diacritics, OCR digit noise", () => {
  it("repairs l/O look-alikes in counts and times, with lower confidence", () => {
    const r = parseText(fixture("no-diacritics-noisy.txt"));
    expect(r.meeting).toMatchObject({
      partyCommittee: "Dang bo phuong An Lac",
      cellName: "Chi bo khu pho 3",
      kind: "thematic",
      meetingDate: "2026-03-05",
      startTime: "14:30",
      endTime: "16:50",
      durationMinutes: 140,
      location: "Hoi truong khu pho 3",
      chair: "Tran Van Hai",
      secretary: "Le Thi Thu",
      attendance: {
        total: 21,
        exempt: 1,
        present: 18,
        absentExcused: 1,
        absentUnexcused: 1,
        absentees: [
          { name: "Do Van Phuc", excused: true, reason: "di lam an xa" },
          { name: "Nguyen Van Tam", excused: false, reason: null },
        ],
      },
      superiorAttendees: [],
      votes: [{ subject: null, agree: 17, disagree: 0, abstain: 1 }],
      minutesApproved: null,
    });
    expect(r.meeting.opinions.map((o) => o.speaker)).toEqual(["Pham Van Long", "Vu Thi Hoa"]);
    expect(r.meeting.opinions[1]?.text).toBe("ve viec hoc tap nghi quyet tai khu pho.");
    expect(r.confidence.startTime).toBeLessThan(1);
    expect(r.confidence["attendance.total"]).toBeLessThan(1);
    // minutesApproved is not written: absent, not a review question
    expect(r.review).not.toContain("minutesApproved");
    expect(r.confidence.minutesApproved).toBeUndefined();
  });

  it("restores names from the member list only when unambiguous", () => {
    const members = ["Trần Văn Hải", "Lê Thị Thu", "Đỗ Văn Phúc", "Nguyễn Văn Tâm", "Phạm Văn Long", "Vũ Thị Hoa"];
    const r = parseText(fixture("no-diacritics-noisy.txt"), { members });
    expect(r.meeting.chair).toBe("Trần Văn Hải");
    expect(r.meeting.secretary).toBe("Lê Thị Thu");
    expect(r.meeting.attendance.absentees.map((a) => a.name)).toEqual(["Đỗ Văn Phúc", "Nguyễn Văn Tâm"]);
    expect(r.meeting.opinions.map((o) => o.speaker)).toEqual(["Phạm Văn Long", "Vũ Thị Hoa"]);
    // two members fold to the same letters: keep what was written
    const ambiguous = parseText(fixture("no-diacritics-noisy.txt"), { members: ["Trần Văn Hải", "Trần Văn Hài"] });
    expect(ambiguous.meeting.chair).toBe("Tran Van Hai");
  });
});

describe("the header's names and the store's", () => {
  const header = "ĐẢNG BỘ XÃ CẨH THỦY            ĐẢNG CỘNG SẢN VIỆT NAM\nCHI BỘ THÔN CẨH HOA\nBIÊN BẢN\nSINH HOẠT CHI BỘ THƯỜNG KỲ THÁNG 11/2026\n";

  it("restores names OCR mangled to the organisation's own, keeping the head as read", () => {
    const r = parseText(header, { organisation: { cell: "Thôn Cẩm Hoa", committee: "Đảng bộ xã Cẩm Thủy" } });
    expect(r.meeting.partyCommittee?.toLocaleLowerCase("vi")).toBe("đảng bộ xã cẩm thủy");
    expect(r.meeting.cellName?.toLocaleLowerCase("vi")).toBe("chi bộ thôn cẩm hoa");
    // restored, so a little less sure than what was read as it is
    const asRead = parseText(header);
    expect(asRead.meeting.cellName?.toLocaleLowerCase("vi")).toBe("chi bộ thôn cẩh hoa");
    expect(r.confidence.cellName).toBeLessThan(asRead.confidence.cellName ?? 0);
  });

  it("keeps what was read when the store's name is another one", () => {
    const other = parseText(header, { organisation: { cell: "Thôn Phú Mỹ", committee: "Đảng bộ phường Cẩm Thạch" } });
    expect(other.meeting.cellName?.toLocaleLowerCase("vi")).toBe("chi bộ thôn cẩh hoa");
    expect(other.meeting.partyCommittee?.toLocaleLowerCase("vi")).toBe("đảng bộ xã cẩh thủy");
    // a committee's name is not a cell's
    expect(restoreOrgName("Chi bộ xã Cẩh Thủy", "Đảng bộ xã Cẩm Thủy")).toEqual({ name: "Chi bộ xã Cẩh Thủy", restored: false });
    expect(restoreOrgName("Chi bộ Thôn Cẩh Hoa", undefined)).toEqual({ name: "Chi bộ Thôn Cẩh Hoa", restored: false });
    expect(restoreOrgName("Chi bộ Thôn Cẩh Hoa", "Thôn Cẩm Hoa")).toEqual({ name: "Chi bộ Thôn Cẩm Hoa", restored: true });
  });
});

describe("missing and unreadable fields", () => {
  const r = parseText(fixture("sparse-unreadable.txt"));

  it("puts written-but-unreadable fields in review with null values", () => {
    expect(r.meeting.meetingDate).toBeNull(); // 31/02 does not exist
    expect(r.meeting.startTime).toBeNull();
    expect(r.meeting.chair).toBeNull();
    expect(r.meeting.attendance.present).toBeNull();
    expect(r.meeting.votes).toEqual([]);
    expect(r.review).toEqual(expect.arrayContaining(["meetingDate", "startTime", "chair", "attendance.present", "votes"]));
    for (const f of ["meetingDate", "startTime", "chair", "attendance.present", "votes"]) {
      expect(r.confidence[f]).toBeLessThan(REVIEW_THRESHOLD);
    }
  });

  it("leaves fields with no label null and out of review", () => {
    expect(r.meeting).toMatchObject({
      partyCommittee: null,
      kind: null,
      location: null,
      secretary: null,
      durationMinutes: null,
      minutesApproved: null,
      superiorAttendees: [],
      attendance: { total: null, exempt: 0, absentExcused: null, absentUnexcused: null, absentees: [] },
    });
    for (const f of ["partyCommittee", "kind", "location", "secretary", "minutesApproved", "attendance.total", "attendance.absentExcused", "superiorAttendees"]) {
      expect(r.review).not.toContain(f);
      expect(r.confidence[f]).toBeUndefined();
    }
    expect(r.meeting.cellName).toBe("Chi bộ ấp Tân Lợi");
    expect(r.meeting.endTime).toBe("16:10");
  });
});

describe("OCR pages", () => {
  const text = fixture("typed-template.txt");
  const lines = text.split("\n");
  const cut = lines.findIndex((l) => l.startsWith("trên địa bàn thôn"));

  it("follows an opinion across a page break, skipping the page number", () => {
    const page1 = pageFromText(lines.slice(0, cut).join("\n"), 1);
    const page2 = pageFromText(["- 2 -", ...lines.slice(cut)].join("\n"), 2);
    const r = parseMeeting([page2, page1]);
    expect(r.meeting.opinions[0]).toEqual({
      speaker: "Lê Văn Hùng",
      text: "đề nghị chi bộ quan tâm hơn đến công tác vệ sinh môi trường trên địa bàn thôn.",
    });
    expect(r.meeting).toMatchObject({ ...TYPED_EXPECTED, opinions: expect.any(Array) });
    expect(r.confidence.meetingDate).toBeCloseTo(0.95, 2);
  });

  it("sends a value read from doubtful words to review", () => {
    const page = pageFromText(text, 1, (w) => (w === "16" ? 0.3 : 0.97));
    const r = parseMeeting([page]);
    expect(r.meeting.attendance.present).toBe(16);
    expect(r.confidence["attendance.present"]).toBeLessThan(REVIEW_THRESHOLD);
    expect(r.review).toContain("attendance.present");
    expect(r.review).not.toContain("chair");
  });
});

/**
 * Minutes written by hand for these tests from public templates' wordings the generator does not
 * use ("Chủ tọa", "Số đảng viên dự sinh hoạt", "Có mặt 15/17 đ/c", "Ý kiến đ/c X:", "Dự họp có
 * đ/c … Đảng ủy viên", "HỌP CHI BỘ THÁNG 10"): the parser reads minutes, not its own generator.
 */
describe("minutes in other words", () => {
  it("reads a ward cell's minutes on the 'HỌP CHI BỘ THÁNG' template", () => {
    const r = parseText(fixture("other-words-khu-pho.txt"));
    expect(r.meeting).toEqual({
      partyCommittee: "Đảng bộ phường Hàm Rồng",
      cellName: "Chi bộ khu phố 7",
      kind: "regular",
      meetingDate: "2026-10-05",
      startTime: "07:30",
      endTime: "09:45",
      durationMinutes: 135,
      location: "Nhà văn hóa khu phố 7",
      chair: "Hoàng Minh Tuấn",
      secretary: "Vũ Thị Lan",
      attendance: {
        total: 23,
        exempt: 2,
        present: 19,
        absentExcused: 2,
        absentUnexcused: 0,
        absentees: [
          { name: "Lê Thị Hoa", excused: true, reason: "đi viện" },
          { name: "Trịnh Văn Sơn", excused: true, reason: "đi công tác" },
        ],
      },
      superiorAttendees: [],
      opinions: [
        { speaker: "Nguyễn Văn Bình", text: "nhất trí với báo cáo, đề nghị làm rõ việc thu quỹ." },
        { speaker: "Đặng Thị Thu", text: "đề nghị tăng cường vệ sinh môi trường trong khu phố." },
      ],
      votes: [{ subject: "nghị quyết tháng 10/2026", agree: 19, disagree: null, abstain: null }],
      minutesApproved: true,
      signatures: { chair: null, secretary: null },
    });
    expect(r.review).toEqual([]);
  });

  it("reads an agency cell's 'định kỳ' minutes: present/total after one label, a vote by those present", () => {
    const r = parseText(fixture("other-words-co-quan.txt"));
    expect(r.meeting).toMatchObject({
      partyCommittee: "Đảng bộ Khối Cơ Quan Huyện",
      kind: "regular",
      meetingDate: "2026-03-10",
      startTime: "14:00",
      endTime: "16:00",
      chair: "Bùi Thị Ngọc",
      secretary: "Lưu Văn Tài",
      attendance: {
        total: 14,
        exempt: 0,
        present: 12,
        absentExcused: 2,
        absentUnexcused: 0,
        absentees: [
          { name: "Mai Văn Phúc", excused: true, reason: "đi học" },
          { name: "Trịnh Thị Nga", excused: true, reason: "nghỉ ốm" },
        ],
      },
      votes: [{ subject: null, agree: 12, disagree: null, abstain: null }],
      minutesApproved: true,
    });
    expect(r.meeting.opinions.map((o) => o.speaker)).toEqual(["Phan Văn Long", "Hà Thị Thu"]);
    expect(r.review).toEqual([]);
  });

  it("reads a thematic meeting written as running sentences", () => {
    const r = parseText(fixture("other-words-chuyen-de.txt"));
    expect(r.meeting).toMatchObject({
      kind: "thematic",
      meetingDate: "2026-09-15",
      startTime: "19:00",
      endTime: "21:15",
      location: "Nhà văn hoá thôn Trung Đông",
      chair: "Lò Văn Hải",
      secretary: "Hà Thị Mai",
      attendance: { total: 17, exempt: 0, present: 15, absentExcused: 2 },
      superiorAttendees: ["Nguyễn Hữu Lộc"],
      votes: [{ subject: null, agree: 15, disagree: null, abstain: null }],
      minutesApproved: true,
    });
    expect(r.meeting.attendance.absentees.map((a) => [a.name, a.reason])).toEqual([
      ["Lò Thị Én", "đi làm ăn xa"],
      ["Vi Văn Khánh", "ốm"],
    ]);
    expect(r.meeting.opinions.map((o) => o.speaker)).toEqual(["Hà Văn Dũng", "Lò Thị Hương", "Vi Văn Quang"]);
  });
});

describe("handwritten list marks", () => {
  it("takes what OCR makes of a handwritten dash for the dash before an opinion", () => {
    const text = [
      "II. Ý KIẾN THẢO LUẬN",
      "~ Đ/c Lê Bích Thủy: đề nghị chi ủy đôn đốc các hộ hoàn thành việc nộp quỹ.",
      "— Đồng chí Trần Mỹ Loan ý kiến: thống nhất với phương hướng.",
      "° Đồng chí Hoàng Đình Phúc: tình hình an ninh ổn định.",
      "-~ Đ/c Võ Thanh Loan: đề nghị chi ủy đôn đốc đúng thời hạn.",
      "- Đồng chí Lò Trọng Đông: nhất trí với dự thảo nghị quyết.",
    ].join("\n");
    expect(parseText(text).meeting.opinions.map((o) => o.speaker)).toEqual(["Lê Bích Thủy", "Trần Mỹ Loan", "Hoàng Đình Phúc", "Võ Thanh Loan", "Lò Trọng Đông"]);
  });
});
