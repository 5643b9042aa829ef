/**
 * Signatures in the cloud path: two witnesses. Textract's SIGNATURE detector, looked for between
 * each role heading ("CHU TRI" / "THU KY", found by the parser's diacritic-insensitive
 * findSignatureBlock) and the name below it; and the vision reader, which sees the ink itself.
 * Both agree → decided with high confidence. They disagree → null and review: a missing signature
 * is an error flag on the cell, and neither witness alone is reliable enough to raise it.
 *
 * Pixels are not looked at here (no sharp): the local ink detector (../signatures.ts) is for
 * Tesseract, which has no signature detector of its own.
 */
import type { Box, OcrPage } from "../ocr-page.ts";
import { findSignatureBlock, type SignatureSlot } from "../parser/index.ts";

export type Role = "chair" | "secretary";

export interface SignatureVerdict {
  present: boolean | null;
  confidence: number;
  /** who decided: both witnesses, one of them, or nobody (disagreement or nothing seen) */
  basis: "agree" | "disagree" | "textract-only" | "reader-only" | "none";
}

type TextractView = { seen: "present"; confidence: number } | { seen: "absent" } | { seen: "unknown" };

/** A Textract SIGNATURE block overlapping the region by this share of its own area is in it. */
const MIN_OVERLAP = 0.3;

export function decideSignatures(
  pages: readonly OcrPage[],
  reader: { chair: boolean | null; secretary: boolean | null } | undefined,
): Record<Role, SignatureVerdict> {
  const block = findSignatureBlock(pages);
  const decide = (role: Role): SignatureVerdict => combine(textractView(pages, block[role]), reader?.[role] ?? null);
  return { chair: decide("chair"), secretary: decide("secretary") };
}

function textractView(pages: readonly OcrPage[], slot: SignatureSlot | undefined): TextractView {
  if (slot === undefined) return { seen: "unknown" };
  const page = pages.find((p) => p.pageNumber === slot.pageNumber);
  if (page === undefined) return { seen: "unknown" };
  const region = signatureArea(slot);
  const hits = page.signatures.filter(
    (s) => s.source === "textract" && intersection(s.box, region) / Math.max(1e-9, s.box.width * s.box.height) >= MIN_OVERLAP,
  );
  if (hits.length === 0) return { seen: "absent" };
  return { seen: "present", confidence: Math.max(...hits.map((s) => s.confidence)) };
}

function combine(textract: TextractView, reader: boolean | null): SignatureVerdict {
  if (textract.seen === "present") {
    if (reader === true) return { present: true, confidence: round2(0.7 + 0.28 * textract.confidence), basis: "agree" };
    if (reader === false) return { present: null, confidence: 0.3, basis: "disagree" };
    return { present: true, confidence: 0.5, basis: "textract-only" };
  }
  if (textract.seen === "absent") {
    // Textract found the heading and nothing under it.
    if (reader === false) return { present: false, confidence: 0.88, basis: "agree" };
    if (reader === true) return { present: null, confidence: 0.3, basis: "disagree" };
    return { present: false, confidence: 0.45, basis: "textract-only" };
  }
  if (reader !== null) return { present: reader, confidence: 0.5, basis: "reader-only" };
  return { present: null, confidence: 0, basis: "none" };
}

/**
 * Where a signature under this heading would be, as fractions of the page: centred on the heading,
 * wider than a short heading, from just below it down to the name (or a band of a few heading
 * heights when the name was not found).
 */
export function signatureArea(slot: SignatureSlot): Box {
  const { heading, name } = slot;
  const centre = heading.left + heading.width / 2;
  const halfWidth = Math.max(heading.width * 1.3, 0.12);
  const top = heading.top + heading.height;
  const bottom =
    name !== undefined && name.top > top + heading.height ? name.top + name.height * 0.25 : top + Math.max(heading.height * 8, 0.12);
  return { left: centre - halfWidth, top, width: halfWidth * 2, height: bottom - top };
}

function intersection(a: Box, b: Box): number {
  const w = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  const h = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  return w > 0 && h > 0 ? w * h : 0;
}

const round2 = (v: number): number => Math.round(Math.min(1, Math.max(0, v)) * 100) / 100;
