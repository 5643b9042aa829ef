import { describe, expect, it } from "vitest";
import { linesFromPages, linesFromText } from "../../../shared/extraction/parser/document.ts";
import { parseMeeting, parseText } from "../../../shared/extraction/parser/index.ts";
import { isGarbled, isReadable, isWellRead, quality } from "../../../shared/extraction/parser/quality.ts";
import { reflow } from "../../../shared/extraction/parser/reflow.ts";
import { pageFromText } from "./helpers.ts";

const texts = (text: string, title = -1) => reflow(linesFromText(text), title).map((l) => l.text);

describe("reflow", () => {
  it("joins a sentence wrapped mid-phrase ('…; có' / 'mặt 27 đồng chí')", () => {
    expect(texts("Chi bộ có 38 đảng viên, vắng 8 đồng chí (có lý do: 8; có\nmặt 27 đồng chí.")).toEqual([
      "Chi bộ có 38 đảng viên, vắng 8 đồng chí (có lý do: 8; có mặt 27 đồng chí.",
    ]);
  });

  it("does not join a new item: bullet, numbering, label, speaker, heading, 'Label:' line", () => {
    const text = [
      "Thư ký: đ/c Lê Thị Thu",
      "Tổng số đảng viên: 21",
      "- Hoàn thành việc rà soát hộ nghèo",
      "2. Phương hướng nhiệm vụ tháng tới",
      "Đồng chí Trần Văn Hải phát biểu: nhất trí",
      "II. THẢO LUẬN",
      "Đảng viên dự: mười một đồng chí",
    ].join("\n");
    expect(texts(text)).toHaveLength(7);
  });

  it("keeps a line ending a sentence or a label apart, and joins lower-case text after ';'", () => {
    expect(texts("Ý kiến thảo luận:\nđề nghị bổ sung")).toHaveLength(2);
    expect(texts("Kết thúc lúc 16 giờ.\nBiên bản được thông qua.")).toHaveLength(2);
    expect(texts("tán thành: 6;\nkhông tán thành: 0.")).toEqual(["tán thành: 6; không tán thành: 0."]);
  });

  it("leaves the header columns and the title alone, and the signature rows", () => {
    const text = "CHI BỘ TRƯỜNG TIỂU HỌC BẾN\nTHÀNH\nBIÊN BẢN SINH HOẠT CHI BỘ\nBiên bản được thông qua\nTHƯ KÝ   CHỦ TRÌ\nLê Văn Đông   Hà Ngọc Kiên";
    const out = texts(text, 2);
    expect(out.slice(0, 3)).toEqual(["CHI BỘ TRƯỜNG TIỂU HỌC BẾN", "THÀNH", "BIÊN BẢN SINH HOẠT CHI BỘ"]);
    expect(out).toContain("Lê Văn Đông   Hà Ngọc Kiên");
  });

  it("keeps each character's confidence and the first part's page number; drops a page number between parts", () => {
    const page1 = pageFromText("BIÊN BẢN\nĐồng chí Lê Văn Hùng: đề nghị chi bộ quan tâm", 1, (w) => (w === "quan" ? 0.4 : 0.9));
    const page2 = pageFromText("- 2 -\nhơn đến vệ sinh môi trường.", 2, () => 0.8);
    const lines = reflow(linesFromPages([page1, page2]), 0);
    expect(lines).toHaveLength(2);
    const joined = lines[1]!;
    expect(joined.text).toBe("Đồng chí Lê Văn Hùng: đề nghị chi bộ quan tâm hơn đến vệ sinh môi trường.");
    expect(joined.pageNumber).toBe(1);
    expect(joined.charConfidence).toHaveLength(joined.text.length);
    expect(joined.charConfidence[joined.text.indexOf("quan")]).toBeCloseTo(0.4);
    expect(joined.charConfidence[joined.text.indexOf("hơn")]).toBeCloseTo(0.8);
    expect(joined.index).toBe(1);
  });

  it("lets the parser read a vote and a role that wrapped", () => {
    const r = parseText("BIÊN BẢN\nKết quả biểu quyết: tán thành 24 đ/c, không tán thành 0,\nkhông biểu quyết 0.\nChủ trì: đ/c Hà Ngọc Kiên; thư ký: Đ/c Lê Văn Đông.");
    expect(r.meeting.votes).toEqual([{ subject: null, agree: 24, disagree: 0, abstain: 0 }]);
    expect(r.meeting).toMatchObject({ chair: "Hà Ngọc Kiên", secretary: "Lê Văn Đông" });
  });
});

describe("OCR quality gate: unknown is not missing", () => {
  it("recognises garbled tokens", () => {
    for (const t of ["cÑ¿", "tá4", "Ẩ@t", "ñ¿ec"]) expect(isGarbled(t), t).toBe(true);
    for (const t of ["Nguyễn", "14h30", "8g30", "27/8/2026", "(ốm),", "đ/c", "100%"]) expect(isGarbled(t), t).toBe(false);
  });

  it("measures a document: confident Vietnamese is well read, debris is not", () => {
    const good = linesFromPages([pageFromText("Chủ trì: đồng chí Nguyễn Văn An\nCó mặt: 16 đồng chí", 1, () => 0.95)]);
    const poor = linesFromPages([pageFromText("Đông cñé Quác& Ẩ(g ]láa — ñ the chỉ 6ê cñù thà\nThư bú: dâng cñá ÍÍuùn", 1, () => 0.4)]);
    expect(isWellRead(quality(good))).toBe(true);
    expect(isWellRead(quality(poor))).toBe(false);
    expect(isReadable(good[0]!)).toBe(true);
    expect(isReadable(poor[0]!)).toBe(false);
  });

  it("on a poorly read page, a required field whose label is not found goes to review, null", () => {
    const page = pageFromText("BIÊN BẢN SINH HOẠT CHI BỘ\nĐông cñé Quác& Ẩ(g ]láa — ñ the chỉ 6ê cñù thà\nThư bú: dâng cñá ÍÍuùn, liên Kiên\n(ñ¿ Éê cá ña¿ nua# dàng uiên", 1, () => 0.4);
    const r = parseMeeting([page]);
    expect(r.meeting.chair).toBeNull();
    expect(r.review).toEqual(expect.arrayContaining(["chair", "secretary", "opinions", "votes", "startTime", "attendance.present"]));
    // the fields no flag hangs on are not known to be absent either
    expect(r.meeting).toMatchObject({ location: null, cellName: null, minutesApproved: null });
    expect(r.review).toEqual(expect.arrayContaining(["location", "cellName", "partyCommittee", "attendance.absentUnexcused", "minutesApproved", "superiorAttendees"]));
  });

  it("on a well-read page, the same absent labels are absent: null and not in review", () => {
    const page = pageFromText("BIÊN BẢN SINH HOẠT CHI BỘ\nHôm nay, ngày 22 tháng 05 năm 2025, Chi bộ tiến hành sinh hoạt.\nThư ký: đồng chí Lê Văn Đông.", 1, () => 0.96);
    const r = parseMeeting([page]);
    expect(r.meeting).toMatchObject({ chair: null, startTime: null, secretary: "Lê Văn Đông" });
    expect(r.review).not.toContain("chair");
    expect(r.review).not.toContain("startTime");
    expect(r.review).not.toContain("location");
    expect(r.review).not.toContain("minutesApproved");
  });

  it("a time label followed by OCR debris is unreadable even on a confident line", () => {
    const r = parseText("Vào hồi ?? giờ, ngày 03/11/2026");
    expect(r.review).toContain("startTime");
  });
});
