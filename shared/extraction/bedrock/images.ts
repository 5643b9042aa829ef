/**
 * The page images as each service accepts them. Originals are sent as they are whenever they fit:
 * re-encoding costs time and loses ink detail. Only an image over a service's limit, or in a format
 * it does not read (Textract reads no WebP), is converted, with sharp loaded lazily: the Lambda
 * bundles keep sharp external and most pages never need it.
 */
import { InvalidInputError } from "../../errors.ts";

export type ImageFormat = "jpeg" | "png" | "webp";

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

export interface ServiceLimits {
  maxBytes: number;
  /** longest side in pixels */
  maxSide: number;
  formats: readonly ImageFormat[];
}

/** Bedrock Converse: each image ≤ 3.75 MB and ≤ 8,000 px a side; JPEG, PNG, GIF, WebP. */
export const BEDROCK_LIMITS: ServiceLimits = { maxBytes: 3_750_000, maxSide: 8_000, formats: ["jpeg", "png", "webp"] };
/** Textract synchronous AnalyzeDocument: ≤ 5 MB and ≤ 10,000 px a side; JPEG, PNG (no WebP). */
export const TEXTRACT_LIMITS: ServiceLimits = { maxBytes: 5_000_000, maxSide: 10_000, formats: ["jpeg", "png"] };

export interface FittedImage extends ImageHeader {
  bytes: Buffer;
  /** whether the bytes are a re-encoded copy rather than the original */
  converted: boolean;
}

/**
 * Format and pixel size from the first bytes of a JPEG, PNG or WebP file; undefined for anything
 * else or a truncated header. Reads headers only: no decoding, no dependency.
 */
export function readImageHeader(bytes: Buffer): ImageHeader | undefined {
  if (bytes.length >= 24 && bytes.readUInt32BE(0) === 0x89504e47 && bytes.readUInt32BE(4) === 0x0d0a1a0a) {
    // PNG: the IHDR chunk comes first; width and height are big-endian at 16 and 20.
    return sized("png", bytes.readUInt32BE(16), bytes.readUInt32BE(20));
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) return jpegSize(bytes);
  if (bytes.length >= 30 && bytes.toString("latin1", 0, 4) === "RIFF" && bytes.toString("latin1", 8, 12) === "WEBP") {
    return webpSize(bytes);
  }
  return undefined;
}

function sized(format: ImageFormat, width: number, height: number): ImageHeader | undefined {
  return width > 0 && height > 0 ? { format, width, height } : undefined;
}

/** Walks the JPEG segments to the first start-of-frame marker, which carries the size. */
function jpegSize(bytes: Buffer): ImageHeader | undefined {
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1] ?? 0;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    // standalone markers carry no length
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
      offset += 2;
      continue;
    }
    const length = bytes.readUInt16BE(offset + 2);
    const isStartOfFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isStartOfFrame) {
      if (offset + 9 > bytes.length) return undefined;
      return sized("jpeg", bytes.readUInt16BE(offset + 7), bytes.readUInt16BE(offset + 5));
    }
    offset += 2 + length;
  }
  return undefined;
}

function webpSize(bytes: Buffer): ImageHeader | undefined {
  const chunk = bytes.toString("latin1", 12, 16);
  if (chunk === "VP8 ") {
    // lossy: 14-bit sizes after the key-frame start code at 23..25
    return sized("webp", bytes.readUInt16LE(26) & 0x3fff, bytes.readUInt16LE(28) & 0x3fff);
  }
  if (chunk === "VP8L") {
    // lossless: signature 0x2f at 20, then 14-bit width − 1 and height − 1 packed little-endian
    const b = bytes.readUInt32LE(21);
    return sized("webp", (b & 0x3fff) + 1, ((b >>> 14) & 0x3fff) + 1);
  }
  if (chunk === "VP8X") {
    // extended: 24-bit width − 1 and height − 1 at 24 and 27
    return sized("webp", bytes.readUIntLE(24, 3) + 1, bytes.readUIntLE(27, 3) + 1);
  }
  return undefined;
}

/** The header of an uploaded page, or an InvalidInputError naming the page. */
export function requireImageHeader(bytes: Buffer, pageNumber: number): ImageHeader {
  const header = readImageHeader(bytes);
  if (header === undefined) {
    throw new InvalidInputError(
      "UNSUPPORTED_IMAGE",
      `Trang ${pageNumber} không phải ảnh JPEG, PNG hoặc WebP.`,
      `Page ${pageNumber} is not a JPEG, PNG or WebP image.`,
      415,
    );
  }
  return header;
}

/**
 * The bytes to send to a service with these limits: the original when it fits, otherwise a JPEG
 * scaled to fit (EXIF orientation applied), re-encoded at falling quality until it is small enough.
 */
export async function fitImage(bytes: Buffer, header: ImageHeader, limits: ServiceLimits, pageNumber: number): Promise<FittedImage> {
  const fits =
    bytes.length <= limits.maxBytes && Math.max(header.width, header.height) <= limits.maxSide && limits.formats.includes(header.format);
  if (fits) return { ...header, bytes, converted: false };

  const { default: sharp } = await import("sharp");
  let side = Math.min(limits.maxSide, Math.max(header.width, header.height));
  for (const quality of [90, 82, 75, 68, 60, 60, 60]) {
    const { data, info } = await sharp(bytes, { limitInputPixels: false })
      .rotate()
      .resize({ width: side, height: side, fit: "inside", withoutEnlargement: true })
      .jpeg({ quality, mozjpeg: false })
      .toBuffer({ resolveWithObject: true });
    if (data.length <= limits.maxBytes) {
      return { format: "jpeg", width: info.width, height: info.height, bytes: data, converted: true };
    }
    // Quality first (ink survives it); once quality is at its floor, shrink the page.
    if (quality === 60) side = Math.round(side * 0.8);
  }
  throw new InvalidInputError(
    "IMAGE_TOO_LARGE",
    `Không thu nhỏ được ảnh trang ${pageNumber} xuống dưới giới hạn của dịch vụ.`,
    `Page ${pageNumber} could not be reduced below the service's size limit.`,
    413,
  );
}
