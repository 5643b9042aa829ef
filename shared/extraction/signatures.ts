/**
 * Is there a signature above the chair's and the minute-taker's names?
 *
 * The parser finds the role headings ("CHỦ TRÌ", "THƯ KÝ") and the names below them
 * (parser/signature-block.ts); here we look at the pixels in between. Ink there, after removing
 * what is not a signature (printed/OCR'd words, the rules of lined paper, specks), is a signature.
 * A Textract SIGNATURE region over the same place is strong evidence of its own.
 *
 * Three answers, never a guess: present (true), absent (false), or null when the region is
 * missing, cut off by the photo, too dark to read, or the ink is neither clearly there nor clearly
 * not. Confidence grows with the distance from the decision thresholds.
 */
import { preparedGray } from "./preprocess.ts";
import type { PreparedPage } from "./engine.ts";
import type { Box, OcrPage } from "./ocr-page.ts";

export interface SignatureAnchor {
  pageNumber: number;
  heading: Box;
  name?: Box;
}

export interface SignatureDecision {
  present: boolean | null;
  confidence: number;
  box?: Box;
}

interface PageInput {
  prepared: PreparedPage;
  ocr: OcrPage;
}

/** Ink covering at least this share of the region, spread over enough width, is a signature. */
const PRESENT_DENSITY = 0.005;
const PRESENT_MIN_EXTENT = 0.12;
/** At most this share, with no sizeable stroke, is a blank space. Between the two: unknown. */
const ABSENT_DENSITY = 0.0012;
const ABSENT_MAX_EXTENT = 0.06;
/** More ink than this is not a signature but a dark, noisy or text-filled region: unreadable. */
const UNREADABLE_DENSITY = 0.3;
/** A region cut off by the edge of the photo beyond this share cannot be judged. */
const MIN_VISIBLE_SHARE = 0.6;
/** Words the OCR read with at least this confidence are printed/written text, not signature. */
const TEXT_WORD_CONFIDENCE = 0.6;

/**
 * What a word of text has and a scribble read as marks has not: two letters or more and no figure
 * among them ("Nguyễn", "(ký"), or figures alone ("15/11/2026"). Letters and figures jumbled
 * together ("4V", "L1") are what OCR makes of a signature's strokes.
 */
function hasWordCharacters(text: string): boolean {
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  const figures = (text.match(/\p{N}/gu) ?? []).length;
  return figures === 0 ? letters >= 2 : letters === 0 && figures >= 2;
}

export async function detectSignatures(
  pages: readonly PageInput[],
  anchors: { chair?: SignatureAnchor; secretary?: SignatureAnchor },
): Promise<{ chair: SignatureDecision; secretary: SignatureDecision }> {
  const grayCache = new Map<number, Promise<Gray>>();
  const grayOf = (page: PageInput): Promise<Gray> => {
    const cached = grayCache.get(page.prepared.pageNumber);
    if (cached) return cached;
    const decoded = preparedGray(page.prepared);
    grayCache.set(page.prepared.pageNumber, decoded);
    return decoded;
  };
  const decide = async (anchor: SignatureAnchor | undefined): Promise<SignatureDecision> => {
    if (anchor === undefined) return UNKNOWN;
    const page = pages.find((p) => p.prepared.pageNumber === anchor.pageNumber);
    if (page === undefined) return UNKNOWN;
    return decideOne(page, await grayOf(page), anchor);
  };
  const [chair, secretary] = await Promise.all([decide(anchors.chair), decide(anchors.secretary)]);
  return { chair, secretary };
}

const UNKNOWN: SignatureDecision = { present: null, confidence: 0 };

/**
 * Without the page's pixels (Textract's asynchronous analysis of a PDF): a Textract SIGNATURE
 * region where the signature belongs says present; no region says nothing — Textract does not
 * return every handwritten mark as a signature (the recorded fixture shows one of two), so its
 * silence is "unknown" (to review), never "absent".
 */
export function signaturesFromRegions(
  pages: readonly OcrPage[],
  anchors: { chair?: SignatureAnchor; secretary?: SignatureAnchor },
): { chair: SignatureDecision; secretary: SignatureDecision } {
  const decide = (anchor: SignatureAnchor | undefined): SignatureDecision => {
    const page = anchor && pages.find((p) => p.pageNumber === anchor.pageNumber);
    const region = anchor && clip(signatureRegion(anchor));
    if (!page || !region) return UNKNOWN;
    const hit = page.signatures
      .filter((s) => intersectionArea(s.box, region) / Math.max(1e-9, s.box.width * s.box.height) >= 0.3)
      .sort((a, b) => b.confidence - a.confidence)[0];
    return hit ? { present: true, confidence: round2(0.5 + 0.5 * hit.confidence), box: hit.box } : UNKNOWN;
  };
  return { chair: decide(anchors.chair), secretary: decide(anchors.secretary) };
}

type Gray = Awaited<ReturnType<typeof preparedGray>>;

/** Where a signature under this heading would be, in page fractions, before clipping to the page. */
export function signatureRegion(anchor: SignatureAnchor): Box {
  const { heading, name } = anchor;
  const centre = heading.left + heading.width / 2;
  // Signatures run wider than a short heading like "THƯ KÝ"; ±12 % of the page at least.
  const halfWidth = Math.max(heading.width * 1.3, 0.12);
  const top = heading.top + heading.height * 1.2;
  const bottom =
    name !== undefined && name.top > top + heading.height ? name.top - name.height * 0.15 : top + Math.max(heading.height * 6, 0.09);
  return { left: centre - halfWidth, top, width: halfWidth * 2, height: bottom - top };
}

function decideOne(page: PageInput, gray: Gray, anchor: SignatureAnchor): SignatureDecision {
  const region = signatureRegion(anchor);
  const clipped = clip(region);
  if (clipped === undefined) return UNKNOWN;
  const visible = (clipped.width * clipped.height) / (region.width * region.height);

  const textract = page.ocr.signatures
    .filter((s) => s.source === "textract")
    .map((s) => ({ s, overlap: intersectionArea(s.box, clipped) / Math.max(1e-9, s.box.width * s.box.height) }))
    .filter((x) => x.overlap >= 0.3)
    .sort((a, b) => b.s.confidence - a.s.confidence)[0]?.s;

  const ink = measureInk(gray, clipped, page.ocr);
  const inkDecision: SignatureDecision =
    visible < MIN_VISIBLE_SHARE || ink === undefined ? UNKNOWN : classify(ink, clipped);

  if (textract !== undefined) {
    // Textract's detector saw a signature here. It agrees with the ink → the stronger of the two;
    // the ink says blank or cannot tell → still present, but with less confidence (to review).
    const confidence =
      inkDecision.present === true
        ? Math.max(inkDecision.confidence, 0.5 + 0.5 * textract.confidence)
        : 0.45 + 0.4 * textract.confidence;
    return { present: true, confidence: round2(confidence), box: textract.box };
  }
  return inkDecision;
}

interface Ink {
  density: number;
  /** width and height of the union of the kept strokes, as shares of the region */
  extentW: number;
  extentH: number;
  box?: Box;
  meanLevel: number;
}

function classify(ink: Ink, region: Box): SignatureDecision {
  if (ink.meanLevel < 90 || ink.density > UNREADABLE_DENSITY) return UNKNOWN;
  if (ink.density >= PRESENT_DENSITY && ink.extentW >= PRESENT_MIN_EXTENT) {
    const margin = Math.min(1, (ink.density - PRESENT_DENSITY) / (2 * PRESENT_DENSITY));
    const spread = Math.min(1, (ink.extentW - PRESENT_MIN_EXTENT) / 0.2);
    return {
      present: true,
      confidence: round2(0.6 + 0.2 * margin + 0.17 * spread),
      ...(ink.box ? { box: ink.box } : {}),
    };
  }
  if (ink.density <= ABSENT_DENSITY && ink.extentW <= ABSENT_MAX_EXTENT) {
    const margin = 1 - ink.density / ABSENT_DENSITY;
    return { present: false, confidence: round2(0.6 + 0.35 * margin), box: region };
  }
  // some ink, but neither clearly a signature nor clearly nothing: a person should look
  return { present: null, confidence: 0.3 };
}

/**
 * Binarises the region (local-mean threshold, robust to leftover shading), removes pixels of OCR
 * words, long horizontal/vertical runs (rules, page edges) and specks, and measures what is left.
 */
function measureInk(gray: Gray, region: Box, ocr: OcrPage): Ink | undefined {
  const x0 = Math.floor(region.left * gray.width);
  const y0 = Math.floor(region.top * gray.height);
  const w = Math.min(gray.width - x0, Math.ceil(region.width * gray.width));
  const h = Math.min(gray.height - y0, Math.ceil(region.height * gray.height));
  if (w < 20 || h < 10) return undefined;

  // integral image of the region for local means
  const integral = new Float64Array((w + 1) * (h + 1));
  let total = 0;
  for (let y = 0; y < h; y++) {
    let rowSum = 0;
    for (let x = 0; x < w; x++) {
      const v = gray.data[(y0 + y) * gray.width + x0 + x] ?? 255;
      rowSum += v;
      total += v;
      integral[(y + 1) * (w + 1) + x + 1] = (integral[y * (w + 1) + x + 1] ?? 0) + rowSum;
    }
  }
  const meanLevel = total / (w * h);
  const r = Math.max(8, Math.round(Math.min(w, h) / 6));
  const ink = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const ya = Math.max(0, y - r);
    const yb = Math.min(h, y + r + 1);
    for (let x = 0; x < w; x++) {
      const xa = Math.max(0, x - r);
      const xb = Math.min(w, x + r + 1);
      const sum =
        (integral[yb * (w + 1) + xb] ?? 0) -
        (integral[ya * (w + 1) + xb] ?? 0) -
        (integral[yb * (w + 1) + xa] ?? 0) +
        (integral[ya * (w + 1) + xa] ?? 0);
      const localMean = sum / ((yb - ya) * (xb - xa));
      const v = gray.data[(y0 + y) * gray.width + x0 + x] ?? 255;
      // darker than its surroundings by 20 % and dark in absolute terms: pen, not paper grain
      if (v < localMean * 0.8 && v < 170) ink[y * w + x] = 1;
    }
  }

  // printed or written words the OCR read confidently are text, not a signature; a scribble the
  // OCR turned into a poorly read line of "words" (some of which it may be sure of), or into
  // marks with no letter or figure in them ("~>>~-") or a jumble of both ("4V"), is not text
  for (const line of ocr.lines) {
    if (line.confidence < TEXT_WORD_CONFIDENCE) continue;
    for (const word of line.words) {
      if (word.confidence < TEXT_WORD_CONFIDENCE || !hasWordCharacters(word.text)) continue;
      const pad = word.box.height * 0.15;
      const wx0 = Math.max(0, Math.floor((word.box.left - pad) * gray.width) - x0);
      const wy0 = Math.max(0, Math.floor((word.box.top - pad) * gray.height) - y0);
      const wx1 = Math.min(w, Math.ceil((word.box.left + word.box.width + pad) * gray.width) - x0);
      const wy1 = Math.min(h, Math.ceil((word.box.top + word.box.height + pad) * gray.height) - y0);
      for (let y = wy0; y < wy1; y++) ink.fill(0, y * w + wx0, y * w + Math.max(wx0, wx1));
    }
  }

  clearLongRuns(ink, w, h, Math.max(40, Math.round(w * 0.3)), Math.max(30, Math.round(h * 0.7)));

  // connected components (8-neighbour); specks below minArea are noise or dust
  const scale = Math.max(gray.width, gray.height) / 2400;
  const minArea = Math.max(6, Math.round(16 * scale * scale));
  const seen = new Uint8Array(w * h);
  const stack: number[] = [];
  let kept = 0;
  let bx0 = w;
  let by0 = h;
  let bx1 = -1;
  let by1 = -1;
  for (let start = 0; start < ink.length; start++) {
    if (ink[start] !== 1 || seen[start] === 1) continue;
    let area = 0;
    let cx0 = w;
    let cy0 = h;
    let cx1 = -1;
    let cy1 = -1;
    stack.push(start);
    seen[start] = 1;
    while (stack.length > 0) {
      const p = stack.pop() ?? 0;
      const px = p % w;
      const py = (p - px) / w;
      area++;
      cx0 = Math.min(cx0, px);
      cx1 = Math.max(cx1, px);
      cy0 = Math.min(cy0, py);
      cy1 = Math.max(cy1, py);
      for (let dy = -1; dy <= 1; dy++) {
        const ny = py + dy;
        if (ny < 0 || ny >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = px + dx;
          if (nx < 0 || nx >= w) continue;
          const q = ny * w + nx;
          if (ink[q] === 1 && seen[q] !== 1) {
            seen[q] = 1;
            stack.push(q);
          }
        }
      }
    }
    if (area < minArea) continue;
    kept += area;
    bx0 = Math.min(bx0, cx0);
    by0 = Math.min(by0, cy0);
    bx1 = Math.max(bx1, cx1);
    by1 = Math.max(by1, cy1);
  }
  const hasInk = bx1 >= 0;
  return {
    density: kept / (w * h),
    extentW: hasInk ? (bx1 - bx0 + 1) / w : 0,
    extentH: hasInk ? (by1 - by0 + 1) / h : 0,
    meanLevel,
    ...(hasInk
      ? {
          box: {
            left: (x0 + bx0) / gray.width,
            top: (y0 + by0) / gray.height,
            width: (bx1 - bx0 + 1) / gray.width,
            height: (by1 - by0 + 1) / gray.height,
          },
        }
      : {}),
  };
}

/** Clears runs of ink longer than a signature stroke: ruled lines, margin rules, page edges. */
function clearLongRuns(ink: Uint8Array, w: number, h: number, minRunX: number, minRunY: number): void {
  const horizontal = new Uint8Array(ink.length);
  for (let y = 0; y < h; y++) {
    let start = -1;
    for (let x = 0; x <= w; x++) {
      const on = x < w && ink[y * w + x] === 1;
      if (on && start < 0) start = x;
      if (!on && start >= 0) {
        if (x - start >= minRunX) horizontal.fill(1, y * w + start, y * w + x);
        start = -1;
      }
    }
  }
  const vertical = new Uint8Array(ink.length);
  for (let x = 0; x < w; x++) {
    let start = -1;
    for (let y = 0; y <= h; y++) {
      const on = y < h && ink[y * w + x] === 1;
      if (on && start < 0) start = y;
      if (!on && start >= 0) {
        if (y - start >= minRunY) for (let k = start; k < y; k++) vertical[k * w + x] = 1;
        start = -1;
      }
    }
  }
  for (let i = 0; i < ink.length; i++) if (horizontal[i] === 1 || vertical[i] === 1) ink[i] = 0;
}

function clip(box: Box): Box | undefined {
  const left = Math.max(0, box.left);
  const top = Math.max(0, box.top);
  const right = Math.min(1, box.left + box.width);
  const bottom = Math.min(1, box.top + box.height);
  if (right <= left || bottom <= top) return undefined;
  return { left, top, width: right - left, height: bottom - top };
}

function intersectionArea(a: Box, b: Box): number {
  const w = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  const h = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  return w > 0 && h > 0 ? w * h : 0;
}

const round2 = (v: number): number => Math.round(Math.min(1, Math.max(0, v)) * 100) / 100;
