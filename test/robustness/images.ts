/**
 * Hostile and broken inputs, made cheaply: PNGs are written chunk by chunk (a huge declared size
 * costs only the deflated zeros), the 100-page PDF by pdfkit, a truncated JPEG from sharp.
 */
import PDFDocument from "pdfkit";
import sharp from "sharp";
import { crc32, deflateSync } from "node:zlib";

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/**
 * A valid, fully decodable grey PNG of width × height, all black: `bitDepth` 1 makes a
 * decompression bomb (20 000 × 20 000 = 400 MP from ~50 KB).
 */
export function blankPng(width: number, height: number, bitDepth: 1 | 8 = 8): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = 0; // greyscale
  const rowBytes = 1 + Math.ceil((width * bitDepth) / 8); // filter byte + pixels
  const raw = Buffer.alloc(rowBytes * height); // zeros: filter "none", black pixels
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A PNG whose header declares a size its data does not have (a lying header). */
export function lyingPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(Buffer.alloc(100))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

export async function truncatedJpeg(): Promise<Buffer> {
  const full = await sharp({ create: { width: 600, height: 800, channels: 3, background: { r: 240, g: 240, b: 235 }, noise: { type: "gaussian", mean: 128, sigma: 40 } } })
    .jpeg({ quality: 85 })
    .toBuffer();
  return full.subarray(0, Math.floor(full.length * 0.55));
}

export function pdfWithPages(n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ autoFirstPage: false });
    const parts: Buffer[] = [];
    doc.on("data", (d: Buffer) => parts.push(d));
    doc.on("end", () => resolve(Buffer.concat(parts)));
    doc.on("error", reject);
    for (let i = 1; i <= n; i++) doc.addPage().text(`Trang ${i}`);
    doc.end();
  });
}

/**
 * A multipart body of one file part of `bytes` bytes, produced lazily in 1 MB chunks so the test
 * never holds it; `pulled()` tells how much the server actually read.
 */
export function streamedMultipart(bytes: number, cellId: string): { body: ReadableStream<Uint8Array>; contentType: string; length: number; pulled: () => number } {
  const boundary = "----bienban-robustness";
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="cellId"\r\n\r\n${cellId}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="pages"; filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const block = Buffer.alloc(1024 * 1024, 0xab);
  block[0] = 0xff;
  block[1] = 0xd8;
  block[2] = 0xff;
  let sent = 0;
  let headSent = false;
  let done = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!headSent) {
        headSent = true;
        controller.enqueue(new Uint8Array(head));
        return;
      }
      if (sent < bytes) {
        const n = Math.min(block.length, bytes - sent);
        sent += n;
        controller.enqueue(new Uint8Array(block.subarray(0, n)));
        return;
      }
      if (!done) {
        done = true;
        controller.enqueue(new Uint8Array(tail));
        controller.close();
      }
    },
  });
  return { body, contentType: `multipart/form-data; boundary=${boundary}`, length: head.length + bytes + tail.length, pulled: () => sent };
}
