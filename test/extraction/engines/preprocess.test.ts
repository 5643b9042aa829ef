import { describe, expect, it } from "vitest";
import zlib from "node:zlib";
import sharp from "sharp";
import { DEFAULT_TARGET_LONG_SIDE, MAX_INPUT_PIXELS, encodedForService, estimateSkew, preparedGray, preprocess, sniffImageType, stretchLevels } from "../../../shared/extraction/preprocess.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import { MINUTES_LINES, renderPage, textSvg } from "./render.ts";

async function grayOf(page: { image: Buffer }): Promise<{ data: Buffer; width: number; height: number }> {
  const g = await preparedGray(page);
  return { ...g, data: Buffer.from(g.data) };
}

async function expectCode(p: Promise<unknown>, code: string, status: number): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidInputError);
  if (err instanceof InvalidInputError) {
    expect(err.code).toBe(code);
    expect(err.status).toBe(status);
    // Vietnamese first, English second, never libvips' own words
    expect(err.messageVi.length).toBeGreaterThan(10);
    expect(err.messageEn.length).toBeGreaterThan(10);
    expect(err.message).not.toMatch(/vips|sharp/i);
  }
}

/** A PNG whose header claims `w × h` 1-bit pixels, with a tiny compressed body. */
function bombPng(w: number, h: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (buf: Buffer): number => {
    let crc = 0xffffffff;
    for (const byte of buf) crc = (crcTable[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // grayscale
  // zeros compress ~1000:1; a real bomb would hold the full stream, the header is what matters
  const idat = zlib.deflateSync(Buffer.alloc(64 * 1024));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", idat),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

describe("sniffImageType", () => {
  it("recognises containers by magic bytes, not by name", async () => {
    const base = sharp({ create: { width: 8, height: 8, channels: 3, background: "#888" } });
    expect(sniffImageType(await base.clone().jpeg().toBuffer())).toBe("jpeg");
    expect(sniffImageType(await base.clone().png().toBuffer())).toBe("png");
    expect(sniffImageType(await base.clone().webp().toBuffer())).toBe("webp");
    expect(sniffImageType(await base.clone().tiff().toBuffer())).toBe("tiff");
    expect(sniffImageType(await base.clone().avif().toBuffer())).toBe("avif");
    expect(sniffImageType(Buffer.from("%PDF-1.7\n"))).toBe("pdf");
    expect(sniffImageType(Buffer.from("hello, world"))).toBeNull();
    expect(sniffImageType(Buffer.alloc(0))).toBeNull();
  });
});

describe("preprocess", () => {
  it("applies EXIF orientation: a sideways-stored photo comes out upright", async () => {
    // upright: portrait 400×600, a black square in the top-left corner
    const upright = await sharp({ create: { width: 400, height: 600, channels: 3, background: "#fff" } })
      .composite([{ input: { create: { width: 80, height: 80, channels: 3, background: "#000" } }, left: 20, top: 20 }])
      .png()
      .toBuffer();
    // stored turned 90° counter-clockwise, with orientation 6 ("rotate 90° clockwise to show")
    const stored = await sharp(await sharp(upright).rotate(-90).toBuffer())
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    expect((await sharp(stored).metadata()).orientation).toBe(6);

    const page = await preprocess(stored, 1, { targetLongSide: 600 });
    expect(page.height).toBeGreaterThan(page.width);
    const { data, width, height } = await grayOf(page);
    const at = (x: number, y: number): number => data[Math.round(y * height) * width + Math.round(x * width)] ?? -1;
    expect(at(0.15, 0.1)).toBeLessThan(60); // the square, top-left
    expect(at(0.85, 0.1)).toBeGreaterThan(200);
    expect(at(0.15, 0.9)).toBeGreaterThan(200);
    expect(page.original).toBe(stored);
  });

  it("straightens a page photographed 3° askew to within 1°", async () => {
    const items = MINUTES_LINES.map((text, i) => ({ text, x: 120, y: 260 + i * 66, size: 34 }));
    const skewed = await renderPage(1600, 2200, textSvg(items), { rotateDegrees: 3 });
    const page = await preprocess(skewed, 2);
    expect(page.pageNumber).toBe(2);
    expect(Math.abs(page.deskewDegrees - 3)).toBeLessThan(1);
    const out = await grayOf(page);
    expect(Math.abs(await estimateSkew(out.data, out.width, out.height))).toBeLessThan(1);
    // and the other way
    const other = await preprocess(await renderPage(1600, 2200, textSvg(items), { rotateDegrees: -2 }), 1);
    expect(Math.abs(other.deskewDegrees + 2)).toBeLessThan(1);
  });

  it("leaves a straight page alone and sizes it for OCR", async () => {
    const items = MINUTES_LINES.map((text, i) => ({ text, x: 120, y: 260 + i * 66, size: 34 }));
    const page = await preprocess(await renderPage(1600, 2200, textSvg(items)), 1);
    expect(page.deskewDegrees).toBe(0);
    expect(Math.max(page.width, page.height)).toBe(DEFAULT_TARGET_LONG_SIDE);
    // 8-bit gray PGM for Tesseract; a gray PNG of the same pixels for services that want one
    expect(page.image.subarray(0, 3).toString("latin1")).toBe("P5\n");
    const png = await encodedForService(page);
    expect(sniffImageType(png)).toBe("png");
    expect((await sharp(png).metadata()).channels).toBe(1);
    const decoded = await sharp(png).toColourspace("b-w").raw().toBuffer({ resolveWithObject: true });
    expect([decoded.info.width, decoded.info.height]).toEqual([page.width, page.height]);
    expect(Buffer.compare(decoded.data, Buffer.from((await preparedGray(page)).data))).toBe(0);
  });

  it("stretches contrast so that 1 % of the pixels are black and 1 % white", () => {
    // a washed-out page: paper at 200, ink at 120, a few specks darker and lighter
    const gray = new Uint8Array(10_000).fill(200);
    gray.fill(120, 0, 2_000);
    gray.fill(40, 0, 50);
    gray.fill(250, 9_950);
    stretchLevels(gray);
    expect([gray[100], gray[5_000]]).toEqual([0, 255]);
    expect(gray[0]).toBe(0);
  });

  it("does not enlarge a small image more than twice", async () => {
    const small = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#eee" } }).jpeg().toBuffer();
    const page = await preprocess(small, 1);
    expect([page.width, page.height]).toEqual([600, 400]);
  });

  it("lifts a shadow: paper under a dark corner comes out as light as the rest", async () => {
    const shadow = `<defs><linearGradient id="g" x1="0" x2="1" y1="0" y2="1"><stop offset="0" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="0.55"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/>`;
    const items = MINUTES_LINES.map((text, i) => ({ text, x: 120, y: 260 + i * 66, size: 34 }));
    const page = await preprocess(await renderPage(1600, 2200, textSvg(items) + shadow), 1);
    const { data, width, height } = await grayOf(page);
    // blank paper near the bottom-right corner, where the shadow was darkest
    const corner = data[Math.round(height * 0.95) * width + Math.round(width * 0.9)] ?? 0;
    expect(corner).toBeGreaterThan(220);
  });

  it("accepts WebP and the first page of a TIFF", async () => {
    const base = sharp({ create: { width: 500, height: 700, channels: 3, background: "#fafafa" } });
    await expect(preprocess(await base.clone().webp().toBuffer(), 1)).resolves.toMatchObject({ pageNumber: 1 });
    await expect(preprocess(await base.clone().tiff().toBuffer(), 1)).resolves.toMatchObject({ pageNumber: 1 });
  });

  it("refuses a zero-byte file, garbage and a truncated JPEG as NOT_AN_IMAGE", async () => {
    await expectCode(preprocess(Buffer.alloc(0), 1), "NOT_AN_IMAGE", 415);
    await expectCode(preprocess(Buffer.from("definitely not an image, just text"), 1), "NOT_AN_IMAGE", 415);
    const jpeg = await sharp({ create: { width: 800, height: 600, channels: 3, background: "#777" } })
      .composite([{ input: Buffer.from(`<svg width="800" height="600"><text x="50" y="300" font-size="60">Biên bản</text></svg>`) }])
      .jpeg()
      .toBuffer();
    await expectCode(preprocess(jpeg.subarray(0, Math.floor(jpeg.length / 2)), 1), "NOT_AN_IMAGE", 415);
    // a JPEG signature followed by nothing usable
    await expectCode(preprocess(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]), 1), "NOT_AN_IMAGE", 415);
    // a PDF is a document, not a page image
    await expectCode(preprocess(Buffer.from("%PDF-1.7\n%...."), 1), "NOT_AN_IMAGE", 415);
  });

  it("refuses a 60-megapixel image as IMAGE_TOO_LARGE", async () => {
    const big = await sharp({ create: { width: 8000, height: 7500, channels: 3, background: "#fff" } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    await expectCode(preprocess(big, 1), "IMAGE_TOO_LARGE", 413);
    expect(MAX_INPUT_PIXELS).toBe(40_000_000);
    // the limit is a parameter: the same image passes a higher one in principle, a lower one refuses smaller images
    const small = await sharp({ create: { width: 1000, height: 1000, channels: 3, background: "#fff" } }).png().toBuffer();
    await expectCode(preprocess(small, 1, { maxPixels: 500_000 }), "IMAGE_TOO_LARGE", 413);
  });

  it("refuses a decompression bomb from its header, without decoding it", async () => {
    const bomb = bombPng(50_000, 50_000); // 2.5 gigapixels declared
    expect(bomb.length).toBeLessThan(2_000);
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    await expectCode(preprocess(bomb, 1), "IMAGE_TOO_LARGE", 413);
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });
});
