/**
 * What the parser is sure of: a confidence per dotted field path, and the fields a person must look
 * at. A field with no label in the minutes gets neither (it is absent, not unreadable).
 */

/** Below this a value is listed for human review. */
export const REVIEW_THRESHOLD = 0.6;
/** Confidence recorded for a label whose value could not be read at all. */
export const UNREADABLE_CONFIDENCE = 0.1;

/** Parser certainty factors, multiplied with the OCR confidence of the characters read. */
export const CERTAINTY = {
  /** a count repaired from OCR look-alikes ("l6" → 16) */
  repairedDigits: 0.8,
  /** a count written in words: reliable when read, but words are easier to misread */
  numberWords: 0.95,
  /** figures that contradict each other (official + probationary ≠ total) */
  inconsistent: 0.55,
  /** a value derived from other figures, not written as such */
  derived: 0.8,
  /** a value taken without its usual label (fallback patterns) */
  unlabelled: 0.75,
  /** a person's name that has fewer than two words and no member to restore it */
  partialName: 0.5,
  /** a name matched to the member list after correcting OCR */
  restoredName: 0.9,
} as const;

/** Fields whose absence raises a criterion flag: they must never be "absent" by mistake. */
export const REQUIRED_FIELDS = [
  "meetingDate",
  "startTime",
  "endTime",
  "chair",
  "secretary",
  "attendance.total",
  "attendance.present",
  "opinions",
  "votes",
] as const;

/**
 * The other fields the minutes write: on a poorly read document they are not known to be absent
 * either, and a person is asked about them too (no flag hangs on them, but an inspector must not
 * read "not written" where the OCR could not tell).
 */
export const OTHER_FIELDS = [
  "partyCommittee",
  "cellName",
  "kind",
  "location",
  "attendance.exempt",
  "attendance.absentExcused",
  "attendance.absentUnexcused",
  "superiorAttendees",
  "minutesApproved",
] as const;

export class Findings {
  readonly confidence: Record<string, number> = {};
  private readonly reviewSet = new Set<string>();

  /** A value was read with this confidence. */
  read(path: string, confidence: number): void {
    const c = round(confidence);
    this.confidence[path] = c;
    if (c < REVIEW_THRESHOLD) this.reviewSet.add(path);
    else this.reviewSet.delete(path);
  }

  /** The label is there but the value is not readable. */
  unreadable(path: string): void {
    this.confidence[path] = UNREADABLE_CONFIDENCE;
    this.reviewSet.add(path);
  }

  /**
   * A label was found but no value after it. On a well-read line the value is not written (absent:
   * no confidence, not in review); on a poorly read one it is a question for a person.
   */
  labelWithoutValue(path: string, readable: boolean): void {
    if (!readable) this.unreadable(path);
  }

  has(path: string): boolean {
    return path in this.confidence;
  }

  get review(): string[] {
    return [...this.reviewSet].sort();
  }
}

function round(n: number): number {
  if (!Number.isFinite(n)) return 0;
  return Math.round(Math.min(1, Math.max(0, n)) * 100) / 100;
}
