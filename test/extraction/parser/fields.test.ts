import { describe, expect, it } from "vitest";
import { parseText } from "../../../shared/extraction/parser/index.ts";
import { readCountAt } from "../../../shared/extraction/parser/text.ts";

describe("counts in words", () => {
  it.each([
    ["muoi sau dong chi", 16],
    ["hai muoi mot dong chi", 21],
    ["hai muoi lam", 25],
    ["ba muoi tu", 34],
    ["khong", 0],
    ["mot dong chi", 1],
    ["muoi", 10],
    ["mot tram linh hai", 102],
    ["1 6 dong chi", 16],
  ])("%s → %d", (s, n) => {
    expect(readCountAt(s)?.value).toBe(n);
  });

  it("repairs OCR look-alikes in a count ('l6', 'O')", () => {
    const r = parseText("Có mặt: l6 đồng chí\nVắng không lý do: O");
    expect(r.meeting.attendance.present).toBe(16);
    expect(r.meeting.attendance.absentUnexcused).toBe(0);
    expect(r.confidence["attendance.present"]).toBeLessThan(1);
  });

  it("takes official + probationary for the total when the total's figures are misread, never over a total read well", () => {
    const garbled = parseText("Tổng số đảng viên của chi bộ: 4u đ/c (chính thức 12, dự bị 2).\nĐảng viên có mặt: 12 đ/c.");
    expect(garbled.meeting.attendance.total).toBe(14);
    expect(garbled.confidence["attendance.total"]).toBeLessThan(1);
    expect(garbled.review).not.toContain("attendance.total");
    const read = parseText("Tổng số đảng viên của chi bộ: 14 đ/c (chính thức 12, dự bị 2).");
    expect(read.meeting.attendance.total).toBe(14);
    expect(read.confidence["attendance.total"]).toBe(1);
    // figures that disagree with a total read well: a person looks
    const disagree = parseText("Tổng số đảng viên của chi bộ: 16 đ/c (chính thức 12, dự bị 2).");
    expect(disagree.meeting.attendance.total).toBe(16);
    expect(disagree.review).toContain("attendance.total");
  });

  it("does not take a letter with a diacritic for the look-alike 0 ('ó' is a misread figure)", () => {
    const r = parseText("Chi bộ có 26 đảng viên; có mặt 20 đồng chí, vắng 6 đồng chí (có lý do: ó; không lý do: 0).");
    expect(r.meeting.attendance).toMatchObject({ total: 26, present: 20, absentUnexcused: 0, absentExcused: 6 });
  });

  it("sends a count slot holding something that is not a count to review, never calls it missing", () => {
    const r = parseText("Chi bộ có ba mươi tám đảng viên; có mặt bq mươi ba đồng chí, vắng năm đồng chí.");
    expect(r.meeting.attendance).toMatchObject({ total: 38, present: null });
    expect(r.review).toContain("attendance.present");
    const total = parseText("Tổng số đảng viên của chi bộ: u2 đ/c.\nCó mặt: 37 đồng chí.");
    expect(total.meeting.attendance).toMatchObject({ total: null, present: 37 });
    expect(total.review).toContain("attendance.total");
    // a list of names after an absence label is not a count slot
    const names = parseText("Có mặt: 16 đồng chí\nVắng có lý do: đồng chí Lê Văn Cường (ốm)");
    expect(names.review).toEqual([]);
  });

  it("doubts more members present than the cell has", () => {
    const r = parseText("Tổng số đảng viên: 12 đồng chí.\nCó mặt: 41 đồng chí.");
    expect(r.meeting.attendance).toMatchObject({ total: 12, present: 41 });
    expect(r.review).toEqual(expect.arrayContaining(["attendance.total", "attendance.present"]));
  });

  it("does not read ordinary words as numbers", () => {
    expect(readCountAt("dong chi Nguyen")).toBeNull();
    expect(readCountAt("nam 2026")?.value).toBe(5); // only meaningful right after a count label
  });

  it("reads a whole attendance block written in words", () => {
    const r = parseText(
      "Tổng số đảng viên: hai mươi mốt đồng chí\nMiễn sinh hoạt: một\nCó mặt: mười tám đồng chí\nVắng có lý do: hai đồng chí\nVắng không lý do: không",
    );
    expect(r.meeting.attendance).toMatchObject({ total: 21, exempt: 1, present: 18, absentExcused: 2, absentUnexcused: 0 });
  });
});

describe("dates and times", () => {
  it.each([
    ["Vào hồi 14 giờ, ngày 03 tháng 11 năm 2026, tại Nhà văn hóa", "2026-11-03", "14:00"],
    ["Vào lúc 14h30 ngày 03/11/2026", "2026-11-03", "14:30"],
    ["Thời gian bắt đầu: 8g30 ngày 03-11-2026", "2026-11-03", "08:30"],
    ["Vào hồi 2 giờ chiều ngày 3.11.2026", "2026-11-03", "14:00"],
    ["Vào hồi 14 giở 15 phút ngày O3/11/2O26", "2026-11-03", "14:15"],
  ])("%s", (line, date, start) => {
    const r = parseText(line);
    expect(r.meeting.meetingDate).toBe(date);
    expect(r.meeting.startTime).toBe(start);
  });

  it("takes the date from the place-and-date line when the opening has none", () => {
    const r = parseText("CHI BỘ 5\n                Thanh Bình, ngày 03 tháng 11 năm 2026\nBIÊN BẢN\nVào hồi 14 giờ tại hội trường");
    expect(r.meeting.meetingDate).toBe("2026-11-03");
    expect(r.meeting.location).toBe("Hội trường");
  });

  it("reads end times in several wordings and a range", () => {
    expect(parseText("Hội nghị kết thúc vào lúc 16 giờ 15 phút cùng ngày.").meeting.endTime).toBe("16:15");
    expect(parseText("Buổi sinh hoạt kết thúc hồi 10h").meeting.endTime).toBe("10:00");
    const range = parseText("Thời gian: từ 14 giờ đến 16 giờ 30");
    expect(range.meeting).toMatchObject({ startTime: "14:00", endTime: "16:30", durationMinutes: 150 });
  });

  it("sends a time that was written but misread to review, never calls it missing", () => {
    // handwritten "19 giờ 35" read as "44 giờ 35"; "20g48" read as "2098"
    const r = parseText("Vào hồi 44 giờ 35 phút, Chi bộ tiến hành sinh hoạt.\nHội nghị kết thúc vào hồi 2098 cùng ngày.");
    expect(r.meeting).toMatchObject({ startTime: null, endTime: null, durationMinutes: null });
    expect(r.review).toEqual(expect.arrayContaining(["startTime", "endTime", "durationMinutes"]));
    // one time read, the other not: the duration is not known either
    const one = parseText("Vào hồi 19 giờ 35 phút, Chi bộ tiến hành sinh hoạt.\nHội nghị kết thúc vào hồi 2098 cùng ngày.");
    expect(one.meeting).toMatchObject({ startTime: "19:35", endTime: null, durationMinutes: null });
    expect(one.review).toEqual(expect.arrayContaining(["endTime", "durationMinutes"]));
    // "20g48" read as "20gu8": letters glued into the figures
    const glued = parseText("Vào hồi 19 giờ 35 phút, ngày 3/9/2026, Chi bộ tiến hành sinh hoạt.\nHội nghị kết thúc vào hồi 20gu8 cùng ngày.");
    expect(glued.meeting.endTime).toBeNull();
    expect(glued.review).toEqual(expect.arrayContaining(["endTime", "durationMinutes"]));
    // "9 giờ 35" with the hour lost
    const lost = parseText("Vào hồi 8 giờ 05 ngày 3/9/2026, Chi bộ tiến hành sinh hoạt.\nBuổi sinh hoạt kết thúc vào lúc giờ 35 cùng ngày.");
    expect(lost.meeting.endTime).toBeNull();
    expect(lost.review).toContain("endTime");
    // a meeting whose end is simply not written has no duration, and nothing to review
    const unwritten = parseText("Vào hồi 19 giờ 35 phút, ngày 3/9/2026, Chi bộ tiến hành sinh hoạt thường kỳ tại hội trường thôn.");
    expect(unwritten.review).not.toContain("durationMinutes");
  });

  it("doubts a date that disagrees with the month in the title", () => {
    const title = "BIÊN BẢN\nSINH HOẠT CHI BỘ THƯỜNG KỲ THÁNG 5/2025\n";
    // "2025" read as "2035"
    const misread = parseText(`${title}Vào hồi 19 giờ, ngày 04 tháng 05 năm 2035, tại hội trường.`);
    expect(misread.meeting.meetingDate).toBe("2035-05-04");
    expect(misread.review).toContain("meetingDate");
    // a cell meeting for May on the first days of June is not a misread
    const early = parseText(`${title}Vào hồi 19 giờ, ngày 02 tháng 06 năm 2025, tại hội trường.`);
    expect(early.meeting.meetingDate).toBe("2025-06-02");
    expect(early.review).not.toContain("meetingDate");
  });

  it("does not take figures glued to OCR debris for a time, and doubts a six-hour meeting", () => {
    // "11 giờ 50" read as "%1 giờ 50"
    const glued = parseText("Vào hồi 9 giờ 05, ngày 3/9/2026.\nKết thúc hồi %1 giờ 50.");
    expect(glued.meeting).toMatchObject({ startTime: "09:05", endTime: null });
    expect(glued.review).toContain("endTime");
    // "9 giờ 05" read as "4 giờ 05", "11 giờ 50" as "1 giờ 50": ends 21 hours later
    const long = parseText("Vào hồi 4 giờ 05, ngày 3/9/2026.\nKết thúc hồi 1 giờ 50.");
    expect(long.meeting.durationMinutes).toBe(1305);
    expect(long.review).toEqual(expect.arrayContaining(["startTime", "endTime", "durationMinutes"]));
  });

  it("still finds a time label with no time on a well-read line absent, not unreadable", () => {
    const r = parseText("Hôm nay, ngày 03 tháng 11 năm 2026, chi bộ tiến hành sinh hoạt thường kỳ.\nHội nghị kết thúc cùng ngày.");
    expect(r.meeting).toMatchObject({ meetingDate: "2026-11-03", startTime: null, endTime: null });
    expect(r.review).not.toContain("startTime");
    expect(r.review).not.toContain("endTime");
  });
});

describe("people and votes", () => {
  it("strips honorifics and titles from chair and secretary", () => {
    const r = parseText("Chủ tọa: ĐC Lê Quang Minh, Phó Bí thư\nThư ký hội nghị: đ/c Mai Anh Thư - Chi ủy viên");
    expect(r.meeting.chair).toBe("Lê Quang Minh");
    expect(r.meeting.secretary).toBe("Mai Anh Thư");
  });

  it("does not take 'Đồng chí chủ trì kết luận' or the signature headings for the chair", () => {
    const r = parseText("Đồng chí chủ trì kết luận.\nTHƯ KÝ        CHỦ TRÌ\nTrần Thị Bình      Nguyễn Văn An");
    expect(r.meeting.chair).toBeNull();
    expect(r.meeting.secretary).toBeNull();
    expect(r.review).toEqual([]);
  });

  it.each([
    ["Số đồng chí tán thành: 15; không tán thành: 0; không biểu quyết: 1", { agree: 15, disagree: 0, abstain: 1 }],
    ["Kết quả biểu quyết: 16/16 đ/c tán thành", { agree: 16, disagree: null, abstain: null }],
    ["Biểu quyết: không tán thành 2, tán thành 14", { agree: 14, disagree: 2, abstain: null }],
  ])("%s", (line, counts) => {
    expect(parseText(line).meeting.votes).toEqual([{ subject: null, ...counts }]);
  });

  it("doubts a vote beside a share over 100 % (a misread '100 %')", () => {
    const r = parseText("Có mặt: 27 đồng chí.\nBiểu quyết thông qua phương hướng, nhiệm vụ tháng 5/2026: tán thành\n21/21 đồng chí, đạt 400%.");
    expect(r.meeting.votes[0]?.agree).toBe(21);
    expect(r.review).toContain("votes");
    const fine = parseText("Có mặt: 21 đồng chí.\nBiểu quyết thông qua phương hướng, nhiệm vụ tháng 5/2026: tán thành\n21/21 đồng chí, đạt 100%.");
    expect(fine.review).not.toContain("votes");
  });

  it("sends more votes than members to review (a misread count), and keeps a vote over those present", () => {
    // "Tán thành: 10" read as "40" in a cell of 11
    const misread = parseText("Tổng số đảng viên: 11 đồng chí\nCó mặt: 11 đồng chí\nBiểu quyết: tán thành: 40; không tán thành: 0; không biểu quyết: 0.");
    expect(misread.meeting.votes[0]?.agree).toBe(40);
    expect(misread.review).toContain("votes");
    // 14 of 16 members, 15 votes: written so; VOTE_COUNT_INCONSISTENT's to raise, not review's
    const written = parseText("Tổng số đảng viên: 16 đồng chí\nCó mặt: 14 đồng chí\nBiểu quyết: tán thành: 15; không tán thành: 0; không biểu quyết: 0.");
    expect(written.meeting.votes[0]?.agree).toBe(15);
    expect(written.review).not.toContain("votes");
  });

  it("sends a vote whose agree count was misread to review ('Tán thành: + đồng chí')", () => {
    const r = parseText("Biểu quyết về nghị quyết tháng 5/2025: - Tán thành: + đồng chí - Không tán thành: 0 đồng chí - Không biểu quyết: 0 đồng chí.");
    expect(r.meeting.votes).toEqual([{ subject: "nghị quyết tháng 5/2025", agree: null, disagree: 0, abstain: 0 }]);
    expect(r.review).toContain("votes");
  });

  it("takes 100 % of members present as the agree count", () => {
    const r = parseText("Có mặt: 16 đồng chí\nChi bộ biểu quyết: 100% đảng viên có mặt nhất trí.");
    expect(r.meeting.votes).toEqual([{ subject: null, agree: 16, disagree: null, abstain: null }]);
  });

  it("reads absence counts and lists, deriving counts from lists", () => {
    const r = parseText("Có mặt 14/16\nVắng có lý do: đ/c Lê Văn Cường - đi công tác; đ/c Phạm Thị Dung (ốm)\nVắng không lý do: 0");
    expect(r.meeting.attendance).toMatchObject({
      present: 14,
      absentExcused: 2,
      absentUnexcused: 0,
      absentees: [
        { name: "Lê Văn Cường", excused: true, reason: "đi công tác" },
        { name: "Phạm Thị Dung", excused: true, reason: "ốm" },
      ],
    });
  });

  it("does not count official + probationary as the total, and lowers confidence when they disagree", () => {
    const ok = parseText("Tổng số đảng viên: 18 (chính thức: 17, dự bị: 1)");
    expect(ok.meeting.attendance.total).toBe(18);
    const bad = parseText("Tổng số đảng viên: 18 (chính thức: 12, dự bị: 1)");
    expect(bad.meeting.attendance.total).toBe(18);
    expect(bad.review).toContain("attendance.total");
  });
});
