/**
 * Reading a meeting by dotted field path, with the fields under review masked as unknown.
 *
 * Review paths come from the extraction document (`review.fields`) and may name a whole object
 * ("attendance"), a leaf ("attendance.present"), or an element of a list, written "votes.0.agree"
 * or "votes[0].agree"; a path without index ("votes.agree") stands for that field of every element.
 */
import type { Meeting } from "../meeting/schema.ts";

/** "votes[0].agree" → ["votes", "0", "agree"] */
export function splitPath(path: string): string[] {
  return path
    .trim()
    .replace(/\[(\d*)\]/g, ".$1")
    .split(".")
    .filter((s) => s.length > 0);
}

const isIndex = (segment: string) => /^\d+$/.test(segment);

function isPrefix(prefix: readonly string[], of: readonly string[]): boolean {
  return prefix.length <= of.length && prefix.every((s, i) => of[i] === s);
}

export class ReviewSet {
  private readonly paths: string[][];

  constructor(review: readonly string[] = []) {
    this.paths = review.map(splitPath).filter((p) => p.length > 0);
  }

  /**
   * True when the field at `path` is itself under review, inside a reviewed parent, or has a
   * reviewed part (a child): in all three cases a decision resting on it would rest on something
   * unread. Element indices in either path match any index when the other path has none.
   */
  touches(path: string): boolean {
    const target = splitPath(path);
    const targetNoIdx = target.filter((s) => !isIndex(s));
    return this.paths.some((reviewed) => {
      const reviewedNoIdx = reviewed.filter((s) => !isIndex(s));
      return (
        isPrefix(reviewed, target) ||
        isPrefix(target, reviewed) ||
        isPrefix(reviewedNoIdx, targetNoIdx) ||
        isPrefix(targetNoIdx, reviewedNoIdx)
      );
    });
  }

  /** True when the leaf at `path` is unreadable: it or a parent (not a child) is under review. */
  masks(path: string): boolean {
    const target = splitPath(path);
    const targetNoIdx = target.filter((s) => !isIndex(s));
    return this.paths.some((reviewed) => {
      if (isPrefix(reviewed, target)) return true;
      // a reviewed path without indices ("votes.agree") masks that field of every element
      return !reviewed.some(isIndex) && isPrefix(reviewed, targetNoIdx);
    });
  }
}

/** The raw value at a dotted path, or undefined when the path leads nowhere. */
export function getPath(root: unknown, path: string): unknown {
  let node = root;
  for (const segment of splitPath(path)) {
    if (node === null || typeof node !== "object") return undefined;
    node = Reflect.get(node, segment);
  }
  return node;
}

/** What checks read the meeting through: reviewed values come back as null (unknown). */
export class MeetingReader {
  constructor(
    readonly meeting: Meeting,
    readonly review: ReviewSet,
  ) {}

  /** A count or other number; null when unknown, masked or not a finite number. */
  number(path: string): number | null {
    if (this.review.masks(path)) return null;
    const v = getPath(this.meeting, path);
    return typeof v === "number" && Number.isFinite(v) ? v : null;
  }

  string(path: string): string | null {
    if (this.review.masks(path)) return null;
    const v = getPath(this.meeting, path);
    return typeof v === "string" ? v : null;
  }

  /** Any value (masked → null). */
  value(path: string): unknown {
    if (this.review.masks(path)) return null;
    const v = getPath(this.meeting, path);
    return v === undefined ? null : v;
  }

  /** The elements of a list field, each with its own path for masking its fields; null when masked. */
  items(path: string): { path: string; item: unknown }[] | null {
    if (this.review.masks(path)) return null;
    const v = getPath(this.meeting, path);
    if (!Array.isArray(v)) return null;
    return v.map((item: unknown, i) => ({ path: `${path}.${i}`, item }));
  }
}
