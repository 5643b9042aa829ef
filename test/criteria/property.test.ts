/**
 * Properties over arbitrary meetings that pass MeetingSchema: evaluate never throws, every flag is
 * a valid Flag, and review can only take flags away.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluate, MEETING_FLAG_CODES, RULE_SET_IDS } from "../../shared/criteria/index.ts";
import { FlagSchema, MeetingSchema, type Meeting } from "../../shared/meeting/schema.ts";

const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });
const two = (n: number) => String(n).padStart(2, "0");
const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${two(h)}:${two(m)}`);
const isoDate = fc
  .tuple(fc.integer({ min: 2024, max: 2027 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
  .map(([y, m, d]) => `${y}-${two(m)}-${two(d)}`);
// small counts make the interesting comparisons (thresholds, sums) likely; now and then a large one
const count = fc.oneof({ arbitrary: fc.nat({ max: 40 }), weight: 9 }, { arbitrary: fc.nat({ max: 100_000 }), weight: 1 });
const name = fc.oneof(
  fc.constantFrom("Lê Văn Cường", "LÊ VĂN CƯỜNG", "Le Van Cuong", "Hoàng Thị Em", " Đỗ  Thị Hồng ", "Nguyễn Văn An"),
  fc.string({ minLength: 1, maxLength: 30 }),
);

const meetingArb: fc.Arbitrary<Meeting> = fc
  .record({
    partyCommittee: nullable(fc.string({ maxLength: 50 })),
    cellName: nullable(fc.string({ maxLength: 50 })),
    kind: nullable(fc.constantFrom("regular", "thematic", "combined")),
    meetingDate: nullable(isoDate),
    startTime: nullable(hhmm),
    endTime: nullable(hhmm),
    durationMinutes: nullable(fc.integer({ min: 0, max: 24 * 60 })),
    location: nullable(fc.string({ maxLength: 50 })),
    chair: nullable(name),
    secretary: nullable(name),
    attendance: fc.record({
      total: nullable(count),
      exempt: count,
      present: nullable(count),
      absentExcused: nullable(count),
      absentUnexcused: nullable(count),
      absentees: fc.array(fc.record({ name, excused: nullable(fc.boolean()), reason: nullable(fc.string({ maxLength: 20 })) }), {
        maxLength: 5,
      }),
    }),
    superiorAttendees: fc.array(name, { maxLength: 2 }),
    opinions: fc.array(fc.record({ speaker: name, text: fc.string({ maxLength: 40 }) }), { maxLength: 3 }),
    votes: fc.array(
      fc.record({ subject: nullable(fc.string({ maxLength: 20 })), agree: nullable(count), disagree: nullable(count), abstain: nullable(count) }),
      { maxLength: 3 },
    ),
    minutesApproved: nullable(fc.boolean()),
    signatures: fc.record({ chair: nullable(fc.boolean()), secretary: nullable(fc.boolean()) }),
  })
  .map((m) => MeetingSchema.parse(m));

const REVIEW_PATHS = [
  "meetingDate",
  "startTime",
  "endTime",
  "durationMinutes",
  "kind",
  "chair",
  "secretary",
  "attendance",
  "attendance.total",
  "attendance.exempt",
  "attendance.present",
  "attendance.absentExcused",
  "attendance.absentUnexcused",
  "attendance.absentees",
  "attendance.absentees.0.excused",
  "attendance.absentees[1].name",
  "opinions",
  "votes",
  "votes.0.agree",
  "votes.agree",
  "signatures",
  "signatures.chair",
  "signatures.secretary",
  "location",
  "",
  "nonsense.path",
];
const reviewArb = fc.subarray(REVIEW_PATHS);
const historyArb = fc.array(meetingArb, { maxLength: 6 });
const ruleSetArb = fc.constantFrom(...RULE_SET_IDS);

describe("evaluate over arbitrary valid meetings", () => {
  it("never throws, and every flag passes FlagSchema with a known code", () => {
    fc.assert(
      fc.property(meetingArb, reviewArb, historyArb, ruleSetArb, (meeting, review, history, ruleSet) => {
        const flags = evaluate(meeting, { review, history, ruleSet });
        for (const f of flags) {
          expect(FlagSchema.safeParse(f).success).toBe(true);
          expect(MEETING_FLAG_CODES).toContain(f.code);
          expect(f.message).not.toMatch(/\{[A-Za-z]+\}/); // every placeholder filled
          expect(f.messageEn).not.toMatch(/\{[A-Za-z]+\}/);
        }
        // each rule raises at most one flag, in rule order
        const order = flags.map((f) => MEETING_FLAG_CODES.indexOf(f.code as (typeof MEETING_FLAG_CODES)[number]));
        expect(order).toEqual([...order].sort((a, b) => a - b));
        expect(new Set(order).size).toBe(order.length);
      }),
      { numRuns: 400 },
    );
  });

  it("review only takes flags away", () => {
    fc.assert(
      fc.property(meetingArb, reviewArb, historyArb, (meeting, review, history) => {
        const all = new Set(evaluate(meeting, { history }).map((f) => f.code));
        for (const f of evaluate(meeting, { history, review })) expect(all.has(f.code)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("with every field under review, nothing is raised", () => {
    const everything = Object.keys(MeetingSchema.shape);
    fc.assert(
      fc.property(meetingArb, historyArb, (meeting, history) => {
        expect(evaluate(meeting, { history, review: everything })).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("42-HD-2025 raises the same codes as 12-HD-2018", () => {
    fc.assert(
      fc.property(meetingArb, reviewArb, historyArb, (meeting, review, history) => {
        const codes = (ruleSet: (typeof RULE_SET_IDS)[number]) => evaluate(meeting, { review, history, ruleSet }).map((f) => f.code);
        expect(codes("42-HD-2025")).toEqual(codes("12-HD-2018"));
      }),
      { numRuns: 200 },
    );
  });

  it("the attendance threshold agrees with exact rational arithmetic", () => {
    fc.assert(
      fc.property(meetingArb, (meeting) => {
        const { total, exempt, present } = meeting.attendance;
        const raised = evaluate(meeting).some((f) => f.code === "ATTENDANCE_BELOW_THRESHOLD");
        if (total === null || present === null || total - exempt <= 0) {
          expect(raised).toBe(false);
        } else {
          // present/(total−exempt) > 85/100 ⇔ 100·present > 85·(total−exempt), with BigInt for certainty
          expect(raised).toBe(!(BigInt(present) * 100n > 85n * BigInt(total - exempt)));
        }
      }),
      { numRuns: 500 },
    );
  });
});
