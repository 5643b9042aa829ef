/**
 * Meetings for the criteria tests. `goodMeeting()` meets every criterion of 12-HD-2018, so a test
 * changes one thing and expects exactly the flag that change should raise.
 */
import { MeetingSchema, type Meeting, type MeetingInput } from "../../shared/meeting/schema.ts";
import { evaluate, type EvaluateOptions } from "../../shared/criteria/index.ts";

export function goodMeeting(overrides: Partial<MeetingInput> = {}): Meeting {
  return MeetingSchema.parse({
    partyCommittee: "Đảng bộ xã Thanh Bình",
    cellName: "Chi bộ thôn Đông Hòa",
    kind: "regular",
    meetingDate: "2026-03-05",
    startTime: "14:00",
    endTime: "15:45",
    durationMinutes: 105,
    location: "Nhà văn hóa thôn Đông Hòa",
    chair: "Nguyễn Văn An",
    secretary: "Trần Thị Bình",
    attendance: {
      total: 20,
      exempt: 1,
      present: 18,
      absentExcused: 1,
      absentUnexcused: 0,
      absentees: [{ name: "Lê Văn Cường", excused: true, reason: "đi công tác" }],
    },
    superiorAttendees: [],
    opinions: [{ speaker: "Phạm Văn Dũng", text: "Đề nghị chi bộ đẩy nhanh tiến độ làm đường." }],
    votes: [{ subject: "Nghị quyết tháng 3/2026", agree: 18, disagree: 0, abstain: 0 }],
    minutesApproved: true,
    signatures: { chair: true, secretary: true },
    ...overrides,
  });
}

/** goodMeeting() with attendance fields replaced. */
export function withAttendance(attendance: Partial<Meeting["attendance"]>, overrides: Partial<MeetingInput> = {}): Meeting {
  const base = goodMeeting(overrides);
  return { ...base, attendance: { ...base.attendance, ...attendance } };
}

export function codes(meeting: Meeting, options?: EvaluateOptions): string[] {
  return evaluate(meeting, options).map((f) => f.code);
}

export function flag(meeting: Meeting, code: string, options?: EvaluateOptions) {
  return evaluate(meeting, options).find((f) => f.code === code);
}
