/**
 * "Unknown is not missing": a field the OCR could not read (review.fields) raises no flag, neither
 * MISSING_* nor a criterion that rests on it.
 */
import { describe, expect, it } from "vitest";
import { codes, goodMeeting, withAttendance } from "./fixtures.ts";

describe("review suppression", () => {
  it.each([
    ["meetingDate", "MISSING_MEETING_DATE"],
    ["startTime", "MISSING_START_TIME"],
    ["endTime", "MISSING_END_TIME"],
    ["chair", "MISSING_CHAIR"],
    ["secretary", "MISSING_SECRETARY"],
  ] as const)("%s null and under review → no %s", (field, code) => {
    const m = goodMeeting({ [field]: null });
    expect(codes(m)).toContain(code);
    expect(codes(m, { review: [field] })).not.toContain(code);
  });

  it("attendance.present under review → no MISSING_ATTENDANCE, ATTENDANCE_BELOW_THRESHOLD, ATTENDANCE_INCONSISTENT, VOTE_COUNT_INCONSISTENT", () => {
    const missing = withAttendance({ present: null });
    expect(codes(missing)).toContain("MISSING_ATTENDANCE");
    expect(codes(missing, { review: ["attendance.present"] })).toEqual([]);

    // a misread present count: 10 read where it is unreadable
    const misread = withAttendance({ present: 10 });
    expect(codes(misread)).toEqual(["ATTENDANCE_BELOW_THRESHOLD", "ATTENDANCE_INCONSISTENT", "VOTE_COUNT_INCONSISTENT"]);
    expect(codes(misread, { review: ["attendance.present"] })).toEqual([]);
  });

  it("a parent path (attendance) suppresses every attendance rule", () => {
    const m = withAttendance({ total: 20, present: 10, absentUnexcused: 3, absentees: [{ name: "Lê Văn Cường", excused: false, reason: null }] });
    expect(codes(m)).toEqual(
      expect.arrayContaining(["ATTENDANCE_BELOW_THRESHOLD", "ABSENT_WITHOUT_REASON", "ATTENDANCE_INCONSISTENT", "VOTE_COUNT_INCONSISTENT"]),
    );
    expect(codes(m, { review: ["attendance"] })).toEqual([]);
  });

  it("attendance.total or attendance.exempt under review → no threshold and no inconsistency flags", () => {
    const m = withAttendance({ total: 30 });
    expect(codes(m)).toEqual(["ATTENDANCE_BELOW_THRESHOLD", "ATTENDANCE_INCONSISTENT"]);
    expect(codes(m, { review: ["attendance.total"] })).toEqual([]);
    const e = withAttendance({ exempt: 0 }); // 18 of 20 = 90 % still met, but 18+1+0 ≠ 20
    expect(codes(e)).toEqual(["ATTENDANCE_INCONSISTENT"]);
    expect(codes(e, { review: ["attendance.exempt"] })).toEqual([]);
  });

  it("startTime (or endTime, durationMinutes) under review → no MISSING_START_TIME and no DURATION_TOO_SHORT", () => {
    const m = goodMeeting({ startTime: null, durationMinutes: 60 });
    expect(codes(m)).toEqual(["MISSING_START_TIME", "DURATION_TOO_SHORT"]);
    expect(codes(m, { review: ["startTime"] })).toEqual([]);
    expect(codes(goodMeeting({ durationMinutes: 60 }), { review: ["endTime"] })).toEqual([]);
    expect(codes(goodMeeting({ durationMinutes: 60 }), { review: ["durationMinutes"] })).toEqual([]);
  });

  it("kind under review is treated as unknown: the weakest requirement (90) applies", () => {
    const m = goodMeeting({ kind: "combined", durationMinutes: 100 });
    expect(codes(m)).toEqual(["DURATION_TOO_SHORT"]);
    expect(codes(m, { review: ["kind"] })).toEqual([]);
    expect(codes(goodMeeting({ kind: "combined", durationMinutes: 80 }), { review: ["kind"] })).toEqual(["DURATION_TOO_SHORT"]);
  });

  it("signatures.chair / signatures.secretary / signatures under review → no signature flag", () => {
    const m = goodMeeting({ signatures: { chair: false, secretary: false } });
    expect(codes(m)).toEqual(["MISSING_CHAIR_SIGNATURE", "MISSING_SECRETARY_SIGNATURE"]);
    expect(codes(m, { review: ["signatures.chair"] })).toEqual(["MISSING_SECRETARY_SIGNATURE"]);
    expect(codes(m, { review: ["signatures.secretary"] })).toEqual(["MISSING_CHAIR_SIGNATURE"]);
    expect(codes(m, { review: ["signatures"] })).toEqual([]);
  });

  it("opinions / votes under review → no MISSING_OPINIONS / MISSING_VOTE_RESULT / VOTE_COUNT_INCONSISTENT", () => {
    expect(codes(goodMeeting({ opinions: [] }), { review: ["opinions"] })).toEqual([]);
    expect(codes(goodMeeting({ votes: [] }), { review: ["votes"] })).toEqual([]);
    const unreadAgree = goodMeeting({ votes: [{ subject: null, agree: null, disagree: 0, abstain: 0 }] });
    expect(codes(unreadAgree)).toEqual(["MISSING_VOTE_RESULT"]);
    expect(codes(unreadAgree, { review: ["votes.0.agree"] })).toEqual([]);
    expect(codes(unreadAgree, { review: ["votes[0].agree"] })).toEqual([]);
    const tooMany = goodMeeting({ votes: [{ subject: null, agree: 30, disagree: 0, abstain: 0 }] });
    expect(codes(tooMany)).toEqual(["VOTE_COUNT_INCONSISTENT"]);
    expect(codes(tooMany, { review: ["votes.0.agree"] })).toEqual([]);
    expect(codes(tooMany, { review: ["votes.agree"] })).toEqual([]);
  });

  it("ABSENT_WITHOUT_REASON: an unreadable count does not hide an absentee marked without reason, and vice versa", () => {
    const both = withAttendance({
      present: 17,
      absentUnexcused: 1,
      absentees: [
        { name: "Lê Văn Cường", excused: true, reason: "ốm" },
        { name: "Hoàng Thị Em", excused: false, reason: null },
      ],
    });
    expect(codes(both, { review: ["attendance.absentUnexcused"] })).toContain("ABSENT_WITHOUT_REASON");
    expect(codes(both, { review: ["attendance.absentees"] })).toContain("ABSENT_WITHOUT_REASON");
    expect(codes(both, { review: ["attendance.absentUnexcused", "attendance.absentees"] })).not.toContain("ABSENT_WITHOUT_REASON");

    // only the count says so, and the count is unreadable → nothing
    const countOnly = withAttendance({ present: 17, absentUnexcused: 1 });
    expect(codes(countOnly)).toContain("ABSENT_WITHOUT_REASON");
    expect(codes(countOnly, { review: ["attendance.absentUnexcused"] })).not.toContain("ABSENT_WITHOUT_REASON");

    // only one absentee's excuse is unreadable → that absentee does not count
    const listOnly = withAttendance({ absentees: [{ name: "Hoàng Thị Em", excused: false, reason: null }] });
    expect(codes(listOnly)).toContain("ABSENT_WITHOUT_REASON");
    expect(codes(listOnly, { review: ["attendance.absentees.0.excused"] })).not.toContain("ABSENT_WITHOUT_REASON");
  });

  it("an unrelated review path suppresses nothing", () => {
    const m = goodMeeting({ chair: null, signatures: { chair: false, secretary: true } });
    expect(codes(m, { review: ["location", "attendance.absentees", "cellName"] })).toEqual(["MISSING_CHAIR", "MISSING_CHAIR_SIGNATURE"]);
  });
});
