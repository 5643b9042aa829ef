/**
 * bienban's generator of photographed minutes with ground truth.
 *
 * Used for the shipped samples (scripts/generate-samples.ts → samples/) and for the evaluation
 * corpus, which is generated at eval time from a seed so that nothing large is committed:
 *
 * ```ts
 * import { generateCorpus } from "./scripts/corpus/index.ts";
 * for await (const m of generateCorpus(2026, 60)) {
 *   // m.pages: JPEG photos of the minutes, in order
 *   // m.truth.meeting: the MeetingSchema object a perfect parser would return
 *   // m.truth.expectedFlags: the per-meeting codes of CONTRACT.md §3 (rule set 12-HD-2018)
 * }
 * ```
 *
 * Determinism: the same seed and options give byte-identical pages, texts and truth on any machine
 * (a seeded mulberry32, no clock, no Math.random; fonts come from pinned npm packages).
 *
 * Truth conventions (CONTRACT.md §2): names without "đồng chí"/titles; times "HH:MM"; a field the
 * minutes do not write is null (a vote written as "tán thành 16/16" has disagree and abstain null);
 * exempt is 0 when not mentioned; signatures are true when ink is drawn above the name, false when
 * the space is blank. partyCommittee and cellName are in sentence case ("Đảng bộ xã Thanh Bình")
 * although the header writes them in capitals: compare them case-insensitively.
 */
import { MeetingSchema } from "../../shared/meeting/schema.ts";
import type { Meeting, MeetingKind } from "../../shared/meeting/schema.ts";
import { NameBook, planMeeting, type DefectCode } from "./content.ts";
import { expectedFlags, MEETING_FLAG_CODES, type MeetingFlagCode } from "./flags.ts";
import { photograph, type PhotoParams } from "./photo.ts";
import { PAGE_HEIGHT, PAGE_WIDTH, renderDocument, type Style } from "./render.ts";
import { Rng } from "./rng.ts";
import { writeMinutes } from "./write.ts";

export type { DefectCode, Style, MeetingFlagCode };
export { expectedFlags, MEETING_FLAG_CODES };

/** Every defect the generator can put into a meeting (each raises the flag of the same code). */
export const DEFECT_CODES: readonly DefectCode[] = MEETING_FLAG_CODES;

export interface GenerateOptions {
  style?: Style;
  /** defects to put in; [] or absent for compliant minutes */
  defects?: readonly DefectCode[];
  /** the kind of meeting; drawn from the seed when absent (regular 50 %, thematic 20 %, combined 30 %) */
  kind?: MeetingKind;
  /** skip drawing and photographing: truth and page texts only (fast, for tests of the content) */
  skipImages?: boolean;
}

export interface GeneratedMeeting {
  /** stable id from the seed: "m<seed>-<style>[-<defects>]" */
  id: string;
  style: Style;
  /** JPEG photographs, one per page, in order ([] with skipImages) */
  pages: Buffer[];
  truth: {
    meeting: Meeting;
    expectedFlags: MeetingFlagCode[];
    /**
     * The cell's member list as the store would hold it (what ingest hands the parser): everyone
     * the minutes name who is a member — chair, minute-taker, absentees, speakers, not the superior
     * committee's attendees — and other members up to the total.
     */
    members: string[];
  };
  /** the text of each page as written, line by line ([] with skipImages: pages are decided by layout) */
  text: string[];
  /** the text of the whole minutes, line breaks of the paragraphs not applied */
  fullText: string;
  /** camera effects used per page, for reports on how hard a page was */
  photo: PhotoParams[];
}

function idFor(seed: number | string, style: Style, defects: readonly DefectCode[]): string {
  const tag = defects.length ? `-${defects.map((d) => d.toLowerCase().replaceAll("_", "")).join("+")}` : "";
  return `m${String(seed)}-${style}${tag}`;
}

/**
 * One meeting's photographed minutes with its ground truth.
 * Content, wording, drawing and photographing draw from separate streams of the seed, so that
 * e.g. changing the photo effects never changes what the minutes say.
 */
export async function generateMeeting(seed: number | string, options: GenerateOptions = {}): Promise<GeneratedMeeting> {
  const style = options.style ?? "typed";
  const defects = [...new Set(options.defects ?? [])];
  const plan = planMeeting(Rng.derive(seed, "content"), defects, options.kind);
  const meeting = MeetingSchema.parse(plan.meeting);
  const lines = writeMinutes(plan, Rng.derive(seed, `wording/${style}`), style);
  const fullText = lines
    .map((l) => (l.t === "para" || l.t === "center" ? l.text : l.t === "row" ? [l.left, l.right].filter(Boolean).join("    ") : l.t === "sign" ? `${l.chairHeading}    ${l.secretaryHeading}` : ""))
    .join("\n");
  const truth = { meeting, expectedFlags: expectedFlags(meeting), members: roster(meeting, Rng.derive(seed, "roster")) };
  const id = idFor(seed, style, defects);
  if (options.skipImages) return { id, style, pages: [], truth, text: [], fullText, photo: [] };

  const { pages: flat } = await renderDocument(lines, style, Rng.derive(seed, `render/${style}`));
  const pages: Buffer[] = [];
  const photo: PhotoParams[] = [];
  const camera = Rng.derive(seed, `photo/${style}`);
  for (const p of flat) {
    const shot = await photograph(p.raw, PAGE_WIDTH, PAGE_HEIGHT, camera);
    pages.push(shot.jpeg);
    photo.push(shot.params);
  }
  return { id, style, pages, truth, text: flat.map((p) => p.text), fullText, photo };
}

function roster(m: Meeting, rng: Rng): string[] {
  const superiors = new Set(m.superiorAttendees);
  const named = [m.chair, m.secretary, ...m.attendance.absentees.map((a) => a.name), ...m.opinions.map((o) => o.speaker)].filter(
    (n): n is string => n !== null && !superiors.has(n),
  );
  const members = [...new Set(named)];
  const book = new NameBook(rng);
  for (const n of [...members, ...superiors]) book.reserve(n);
  const size = Math.max(members.length, m.attendance.total ?? members.length + 10);
  while (members.length < size) members.push(book.next());
  // the order of a member list says nothing about who spoke
  return members.sort((a, b) => a.localeCompare(b, "vi"));
}

export interface CorpusOptions {
  /** styles to alternate; default both */
  styles?: readonly Style[];
  /** defect sets to cycle through; default: compliant, then each single defect, then a few pairs */
  cases?: readonly (readonly DefectCode[])[];
  skipImages?: boolean;
}

/** The default mix: compliant minutes twice as often as any one defect, plus some realistic pairs. */
export const DEFAULT_CASES: readonly (readonly DefectCode[])[] = [
  [],
  ...DEFECT_CODES.map((d) => [d]),
  [],
  ["MISSING_SECRETARY_SIGNATURE", "ATTENDANCE_BELOW_THRESHOLD", "DURATION_TOO_SHORT"],
  ["MISSING_OPINIONS", "MISSING_VOTE_RESULT"],
  ["ABSENT_WITHOUT_REASON", "MISSING_CHAIR_SIGNATURE"],
  ["MISSING_START_TIME", "MISSING_END_TIME"],
];

/**
 * n meetings for evaluation: every case appears once in each style before any repeats (meeting i
 * has case ⌊i / styles⌋ mod cases and style i mod styles). Yields one at a time, so a caller can
 * extract and score each meeting without holding the whole corpus in memory.
 */
export async function* generateCorpus(seed: number | string, n: number, options: CorpusOptions = {}): AsyncGenerator<GeneratedMeeting> {
  const styles = options.styles ?? (["typed", "handwritten"] as const);
  const cases = options.cases ?? DEFAULT_CASES;
  if (styles.length === 0 || cases.length === 0) throw new RangeError("generateCorpus needs at least one style and one case");
  for (let i = 0; i < n; i++) {
    const style = styles[i % styles.length] ?? "typed";
    const defects = cases[Math.floor(i / styles.length) % cases.length] ?? [];
    yield generateMeeting(`${String(seed)}.${i}`, { style, defects, skipImages: options.skipImages });
  }
}
