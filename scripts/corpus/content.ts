/**
 * What a generated meeting IS: the ground-truth Meeting (CONTRACT.md §2) plus the facts the writer
 * needs to phrase it (roles, the official/probationary split, the topic…). Every choice that changes
 * the truth is made here, so the writer (write.ts) can vary wording freely without touching it.
 */
import { MeetingSchema, minutesBetween } from "../../shared/meeting/schema.ts";
import type { Absentee, Meeting, MeetingKind, Vote } from "../../shared/meeting/schema.ts";
import { MIN_MINUTES, type MeetingFlagCode } from "./flags.ts";
import type { Rng } from "./rng.ts";
import * as V from "./vocab.ts";

/** A defect to put into the minutes: one of the per-meeting flag codes it should raise. */
export type DefectCode = MeetingFlagCode;

/** How a vote's counts are written; decides which counts the truth holds. */
export type VoteForm = "full" | "fraction" | "percent" | "noCounts";

export interface PlannedVote {
  /** the truth; counts are null where the chosen form does not write them */
  vote: Vote;
  form: VoteForm;
  /** the subject phrase as written (the truth's subject is null when the form omits it) */
  subjectText: string;
}

export interface Plan {
  meeting: Meeting;
  locality: V.Locality;
  /** day, month, year of the meeting even when the minutes do not record the day */
  day: number;
  month: number;
  year: number;
  official: number | null;
  probationary: number | null;
  /** the exempt count is written (always when > 0) */
  exemptWritten: boolean;
  chairRole: string;
  secretaryRole: string;
  superiors: { name: string; role: string }[];
  /** what the minutes say about absentees' counts: the split may be written even when present is not */
  absenceCountsWritten: boolean;
  topic: string | null;
  results: string[];
  tasks: string[];
  conclusion: string;
  /** speakers' roles, by index of meeting.opinions ("" for none) */
  speakerRoles: string[];
  /** no opinions recorded: say so ("không có ý kiến khác") or leave the discussion out */
  noOpinionsSentence: boolean;
  votes: PlannedVote[];
  /** names written under the CHỦ TRÌ / THƯ KÝ headings (null when left blank) */
  signedNames: { chair: string | null; secretary: string | null };
}

/** Builds unique full names: family + middle + given. */
export class NameBook {
  private used = new Set<string>();
  constructor(private readonly rng: Rng) {}
  /** a name already taken elsewhere: never drawn */
  reserve(name: string): void {
    this.used.add(name);
  }
  next(): string {
    for (;;) {
      const female = this.rng.chance(0.4);
      const name = [
        this.rng.pick(V.FAMILY_NAMES),
        this.rng.pick(female ? V.MIDDLE_FEMALE : V.MIDDLE_MALE),
        this.rng.pick(female ? V.GIVEN_FEMALE : V.GIVEN_MALE),
      ].join(" ");
      if (!this.used.has(name)) {
        this.used.add(name);
        return name;
      }
    }
  }
}

function hhmm(totalMinutes: number): string {
  const h = Math.floor(totalMinutes / 60) % 24;
  const m = totalMinutes % 60;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** Fill {L} (locality name), {K} (its kind), {U} (unit). */
function fill(template: string, loc: V.Locality, unit: string): string {
  return template.replaceAll("{L}", loc.name).replaceAll("{K}", loc.kind).replaceAll("{U}", unit);
}

export function planMeeting(rng: Rng, defects: readonly DefectCode[], kindWanted?: MeetingKind): Plan {
  const has = (d: DefectCode) => defects.includes(d);
  const names = new NameBook(rng);

  const locality = rng.pick(V.LOCALITIES);
  const committeeKind = locality.kind === "phường" ? "phường" : locality.kind;
  const partyCommittee = `Đảng bộ ${committeeKind} ${locality.name}`;
  let cellName: string;
  let location: string;
  if (rng.chance(0.65)) {
    const unit = rng.pick(locality.units);
    cellName = `Chi bộ ${unit}`;
    location = fill(rng.pick(V.UNIT_ROOMS), locality, unit);
  } else {
    const inst = rng.pick(V.INSTITUTION_CELLS);
    cellName = `Chi bộ ${fill(inst.cell, locality, "")}`;
    location = fill(inst.room, locality, "");
  }

  // Drawn even when the caller fixes the kind, so that fixing it leaves the rest of the content as it was.
  const drawnKind = rng.weighted<MeetingKind>([["regular", 5], ["thematic", 2], ["combined", 3]]);
  const kind: MeetingKind = kindWanted ?? drawnKind;
  const year = rng.pick([2025, 2026]);
  const month = rng.int(1, 12);
  const day = rng.int(1, 28);

  // Start: morning, afternoon or evening (village cells often meet after work).
  const start = rng.weighted<number>([
    [7 * 60 + 30, 2], [8 * 60, 3], [8 * 60 + 30, 2], [9 * 60, 1], [13 * 60 + 30, 2], [14 * 60, 3], [14 * 60 + 30, 2],
    [19 * 60, 2], [19 * 60 + 30, 2],
  ]) + rng.pick([0, 0, 0, 5, 10, 15]);
  const min = MIN_MINUTES[kind];
  const duration = has("DURATION_TOO_SHORT") ? rng.int(Math.round(min * 0.45), min - 5) : rng.int(min, min + 75);
  const end = start + duration;

  // Attendance. The threshold is "over 85 %" of those required to attend (total − exempt).
  const total = rng.int(has("ATTENDANCE_BELOW_THRESHOLD") ? 10 : 9, 42);
  const probationary = rng.int(0, Math.min(3, Math.floor(total / 6)));
  const exempt = rng.chance(0.3) ? rng.int(1, Math.max(1, Math.floor(total / 10))) : 0;
  const required = total - exempt;
  // Largest a with (required − a)/required > 85 %, in integers (0.15 * 20 is 3.0000000000000004 in floating point).
  const maxCompliantAbsent = Math.ceil((required * 15) / 100) - 1;
  let absentCount: number;
  if (has("ATTENDANCE_BELOW_THRESHOLD")) {
    absentCount = rng.int(maxCompliantAbsent + 1, Math.max(maxCompliantAbsent + 1, Math.floor(required * 0.3)));
  } else {
    absentCount = rng.int(has("ABSENT_WITHOUT_REASON") ? 1 : 0, Math.max(has("ABSENT_WITHOUT_REASON") ? 1 : 0, maxCompliantAbsent));
  }
  let present = required - absentCount;
  const absentees: Absentee[] = [];
  for (let i = 0; i < absentCount; i++) {
    const unexcused = has("ABSENT_WITHOUT_REASON") && i === absentCount - 1;
    absentees.push(
      unexcused
        ? { name: names.next(), excused: false, reason: null }
        : { name: names.next(), excused: true, reason: rng.chance(0.85) ? rng.pick(V.EXCUSED_REASONS) : null },
    );
  }
  if (has("ATTENDANCE_INCONSISTENT")) {
    // Members vanish from the arithmetic: present + absent falls short of total − exempt, while the
    // ratio stays over 85 % so that only the inconsistency is raised.
    const gap = rng.int(1, 2);
    present = Math.max(1, present - gap);
    if (present * 100 <= 85 * required && !has("ATTENDANCE_BELOW_THRESHOLD")) present += gap; // fall back to a surplus
    if (present + absentCount === required) present += 1;
  }
  const absentExcused = absentees.filter((a) => a.excused === true).length;
  const absentUnexcused = absentees.filter((a) => a.excused === false).length;
  const attendanceMissing = has("MISSING_ATTENDANCE");
  const keepAbsenteesWhenMissing = attendanceMissing && rng.chance(0.5);

  const chair = names.next();
  const secretary = names.next();
  const superiors = rng.chance(0.35) ? [{ name: names.next(), role: rng.pick(V.SUPERIOR_ROLES) }] : [];

  // Opinions: members present (never absentees), sometimes the chair or the superior's representative.
  const opinionCount = has("MISSING_OPINIONS") ? 0 : rng.int(2, 6);
  const speakerPool = [...Array.from({ length: 6 }, () => names.next())];
  const opinionTexts = rng.sample(V.OPINIONS, opinionCount);
  const opinions = opinionTexts.map((text, i) => {
    const speaker = i === opinionCount - 1 && superiors[0] && rng.chance(0.4) ? superiors[0].name : (speakerPool[i] ?? names.next());
    return { speaker, text };
  });
  const speakerRoles = opinions.map((o) =>
    superiors[0] && o.speaker === superiors[0].name
      ? superiors[0].role
      : rng.chance(0.25)
        ? rng.pick(["Chi ủy viên", "Trưởng thôn", "Chi hội trưởng Chi hội Nông dân", "Chi hội trưởng Chi hội Phụ nữ", "Bí thư Chi đoàn", "Trưởng ban công tác Mặt trận"])
        : "",
  );

  // Votes: 1–2 subjects; counts as the chosen form writes them.
  const next = month === 12 ? { m: 1, y: year + 1 } : { m: month + 1, y: year };
  const subjects = rng.sample(
    [
      `nghị quyết tháng ${month}/${year}`,
      "dự thảo nghị quyết",
      `phương hướng, nhiệm vụ tháng ${next.m}/${next.y}`,
      "kết luận của đồng chí chủ trì",
      ...(kind !== "regular" ? ["nội dung chuyên đề"] : []),
    ],
    rng.int(1, 2),
  );
  const votes: PlannedVote[] = subjects.map((subjectText, i) => {
    const voters = attendanceMissing ? rng.int(Math.max(1, required - 2), required) : present;
    let agree = rng.chance(0.8) ? voters : voters - rng.int(0, Math.min(2, voters));
    let disagree = 0;
    let abstain = voters - agree;
    if (abstain > 0 && rng.chance(0.3)) {
      disagree = 1;
      abstain -= 1;
    }
    let form: VoteForm;
    if (has("MISSING_VOTE_RESULT")) form = "noCounts";
    else if (has("VOTE_COUNT_INCONSISTENT") && i === 0) {
      // More votes than members present: the classic miscount.
      agree = voters + rng.int(0, 1);
      abstain = agree === voters ? 1 : 0;
      disagree = 0;
      form = "full";
    } else if (agree === voters && !attendanceMissing) form = rng.weighted<VoteForm>([["full", 2], ["fraction", 2], ["percent", 1]]);
    else form = "full";
    const subjectWritten = form === "noCounts" || rng.chance(0.75);
    const vote: Vote = {
      subject: subjectWritten ? subjectText : null,
      agree: form === "noCounts" ? null : agree,
      disagree: form === "full" ? disagree : null,
      abstain: form === "full" ? abstain : null,
    };
    return { vote, form, subjectText };
  });
  // "Missing vote result" is written either as a vote without counts or as no vote at all.
  const plannedVotes = has("MISSING_VOTE_RESULT") && rng.chance(0.4) ? [] : votes;

  const startTime = has("MISSING_START_TIME") ? null : hhmm(start);
  const endTime = has("MISSING_END_TIME") ? null : hhmm(end);
  const meeting: Meeting = MeetingSchema.parse({
    partyCommittee,
    cellName,
    kind,
    meetingDate: has("MISSING_MEETING_DATE") ? null : `${year}-${pad2(month)}-${pad2(day)}`,
    startTime,
    endTime,
    durationMinutes: startTime !== null && endTime !== null ? minutesBetween(startTime, endTime) : null,
    location,
    chair: has("MISSING_CHAIR") ? null : chair,
    secretary: has("MISSING_SECRETARY") ? null : secretary,
    attendance: {
      total: attendanceMissing ? null : total,
      exempt,
      present: attendanceMissing ? null : present,
      absentExcused: attendanceMissing && !keepAbsenteesWhenMissing ? null : absentExcused,
      absentUnexcused: attendanceMissing && !keepAbsenteesWhenMissing ? null : absentUnexcused,
      absentees: attendanceMissing && !keepAbsenteesWhenMissing ? [] : absentees,
    },
    superiorAttendees: superiors.map((s) => s.name),
    opinions,
    votes: plannedVotes.map((v) => v.vote),
    minutesApproved: rng.chance(0.85) ? true : null,
    signatures: { chair: !has("MISSING_CHAIR_SIGNATURE"), secretary: !has("MISSING_SECRETARY_SIGNATURE") },
  });
  if (attendanceMissing && !keepAbsenteesWhenMissing) meeting.attendance.exempt = 0;

  const official = total - probationary;
  return {
    meeting,
    locality,
    day,
    month,
    year,
    official: rng.chance(0.6) ? official : null,
    probationary: probationary,
    exemptWritten: exempt > 0 && !(attendanceMissing && !keepAbsenteesWhenMissing),
    chairRole: rng.pick(V.CHAIR_ROLES),
    secretaryRole: rng.pick(V.SECRETARY_ROLES),
    superiors,
    absenceCountsWritten: !attendanceMissing || keepAbsenteesWhenMissing,
    topic: kind === "regular" ? null : rng.pick(V.TOPICS),
    results: rng.sample(V.RESULTS, rng.int(2, 4)),
    tasks: rng.sample(V.TASKS, rng.int(2, 4)),
    conclusion: rng.pick(V.CONCLUSIONS),
    speakerRoles,
    noOpinionsSentence: rng.chance(0.5),
    votes: plannedVotes,
    signedNames: {
      chair: has("MISSING_CHAIR") ? null : chair,
      secretary: has("MISSING_SECRETARY") ? null : secretary,
    },
  };
}
