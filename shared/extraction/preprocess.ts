/**
 * Page image preprocessing: the one place that decodes untrusted image bytes.
 *
 * upload → refuse what is not an image or too large (headers only) → EXIF orientation → grayscale
 * (reduced if larger than needed) → even illumination → contrast stretch → skew measured → one
 * affine pass that turns the page straight and enlarges it to where Tesseract reads it well → PGM.
 *
 * Every failure becomes an InvalidInputError with a stable code; a raw sharp/libvips error never
 * leaves this module (its message can carry paths and internals).
 */
import type SharpType from "sharp";
import { loadSharp } from "./sharp.ts";
import type { PreparedPage } from "./engine.ts";
import { InvalidInputError } from "../errors.ts";

/**
 * Largest image we decode. 40 MP covers every phone camera in use in 2025 at full resolution
 * (48/50-MP sensors bin to 12 MP by default) while keeping one decoded grayscale page under ~40 MB
 * and a colour one under ~160 MB — a Lambda with 1–2 GB must decode a few pages at once.
 */
export const MAX_INPUT_PIXELS = 40_000_000;

/**
 * Long side of the prepared page. An A4 page photographed edge to edge at 2150 px is ~185 dpi over
 * its 297 mm height: handwritten x-heights of 2–3 mm land at 15–22 px, inside the range where
 * Tesseract's LSTM reads well (it was trained on ~20–30 px text lines). Measured with npm run eval
 * (n 40, seed 7; n 24, seed 2026): 2150 reads as well as 2400 (typed 98.6 / 99.6 % against
 * 98.6 / 99.2 %, handwriting-like 52.9 / 54.0 % against 50.2 / 55.2 %) and Tesseract reads it
 * ~8 % faster; 1950 (no enlargement of the corpus's photos) made more wrong flags on handwriting.
 */
export const DEFAULT_TARGET_LONG_SIDE = 2150;

/** Small images are enlarged at most this much: interpolation cannot invent detail. */
const MAX_UPSCALE = 2;

/** Skew search range and resolution, degrees. Photos of a book held by hand rarely exceed ±5°. */
const SKEW_RANGE = 5;
const SKEW_COARSE_STEP = 0.25;
const SKEW_FINE_STEP = 0.05;
/** Below this the resampling blur costs more than the skew itself. */
const SKEW_MIN_CORRECTION = 0.15;
/** Long side of the downscaled image the skew is estimated on: cheap, still resolves lines. */
const SKEW_ANALYSIS_LONG_SIDE = 1000;
/** Ink pixels projected at most: a page's text lines are found with far fewer than it has. */
const SKEW_MAX_POINTS = 40_000;

export type ImageType = "jpeg" | "png" | "webp" | "tiff" | "heic" | "avif" | "gif" | "pdf";

/** The container format from its magic bytes, or null when unknown. Never trusts a file name. */
export function sniffImageType(buf: Uint8Array): ImageType | null {
  const at = (offset: number, bytes: readonly number[]): boolean =>
    buf.length >= offset + bytes.length && bytes.every((b, i) => buf[offset + i] === b);
  const ascii = (offset: number, text: string): boolean =>
    at(
      offset,
      [...text].map((c) => c.charCodeAt(0)),
    );
  if (at(0, [0xff, 0xd8, 0xff])) return "jpeg";
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (ascii(0, "RIFF") && ascii(8, "WEBP")) return "webp";
  if (at(0, [0x49, 0x49, 0x2a, 0x00]) || at(0, [0x4d, 0x4d, 0x00, 0x2a])) return "tiff";
  if (ascii(0, "GIF87a") || ascii(0, "GIF89a")) return "gif";
  if (ascii(0, "%PDF-")) return "pdf";
  if (ascii(4, "ftyp")) {
    const brand = String.fromCharCode(...buf.subarray(8, 12));
    if (brand === "avif" || brand === "avis") return "avif";
    if (["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"].includes(brand)) return "heic";
  }
  return null;
}

const notAnImage = (cause?: unknown): InvalidInputError =>
  new InvalidInputError(
    "NOT_AN_IMAGE",
    "Tệp tải lên không phải là ảnh đọc được (JPEG, PNG, WebP, TIFF) hoặc đã bị hỏng.",
    "The uploaded file is not a readable image (JPEG, PNG, WebP, TIFF) or is damaged.",
    415,
    { cause },
  );

const tooLarge = (maxPixels: number, cause?: unknown): InvalidInputError =>
  new InvalidInputError(
    "IMAGE_TOO_LARGE",
    `Ảnh quá lớn (tối đa ${Math.round(maxPixels / 1e6)} megapixel). Hãy chụp lại với độ phân giải thấp hơn.`,
    `The image is too large (at most ${Math.round(maxPixels / 1e6)} megapixels). Please retake it at a lower resolution.`,
    413,
    { cause },
  );

const unsupported = (type: string): InvalidInputError =>
  new InvalidInputError(
    "UNSUPPORTED_IMAGE_FORMAT",
    `Định dạng ảnh ${type.toUpperCase()} chưa được hỗ trợ; hãy gửi JPEG hoặc PNG.`,
    `The ${type.toUpperCase()} image format is not supported here; please send JPEG or PNG.`,
    415,
  );

/** libvips' own words for its pixel limit; everything else it throws means "cannot decode". */
function mapSharpError(err: unknown, maxPixels: number): InvalidInputError {
  const message = err instanceof Error ? err.message : "";
  return /pixel limit/i.test(message) ? tooLarge(maxPixels, err) : notAnImage(err);
}

export interface PreprocessOptions {
  maxPixels?: number;
  targetLongSide?: number;
  /** what inspectImage already found of this input (with the same maxPixels): not read again */
  inspected?: ImageInfo;
}

export interface ImageInfo {
  type: ImageType;
  width: number;
  height: number;
  orientation: number | undefined;
}

/**
 * What can be known of an upload without decoding a pixel: is it an image we read, and is it
 * within the pixel limit. Header only: a decompression bomb (a few KB declaring 50 000 × 50 000)
 * costs nothing. Cheap enough to run on every page of a meeting before any is read.
 */
export async function inspectImage(input: Buffer, options: { maxPixels?: number } = {}): Promise<ImageInfo> {
  const sharp = await loadSharp();
  const maxPixels = options.maxPixels ?? MAX_INPUT_PIXELS;
  const type = sniffImageType(input);
  if (type === null || type === "pdf") throw notAnImage();
  if (type === "heic" && !sharpDecodesHeic(sharp)) throw unsupported("heic");
  let width: number;
  let height: number;
  let orientation: number | undefined;
  try {
    const meta = await sharp(input, { limitInputPixels: false }).metadata();
    if (!meta.width || !meta.height) throw notAnImage();
    ({ width, height, orientation } = meta);
  } catch (err) {
    if (err instanceof InvalidInputError) throw err;
    throw mapSharpError(err, maxPixels);
  }
  if (width * height > maxPixels) throw tooLarge(maxPixels);
  return { type, width, height, orientation };
}

export async function preprocess(
  input: Buffer,
  pageNumber: number,
  options: PreprocessOptions = {},
): Promise<PreparedPage> {
  const sharp = await loadSharp();
  const maxPixels = options.maxPixels ?? MAX_INPUT_PIXELS;
  const targetLongSide = options.targetLongSide ?? DEFAULT_TARGET_LONG_SIDE;

  const { width, height, orientation } = options.inspected ?? (await inspectImage(input, { maxPixels }));

  // EXIF orientations 5–8 swap the sides.
  const longSide = Math.max(width, height);
  const scale = Math.min(targetLongSide / longSide, MAX_UPSCALE);
  const uprightSize = orientation !== undefined && orientation >= 5 ? { w: height, h: width } : { w: width, h: height };
  const outW = Math.max(1, Math.round(uprightSize.w * scale));
  const outH = Math.max(1, Math.round(uprightSize.h * scale));

  // the limit goes to the decoder too, in case a header lies
  const decodeOptions = { limitInputPixels: maxPixels, failOn: "truncated", pages: 1, page: 0 } as const;
  // Decoded at the photo's own size (or reduced, for a photo larger than the target): the
  // illumination, the levels and the skew are all worked out there, on fewer pixels than the
  // enlarged page has, and enlargement and deskew are then one resampling pass instead of two.
  const downscale = scale < 1;
  const baseW = downscale ? outW : uprightSize.w;
  const baseH = downscale ? outH : uprightSize.h;
  let gray: Buffer;
  try {
    let pipeline = sharp(input, decodeOptions).rotate().greyscale(); // EXIF orientation first
    if (downscale) pipeline = pipeline.resize(outW, outH, { fit: "fill", kernel: "lanczos3" });
    gray = await pipeline.removeAlpha().toColourspace("b-w").raw({ depth: "uchar" }).toBuffer();
  } catch (err) {
    throw mapSharpError(err, maxPixels);
  }
  if (gray.length !== baseW * baseH) throw notAnImage();

  const histogram = new Uint32Array(256);
  const flat = await flattenIllumination(gray, baseW, baseH, histogram);
  const levels = stretchOf(histogram, flat.length);
  const skew = await estimateSkew(flat, baseW, baseH);
  const correction = Math.abs(skew) >= SKEW_MIN_CORRECTION ? skew : 0;

  let upright: Buffer = flat;
  let finalW = baseW;
  let finalH = baseH;
  const enlarge = downscale ? 1 : scale;
  if (correction === 0 && Math.abs(enlarge - 1) <= 0.005) {
    stretchLevels(flat);
  } else {
    // One affine pass enlarges and turns the page back: a page skewed clockwise by θ is turned by
    // −θ (with y pointing down, [[cos, −sin], [sin, cos]] turns clockwise for a positive angle).
    // Bilinear: at these factors it reads as well as bicubic and costs a fifth less.
    const a = (-correction * Math.PI) / 180;
    const cos = enlarge * Math.cos(a);
    const sin = enlarge * Math.sin(a);
    // The contrast stretch rides along in the same pass (libvips clips to 0–255 on output).
    const gain = levels ? 255 / (levels.hi - levels.lo) : 1;
    const turned = await sharp(flat, { raw: { width: baseW, height: baseH, channels: 1 } })
      .linear(gain, levels ? -levels.lo * gain : 0)
      .affine(
        [
          [cos, -sin],
          [sin, cos],
        ],
        { background: { r: 255, g: 255, b: 255 }, interpolator: sharp.interpolators.bilinear },
      )
      .toColourspace("b-w")
      .raw()
      .toBuffer({ resolveWithObject: true });
    upright = turned.data;
    finalW = turned.info.width;
    finalH = turned.info.height;
  }
  // Ruled lines are left in: measured on a rendered ruled page (text on the rules), Tesseract
  // reads it at 0.65 % character error with them and 0.52 % with removeRuledLines applied — not
  // worth cutting the bottom rows off every letter that touches a rule.

  return {
    pageNumber,
    // PGM, not PNG: Tesseract reads it as it is, and encoding 4–5 megapixels as PNG cost more
    // than a third of all we add to Tesseract's own time (measured with npm run bench).
    image: Buffer.concat([Buffer.from(`P5\n${finalW} ${finalH}\n255\n`, "latin1"), upright]),
    width: finalW,
    height: finalH,
    original: input,
    deskewDegrees: correction,
  };
}

/**
 * Contrast stretched in place so that the darkest 1 % of the pixels are black and the lightest 1 %
 * white (what sharp's normalise({ lower: 1, upper: 99 }) does, in one pass over a histogram).
 */
export function stretchLevels(gray: Uint8Array): void {
  const hist = new Uint32Array(256);
  for (let i = 0; i < gray.length; i++) hist[gray[i] ?? 0] = (hist[gray[i] ?? 0] ?? 0) + 1;
  const levels = stretchOf(hist, gray.length);
  if (!levels) return;
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = Math.min(255, Math.max(0, Math.round(((v - levels.lo) * 255) / (levels.hi - levels.lo))));
  for (let i = 0; i < gray.length; i++) gray[i] = lut[gray[i] ?? 0] ?? 0;
}

/** The levels that become black and white (1 % of the pixels beyond each), or null for a flat image. */
function stretchOf(hist: Uint32Array, count: number): { lo: number; hi: number } | null {
  const cut = count * 0.01;
  let lo = 0;
  for (let seen = 0; lo < 255 && seen + (hist[lo] ?? 0) <= cut; lo++) seen += hist[lo] ?? 0;
  let hi = 255;
  for (let seen = 0; hi > 0 && seen + (hist[hi] ?? 0) <= cut; hi--) seen += hist[hi] ?? 0;
  return hi > lo ? { lo, hi } : null;
}

/** The 8-bit gray pixels of a prepared page (PGM from preprocess, or any image sharp reads). */
export async function preparedGray(page: Pick<PreparedPage, "image">): Promise<{ data: Uint8Array; width: number; height: number }> {
  const pgm = parsePgm(page.image);
  if (pgm) return pgm;
  const sharp = await loadSharp();
  const { data, info } = await sharp(page.image).greyscale().toColourspace("b-w").raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The prepared page as PNG or JPEG, for services that take nothing else (Textract). */
export async function encodedForService(page: Pick<PreparedPage, "image">): Promise<Buffer> {
  const pgm = parsePgm(page.image);
  if (!pgm) return page.image;
  const sharp = await loadSharp();
  return sharp(pgm.data, { raw: { width: pgm.width, height: pgm.height, channels: 1 } }).toColourspace("b-w").png({ compressionLevel: 6 }).toBuffer();
}

/** Binary PGM ("P5 w h 255", one space or newline each, then w×h bytes) as written above. */
function parsePgm(buf: Buffer): { data: Uint8Array; width: number; height: number } | null {
  const head = /^P5\s(\d{1,6})\s(\d{1,6})\s255\s/.exec(buf.subarray(0, 32).toString("latin1"));
  if (!head) return null;
  const width = Number(head[1]);
  const height = Number(head[2]);
  const data = buf.subarray(head[0].length);
  return data.length === width * height ? { data, width, height } : null;
}

/** Cell size of the paper-brightness estimate: larger than a letter, smaller than a shadow. */
const ILLUMINATION_CELL = 24;

/**
 * Removes uneven lighting (the shadow of a hand or phone, a dim corner) by dividing each pixel by
 * an estimate of the bare paper's brightness around it. The estimate is the local maximum of a
 * coarse thumbnail (text is thinner than a cell, so the maximum is paper), smoothed and scaled
 * back up. Without it Tesseract's global binarisation turns shadowed paper into black blobs
 * (measured: character error 26–33 % → see psm-compare.ts) and the deskew sees no lines.
 */
export async function flattenIllumination(gray: Buffer, width: number, height: number, histogram?: Uint32Array): Promise<Buffer> {
  const sharp = await loadSharp();
  const sw = Math.max(3, Math.ceil(width / ILLUMINATION_CELL));
  const sh = Math.max(3, Math.ceil(height / ILLUMINATION_CELL));
  const small = await sharp(gray, { raw: { width, height, channels: 1 } })
    .resize(sw, sh, { fit: "fill", kernel: "cubic" })
    .toColourspace("b-w")
    .raw()
    .toBuffer();
  // 5×5 maximum: at one cell per 24 px this spans ~120 px, wider than any stroke or letter.
  const maxed = Buffer.alloc(sw * sh);
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < sw; x++) {
      let m = 0;
      for (let dy = -2; dy <= 2; dy++) {
        const yy = Math.min(sh - 1, Math.max(0, y + dy));
        for (let dx = -2; dx <= 2; dx++) {
          const xx = Math.min(sw - 1, Math.max(0, x + dx));
          m = Math.max(m, small[yy * sw + xx] ?? 0);
        }
      }
      maxed[y * sw + x] = m;
    }
  }
  const smooth = await sharp(maxed, { raw: { width: sw, height: sh, channels: 1 } }).blur(1.5).toColourspace("b-w").raw().toBuffer();
  // The paper's brightness at each pixel, interpolated bilinearly from the coarse grid, and the
  // pixel divided by it, in one pass: no full-size background image is made. Each grid row is
  // first widened to the page's width (as 255 / brightness), so a pixel costs one blend and one
  // multiplication.
  const axis = (n: number, cells: number) => {
    const lo = new Int32Array(n);
    const frac = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const f = Math.min(cells - 1, Math.max(0, ((i + 0.5) * cells) / n - 0.5));
      lo[i] = Math.min(cells - 2, Math.floor(f));
      frac[i] = f - (lo[i] ?? 0);
    }
    return { lo, frac };
  };
  const xs = axis(width, sw);
  const ys = axis(height, sh);
  const gain = Array.from({ length: sh }, (_, gy) => {
    const row = new Float32Array(width);
    for (let x = 0; x < width; x++) {
      const x0 = xs.lo[x] ?? 0;
      const fx = xs.frac[x] ?? 0;
      const bg = (smooth[gy * sw + x0] ?? 255) * (1 - fx) + (smooth[gy * sw + x0 + 1] ?? 255) * fx;
      row[x] = 255 / Math.max(16, bg);
    }
    return row;
  });
  const out = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = ys.lo[y] ?? 0;
    const fy = ys.frac[y] ?? 0;
    const g0 = gain[y0] as Float32Array;
    const g1 = gain[y0 + 1] as Float32Array;
    const base = y * width;
    for (let x = 0; x < width; x++) {
      const k0 = g0[x] as number;
      const v = (gray[base + x] as number) * (k0 + ((g1[x] as number) - k0) * fy) + 0.5;
      out[base + x] = v >= 255 ? 255 : v;
    }
  }
  if (histogram) for (let i = 0; i < out.length; i++) histogram[out[i] as number] = (histogram[out[i] as number] as number) + 1;
  return out;
}

/** Darker than this (on flattened paper ≈ 255) counts as part of a ruled line: rules are faint. */
const RULE_LEVEL = 215;

/**
 * Whitens the printed rules of a minute book (horizontal lines under the handwriting, the vertical
 * margin rule) in place: runs of dark pixels longer than any letter or signature stroke is wide.
 * For the signature detector, which must not count rules as ink (OCR reads fine with them).
 */
export function removeRuledLines(gray: Buffer | Uint8Array, width: number, height: number, level = RULE_LEVEL): void {
  const minRunX = Math.max(60, Math.round(width / 12));
  const minRunY = Math.max(60, Math.round(height / 8));
  const clearRuns = (count: number, length: number, index: (i: number, j: number) => number, minRun: number): void => {
    for (let i = 0; i < count; i++) {
      let start = -1;
      for (let j = 0; j <= length; j++) {
        const dark = j < length && (gray[index(i, j)] ?? 255) < level;
        if (dark && start < 0) start = j;
        if (!dark && start >= 0) {
          if (j - start >= minRun) for (let k = start; k < j; k++) gray[index(i, k)] = 255;
          start = -1;
        }
      }
    }
  };
  // Both directions are detected on the original before either is cleared, so a vertical rule
  // crossing a horizontal one is still found whole.
  const copy = Uint8Array.from(gray);
  const horizontal = (y: number, x: number): number => y * width + x;
  const vertical = (x: number, y: number): number => y * width + x;
  clearRuns(height, width, horizontal, minRunX);
  const afterH = Uint8Array.from(gray);
  gray.set(copy);
  clearRuns(width, height, vertical, minRunY);
  for (let i = 0; i < gray.length; i++) gray[i] = Math.max(gray[i] ?? 255, afterH[i] ?? 255);
}

/** The prebuilt libvips ships libheif with AV1 only (AVIF); Apple's HEVC-coded HEIC is absent. */
function sharpDecodesHeic(sharp: typeof SharpType): boolean {
  const heif = sharp.format.heif;
  return heif.input.buffer && (heif.input.fileSuffix ?? []).some((s) => s === ".heic");
}

/**
 * Skew angle of text lines in degrees, positive = lines run down to the right (clockwise).
 *
 * Projection profile: the ink pixels of a binarised thumbnail are projected onto the vertical axis
 * along candidate directions; when the direction matches the lines, ink piles up in few rows and
 * the sum of squared row counts peaks. Coarse search over ±5°, then a fine one around the best.
 */
export async function estimateSkew(gray: Buffer, width: number, height: number): Promise<number> {
  if (gray.length !== width * height) throw new Error(`estimateSkew: expected ${width * height} gray samples, got ${gray.length}`);
  const { data: small, width: w, height: h } = boxShrink(gray, width, height, Math.ceil(Math.max(width, height) / SKEW_ANALYSIS_LONG_SIDE));

  const threshold = otsuThreshold(small);
  let inkCount = 0;
  for (let i = 0; i < small.length; i++) if ((small[i] ?? 255) < threshold) inkCount++;
  const inkFraction = inkCount / (w * h);
  // A blank page or a mostly dark photo has no lines to align.
  if (inkFraction < 0.002 || inkFraction > 0.4) return 0;
  // Every k-th ink pixel: the peak of the projection does not move, the 52 projections cost less.
  const stride = Math.max(1, Math.ceil(inkCount / SKEW_MAX_POINTS));
  const xs = new Int32Array(Math.ceil(inkCount / stride));
  const ys = new Int32Array(xs.length);
  let seen = 0;
  let kept = 0;
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      if ((small[i] ?? 255) >= threshold) continue;
      if (seen++ % stride === 0 && kept < xs.length) {
        xs[kept] = x;
        ys[kept] = y;
        kept++;
      }
    }
  }

  const diag = Math.ceil(Math.hypot(w, h));
  const bins = new Float64Array(2 * diag + 1);
  const score = (deg: number): number => {
    const t = Math.tan((deg * Math.PI) / 180);
    bins.fill(0);
    for (let i = 0; i < kept; i++) {
      const k = Math.round((ys[i] ?? 0) - (xs[i] ?? 0) * t) + diag;
      bins[k] = (bins[k] ?? 0) + 1;
    }
    let s = 0;
    for (let k = 0; k < bins.length; k++) {
      const v = bins[k] ?? 0;
      s += v * v;
    }
    return s;
  };
  const best = (from: number, to: number, step: number): number => {
    let bestAngle = 0;
    let bestScore = -1;
    for (let a = from; a <= to + 1e-9; a += step) {
      const s = score(a);
      if (s > bestScore) {
        bestScore = s;
        bestAngle = a;
      }
    }
    return bestAngle;
  };
  const coarse = best(-SKEW_RANGE, SKEW_RANGE, SKEW_COARSE_STEP);
  const fine = best(coarse - SKEW_COARSE_STEP, coarse + SKEW_COARSE_STEP, SKEW_FINE_STEP);
  return Math.round(fine * 100) / 100;
}

/** Every k×k block averaged into one pixel (k = 1: the image itself). Cheaper than a resampler. */
function boxShrink(gray: Uint8Array, width: number, height: number, k: number): { data: Uint8Array; width: number; height: number } {
  if (k <= 1) return { data: gray, width, height };
  const w = Math.floor(width / k);
  const h = Math.floor(height / k);
  const sums = new Uint32Array(w);
  const out = new Uint8Array(w * h);
  const area = k * k;
  for (let y = 0; y < h; y++) {
    sums.fill(0);
    for (let dy = 0; dy < k; dy++) {
      const row = (y * k + dy) * width;
      for (let x = 0, i = row; x < w; x++) {
        let s = 0;
        for (let dx = 0; dx < k; dx++, i++) s += gray[i] as number;
        sums[x] = (sums[x] as number) + s;
      }
    }
    for (let x = 0; x < w; x++) out[y * w + x] = Math.round((sums[x] as number) / area);
  }
  return { data: out, width: w, height: h };
}

/** Otsu's threshold of 8-bit samples: the level that best separates ink from paper. */
export function otsuThreshold(samples: Uint8Array, from = 0, to = samples.length): number {
  const hist = new Float64Array(256);
  for (let i = from; i < to; i++) hist[samples[i] ?? 0] = (hist[samples[i] ?? 0] ?? 0) + 1;
  const total = to - from;
  let sumAll = 0;
  for (let v = 0; v < 256; v++) sumAll += v * (hist[v] ?? 0);
  let sumB = 0;
  let weightB = 0;
  let bestVar = -1;
  let bestT = 128;
  for (let t = 0; t < 256; t++) {
    weightB += hist[t] ?? 0;
    if (weightB === 0) continue;
    const weightF = total - weightB;
    if (weightF === 0) break;
    sumB += t * (hist[t] ?? 0);
    const meanB = sumB / weightB;
    const meanF = (sumAll - sumB) / weightF;
    const between = weightB * weightF * (meanB - meanF) ** 2;
    if (between > bestVar) {
      bestVar = between;
      bestT = t + 1; // samples < bestT are ink
    }
  }
  return bestT;
}
