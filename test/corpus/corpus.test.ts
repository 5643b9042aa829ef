import { describe, expect, it } from "vitest";
import sharp from "sharp";
import { MeetingSchema } from "../../shared/meeting/schema.ts";
import { DEFECT_CODES, DEFAULT_CASES, expectedFlags, generateCorpus, generateMeeting, type DefectCode } from "../../scripts/corpus/index.ts";
import { Rng } from "../../scripts/corpus/rng.ts";
import { numberWords } from "../../scripts/corpus/write.ts";

const JPEG_SOI = Buffer.from([0xff, 0xd8, 0xff]);

describe("seeded RNG", () => {
  it("repeats for a seed and differs between seeds", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(sa);
    expect(sa.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe("Vietnamese number words", () => {
  it("follows the spoken forms", () => {
    expect(numberWords(16)).toBe("mười sáu");
    expect(numberWords(15)).toBe("mười lăm");
    expect(numberWords(21)).toBe("hai mươi mốt");
    expect(numberWords(24)).toBe("hai mươi tư");
    expect(numberWords(35)).toBe("ba mươi lăm");
    expect(numberWords(40)).toBe("bốn mươi");
  });
});

describe("ground truth (content only)", () => {
  it("is a MeetingSchema object and compliant minutes raise no flag", async () => {
    for (let seed = 0; seed < 40; seed++) {
      const m = await generateMeeting(seed, { skipImages: true });
      expect(MeetingSchema.parse(m.truth.meeting)).toEqual(m.truth.meeting);
      expect(m.truth.expectedFlags, `seed ${seed}`).toEqual([]);
      const a = m.truth.meeting.attendance;
      expect(a.present! + a.absentExcused! + a.absentUnexcused!).toBe(a.total! - a.exempt);
      expect(m.truth.meeting.chair).not.toMatch(/đồng chí|đ\/c|Bí thư/i);
    }
  });

  it.each(DEFECT_CODES.map((d) => [d]))("defect %s raises exactly its own flag", async (defect: DefectCode) => {
    for (let seed = 0; seed < 12; seed++) {
      const m = await generateMeeting(seed, { defects: [defect], skipImages: true });
      expect(m.truth.expectedFlags, `seed ${seed}`).toEqual([defect]);
    }
  });

  it("gives each cell a member list: everyone the minutes name as a member, no superior, up to the total", async () => {
    for (let seed = 300; seed < 320; seed++) {
      const { truth } = await generateMeeting(seed, { skipImages: true });
      const m = truth.meeting;
      const named = [m.chair, m.secretary, ...m.attendance.absentees.map((a) => a.name), ...m.opinions.map((o) => o.speaker)];
      for (const n of named) if (n !== null && !m.superiorAttendees.includes(n)) expect(truth.members).toContain(n);
      for (const s of m.superiorAttendees) expect(truth.members).not.toContain(s);
      expect(new Set(truth.members).size).toBe(truth.members.length);
      expect(truth.members.length).toBeGreaterThanOrEqual(m.attendance.total ?? 0);
    }
    // drawn from its own stream: the same seed, the same list
    expect((await generateMeeting(301, { skipImages: true })).truth.members).toEqual((await generateMeeting(301, { skipImages: true })).truth.members);
  });

  it("changes the truth the way each defect says", async () => {
    const sig = await generateMeeting(7, { defects: ["MISSING_SECRETARY_SIGNATURE"], skipImages: true });
    expect(sig.truth.meeting.signatures).toEqual({ chair: true, secretary: false });
    expect(sig.truth.meeting.secretary).not.toBeNull();

    for (let seed = 0; seed < 20; seed++) {
      const low = (await generateMeeting(seed, { defects: ["ATTENDANCE_BELOW_THRESHOLD"], skipImages: true })).truth.meeting.attendance;
      expect(low.present! / (low.total! - low.exempt)).toBeLessThanOrEqual(0.85);
      const ok = (await generateMeeting(seed, { skipImages: true })).truth.meeting.attendance;
      expect(ok.present! / (ok.total! - ok.exempt)).toBeGreaterThan(0.85);

      const short = (await generateMeeting(seed, { defects: ["DURATION_TOO_SHORT"], skipImages: true })).truth.meeting;
      expect(short.durationMinutes!).toBeLessThan(short.kind === "combined" ? 120 : 90);
      const vote = (await generateMeeting(seed, { defects: ["VOTE_COUNT_INCONSISTENT"], skipImages: true })).truth.meeting;
      const v = vote.votes[0]!;
      expect((v.agree ?? 0) + (v.disagree ?? 0) + (v.abstain ?? 0)).toBeGreaterThan(vote.attendance.present!);
    }
    const absent = await generateMeeting(3, { defects: ["ABSENT_WITHOUT_REASON"], skipImages: true });
    expect(absent.truth.meeting.attendance.absentees.some((p) => p.excused === false)).toBe(true);
    const noDate = await generateMeeting(3, { defects: ["MISSING_MEETING_DATE", "MISSING_START_TIME"], skipImages: true });
    expect(noDate.truth.meeting.meetingDate).toBeNull();
    expect(noDate.truth.meeting.durationMinutes).toBeNull();
    expect(noDate.fullText).not.toMatch(/ngày \d{1,2}[/ ]/);
  });

  it("writes what the truth says: names, counts and the kind appear in the text", async () => {
    for (let seed = 0; seed < 10; seed++) {
      const m = await generateMeeting(seed, { skipImages: true });
      const t = m.fullText;
      expect(t).toContain(m.truth.meeting.chair!);
      expect(t).toContain(m.truth.meeting.secretary!);
      for (const o of m.truth.meeting.opinions) expect(t).toContain(o.text);
      for (const a of m.truth.meeting.attendance.absentees) expect(t).toContain(a.name);
      expect(t).toMatch(m.truth.meeting.kind === "regular" ? /THƯỜNG KỲ|thường kỳ/ : /CHUYÊN ĐỀ|chuyên đề/);
    }
  });

  it("keeps expectedFlags consistent with the rules on the truth", async () => {
    for await (const m of generateCorpus(5, DEFAULT_CASES.length * 2, { skipImages: true })) {
      expect(m.truth.expectedFlags).toEqual(expectedFlags(m.truth.meeting));
    }
  });

  it("balances the corpus: each case in each style", async () => {
    const seen = new Set<string>();
    for await (const m of generateCorpus("bal", DEFAULT_CASES.length * 2, { skipImages: true })) seen.add(`${m.style}|${m.id.split("-").slice(2).join("-")}`);
    expect(seen.size).toBe(new Set(DEFAULT_CASES.map((c) => c.join())).size * 2);
  });
});

describe("rendered pages", () => {
  it("are the same bytes for the same seed, and valid JPEG photos of the expected size", async () => {
    const a = await generateMeeting(11, { style: "typed", defects: ["MISSING_CHAIR_SIGNATURE"] });
    const b = await generateMeeting(11, { style: "typed", defects: ["MISSING_CHAIR_SIGNATURE"] });
    expect(a.pages.length).toBeGreaterThanOrEqual(1);
    expect(a.pages.length).toBeLessThanOrEqual(3);
    expect(a.pages.length).toBe(a.text.length);
    expect(Buffer.concat(a.pages).equals(Buffer.concat(b.pages))).toBe(true);
    expect(a.truth).toEqual(b.truth);
    for (const page of a.pages) {
      expect(page.subarray(0, 3).equals(JPEG_SOI)).toBe(true);
      const meta = await sharp(page).metadata();
      expect(meta.format).toBe("jpeg");
      expect(meta.height).toBeGreaterThanOrEqual(1600);
      expect(meta.height).toBeLessThanOrEqual(2400);
      expect(page.length).toBeLessThan(600 * 1024);
    }
    const c = await generateMeeting(12, { style: "typed", defects: ["MISSING_CHAIR_SIGNATURE"] });
    expect(Buffer.concat(c.pages).equals(Buffer.concat(a.pages))).toBe(false);
  });

  it("handwritten pages carry the page texts in order", async () => {
    const m = await generateMeeting(21, { style: "handwritten" });
    expect(m.text.join("\n")).toContain("CỘNG SẢN VIỆT NAM");
    expect(m.text[m.text.length - 1]).toMatch(/THƯ KÝ|Thư ký/);
    for (const page of m.pages) expect((await sharp(page).metadata()).format).toBe("jpeg");
  });
});
