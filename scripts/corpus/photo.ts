/**
 * "Photographs" a flat page: the page lies on a darker table, seen by a hand-held phone. One pass
 * over the output pixels applies the projective warp (tilt ±0–4°, mild keystone), uneven light
 * (a gradient and a soft shadow edge) and sensor noise; sharp then blurs and JPEG-encodes.
 * Every effect is drawn from the seeded RNG, so the same seed gives the same bytes.
 */
import sharp from "sharp";
import type { Rng } from "./rng.ts";

export interface PhotoParams {
  tiltDeg: number;
  keystone: number;
  blurSigma: number;
  noise: number;
  quality: number;
}

/** Solve the 3×3 homography H (h33 = 1) that maps the four src points to the four dst points. */
export function homography(src: readonly [number, number][], dst: readonly [number, number][]): number[] {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = src[i] ?? [0, 0];
    const [u, v] = dst[i] ?? [0, 0];
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  // Gaussian elimination with partial pivoting on the 8×9 augmented matrix.
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(a[r]?.[c] ?? 0) > Math.abs(a[p]?.[c] ?? 0)) p = r;
    const tmp = a[c] ?? [];
    a[c] = a[p] ?? [];
    a[p] = tmp;
    const row = a[c] ?? [];
    const pivot = row[c] ?? 1;
    for (let k = c; k < 9; k++) row[k] = (row[k] ?? 0) / pivot;
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const other = a[r] ?? [];
      const f = other[c] ?? 0;
      if (f !== 0) for (let k = c; k < 9; k++) other[k] = (other[k] ?? 0) - f * (row[k] ?? 0);
    }
  }
  return [...a.map((r) => r[8] ?? 0), 1];
}

/**
 * Warps a flat page (raw RGB) into a photo and encodes it as JPEG.
 * The output is slightly larger than the page, so that some table shows around it.
 */
export async function photograph(raw: Buffer, width: number, height: number, rng: Rng): Promise<{ jpeg: Buffer; params: PhotoParams }> {
  const outW = Math.round(width * rng.range(1.1, 1.18));
  const outH = Math.round(height * rng.range(1.08, 1.14));
  const tiltDeg = rng.range(-4, 4);
  const keystone = rng.range(0, 0.035);
  const scale = Math.min(outW / width, outH / height) * rng.range(0.86, 0.93);
  const cx = outW / 2 + rng.range(-20, 20);
  const cy = outH / 2 + rng.range(-20, 20);
  const th = (tiltDeg * Math.PI) / 180;
  // Keystone: the edge farther from the lens looks shorter (top or bottom, or left or right).
  const shrinkTop = rng.chance(0.7);
  const corners: [number, number][] = [
    [-width / 2, -height / 2],
    [width / 2, -height / 2],
    [width / 2, height / 2],
    [-width / 2, height / 2],
  ];
  const dst = corners.map(([x, y], i): [number, number] => {
    const far = shrinkTop ? i < 2 : i === 1 || i === 2;
    let px = x * scale;
    let py = y * scale;
    if (shrinkTop) px *= far ? 1 - keystone : 1;
    else py *= far ? 1 - keystone : 1;
    px += rng.range(-6, 6);
    py += rng.range(-6, 6);
    return [cx + px * Math.cos(th) - py * Math.sin(th), cy + px * Math.sin(th) + py * Math.cos(th)];
  });
  const src: [number, number][] = [
    [0, 0],
    [width, 0],
    [width, height],
    [0, height],
  ];
  // Map output pixels back to the page.
  const h = homography(dst, src);
  const [h0, h1, h2, h3, h4, h5, h6, h7] = h.map((v) => v ?? 0) as [number, number, number, number, number, number, number, number];

  // Light: a linear gradient across the frame and one soft shadow edge.
  const gAngle = rng.range(0, Math.PI * 2);
  const gx = Math.cos(gAngle) / outW;
  const gy = Math.sin(gAngle) / outH;
  const gStrength = rng.range(0.05, 0.22);
  const sAngle = rng.range(0, Math.PI * 2);
  const sx = Math.cos(sAngle);
  const sy = Math.sin(sAngle);
  const sOffset = rng.range(0.25, 0.6) * Math.max(outW, outH);
  const sStrength = rng.chance(0.6) ? rng.range(0.08, 0.3) : 0;
  const sSoft = rng.range(60, 220);
  const warm = { r: 1, g: rng.range(0.96, 1), b: rng.range(0.88, 0.98) };
  const table = rng.pick([
    [74, 56, 42],
    [58, 58, 62],
    [40, 52, 44],
    [96, 80, 64],
  ]);
  const noise = rng.range(2, 6);
  const out = Buffer.alloc(outW * outH * 3);
  const tr = table[0] ?? 60;
  const tg = table[1] ?? 60;
  const tb = table[2] ?? 60;
  const maxX = width - 1;
  const maxY = height - 1;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const w = h6 * x + h7 * y + 1;
      const u = (h0 * x + h1 * y + h2) / w;
      const v = (h3 * x + h4 * y + h5) / w;
      let r: number;
      let g: number;
      let b: number;
      if (u >= 0 && v >= 0 && u < maxX && v < maxY) {
        const x0 = u | 0;
        const y0 = v | 0;
        const fx = u - x0;
        const fy = v - y0;
        const i00 = (y0 * width + x0) * 3;
        const i01 = i00 + 3;
        const i10 = i00 + width * 3;
        const i11 = i10 + 3;
        const w00 = (1 - fx) * (1 - fy);
        const w01 = fx * (1 - fy);
        const w10 = (1 - fx) * fy;
        const w11 = fx * fy;
        r = raw[i00]! * w00 + raw[i01]! * w01 + raw[i10]! * w10 + raw[i11]! * w11;
        g = raw[i00 + 1]! * w00 + raw[i01 + 1]! * w01 + raw[i10 + 1]! * w10 + raw[i11 + 1]! * w11;
        b = raw[i00 + 2]! * w00 + raw[i01 + 2]! * w01 + raw[i10 + 2]! * w10 + raw[i11 + 2]! * w11;
      } else {
        const grain = ((x * 7 + y * 13) % 17) - 8;
        r = tr + grain;
        g = tg + grain;
        b = tb + grain;
      }
      const grad = 1 - gStrength * (0.5 + (x - outW / 2) * gx + (y - outH / 2) * gy);
      const edge = (x - outW / 2) * sx + (y - outH / 2) * sy - sOffset + Math.max(outW, outH) / 2;
      const shadow = 1 - sStrength / (1 + Math.exp(-edge / sSoft));
      const light = grad * shadow;
      const n = (rng.next() + rng.next() - 1) * noise * 1.7;
      const o = (y * outW + x) * 3;
      out[o] = clamp(r * light * warm.r + n);
      out[o + 1] = clamp(g * light * warm.g + n);
      out[o + 2] = clamp(b * light * warm.b + n);
    }
  }
  const blurSigma = rng.range(0.3, 1.1);
  const quality = rng.int(70, 90);
  const jpeg = await sharp(out, { raw: { width: outW, height: outH, channels: 3 } })
    .blur(blurSigma)
    .jpeg({ quality, mozjpeg: false })
    .toBuffer();
  return { jpeg, params: { tiltDeg, keystone, blurSigma, noise, quality } };
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}
