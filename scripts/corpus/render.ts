/**
 * Draws the lines of the minutes on A4 pages: typed (serif, white paper) or handwriting-like
 * (lined paper, a hand font, per-line jitter, blue or black ink), with an ink scribble above a
 * signer's name when the truth says the minutes are signed. Text is laid out line by line with our
 * own word wrap, so page breaks fall anywhere (mid-discussion too) and the page texts are known.
 */
import sharp from "sharp";
import type { OverlayOptions } from "sharp";
import { loadFont, type FontFace } from "./fonts.ts";
import type { Rng } from "./rng.ts";
import type { DocLine } from "./write.ts";

export type Style = "typed" | "handwritten";

/** A4 at 150 dpi. */
export const PAGE_WIDTH = 1240;
export const PAGE_HEIGHT = 1754;
const DPI = 150;
const MAX_PAGES = 3;
/** A transparent tall glyph pair in front of every run of text: libvips crops text images to the
 * ink, so without it lines with and without stacked diacritics or descenders would not share a baseline. */
const STRUT = '<span alpha="1">Ắg</span>';

export interface RenderedPage {
  /** the page as RGB pixels, before photographing */
  raw: Buffer;
  text: string;
}

interface Face {
  face: FontFace;
  size: number;
  colour: string;
}

function escapeMarkup(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function markup(text: string, colour: string, bold?: boolean, italic?: boolean): string {
  let inner = escapeMarkup(text);
  if (bold) inner = `<b>${inner}</b>`;
  if (italic) inner = `<i>${inner}</i>`;
  return `${STRUT}<span foreground="${colour}">${inner}</span>`;
}

/** Text metrics and images, cached per face and size (the same words recur in every meeting). */
class Typesetter {
  private widths = new Map<string, number>();
  private strutOffset = 0;
  private strutBaseline = 0;
  spaceWidth = 0;

  constructor(readonly f: Face) {}

  private desc(): string {
    return `${this.f.face.family} ${this.f.size}`;
  }

  async init(): Promise<void> {
    const inkWidth = async (m: string) => (await sharp({ text: { text: m, font: this.desc(), dpi: DPI, rgba: true } }).metadata()).width ?? 0;
    const inkHeight = async (m: string) => (await sharp({ text: { text: m, font: this.desc(), dpi: DPI, rgba: true } }).metadata()).height ?? 0;
    this.strutOffset = (await inkWidth(`${STRUT}H`)) - (await inkWidth("H"));
    this.strutBaseline = await inkHeight("Ắ");
    this.spaceWidth = (await inkWidth("n n")) - 2 * (await inkWidth("n"));
  }

  async width(word: string, bold = false): Promise<number> {
    const key = `${bold ? "b" : "r"}|${word}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      const m = bold ? `<b>${escapeMarkup(word)}</b>` : escapeMarkup(word);
      w = (await sharp({ text: { text: m, font: this.desc(), dpi: DPI, rgba: true } }).metadata()).width ?? 0;
      this.widths.set(key, w);
    }
    return w;
  }

  async lineWidth(text: string, bold = false): Promise<number> {
    const words = text.split(" ").filter((w) => w.length > 0);
    let sum = 0;
    for (const w of words) sum += await this.width(w, bold);
    return sum + Math.max(0, words.length - 1) * this.spaceWidth;
  }

  /** Greedy word wrap to maxWidth (a little slack for kerning the word sum does not see). */
  async wrap(text: string, maxWidth: number, bold = false): Promise<string[]> {
    const words = text.split(" ").filter((w) => w.length > 0);
    const lines: string[] = [];
    let cur: string[] = [];
    let curW = 0;
    for (const w of words) {
      const ww = await this.width(w, bold);
      const next = cur.length === 0 ? ww : curW + this.spaceWidth + ww;
      if (cur.length > 0 && next > maxWidth * 0.98) {
        lines.push(cur.join(" "));
        cur = [w];
        curW = ww;
      } else {
        cur.push(w);
        curW = next;
      }
    }
    if (cur.length > 0) lines.push(cur.join(" "));
    return lines;
  }

  /** A line as a transparent PNG, and where its pen starts and its baseline lies inside the image. */
  async image(text: string, opts: { bold?: boolean; italic?: boolean; colour?: string }): Promise<{ png: Buffer; width: number; height: number; penX: number; baseline: number }> {
    const { data, info } = await sharp({ text: { text: markup(text, opts.colour ?? this.f.colour, opts.bold, opts.italic), font: this.desc(), dpi: DPI, rgba: true } })
      .png({ compressionLevel: 0 })
      .toBuffer({ resolveWithObject: true });
    return { png: data, width: info.width, height: info.height, penX: this.strutOffset, baseline: this.strutBaseline };
  }
}

/** A signature: 2–4 looping bezier strokes and sometimes a flourish underneath, as SVG. */
export function scribbleSvg(rng: Rng, colour: string): { svg: Buffer; width: number; height: number } {
  const width = rng.int(170, 250);
  const height = rng.int(70, 100);
  const strokes: string[] = [];
  let x = rng.range(8, 30);
  let y = rng.range(height * 0.4, height * 0.7);
  const parts = rng.int(3, 6);
  let d = `M ${x.toFixed(1)} ${y.toFixed(1)}`;
  for (let i = 0; i < parts; i++) {
    const step = (width - 40) / parts;
    const nx = Math.min(width - 8, x + step * rng.range(0.7, 1.2));
    const ny = rng.range(height * 0.25, height * 0.75);
    // Control points far above and below the line make the loops of a quick signature.
    d += ` C ${(x + rng.range(-25, 30)).toFixed(1)} ${rng.range(-height * 0.1, height * 0.2).toFixed(1)}, ${(nx + rng.range(-50, 0)).toFixed(1)} ${rng.range(height * 0.8, height * 1.1).toFixed(1)}, ${nx.toFixed(1)} ${ny.toFixed(1)}`;
    x = nx;
    y = ny;
  }
  strokes.push(d);
  if (rng.chance(0.6)) {
    const fy = rng.range(height * 0.75, height * 0.92);
    strokes.push(`M ${rng.range(5, 40).toFixed(1)} ${fy.toFixed(1)} Q ${(width / 2).toFixed(1)} ${(fy + rng.range(-12, 12)).toFixed(1)}, ${rng.range(width * 0.7, width - 5).toFixed(1)} ${(fy - rng.range(0, 15)).toFixed(1)}`);
  }
  const sw = rng.range(2.0, 3.4).toFixed(2);
  const paths = strokes.map((p) => `<path d="${p}" fill="none" stroke="${colour}" stroke-width="${sw}" stroke-linecap="round" stroke-linejoin="round"/>`).join("");
  return { svg: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${paths}</svg>`), width, height };
}

function ruledPaperSvg(lineSpacing: number, firstLine: number, marginX: number): Buffer {
  const lines: string[] = [];
  for (let y = firstLine; y < PAGE_HEIGHT - 40; y += lineSpacing) {
    lines.push(`<line x1="0" y1="${y}" x2="${PAGE_WIDTH}" y2="${y}" stroke="#9db4d8" stroke-width="1.6" stroke-opacity="0.75"/>`);
  }
  lines.push(`<line x1="${marginX}" y1="0" x2="${marginX}" y2="${PAGE_HEIGHT}" stroke="#e39a9a" stroke-width="2" stroke-opacity="0.8"/>`);
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${PAGE_WIDTH}" height="${PAGE_HEIGHT}">${lines.join("")}</svg>`);
}

interface Geometry {
  left: number;
  right: number;
  top: number;
  bottom: number;
  lineHeight: number;
  /** handwriting: y of the first ruled line; text baselines sit on ruled lines */
  ruled: { first: number; marginX: number } | null;
}

interface Placed {
  text: string;
  x: number;
  /** baseline y */
  y: number;
  align: "left" | "center";
  bold?: boolean;
  italic?: boolean;
}

interface PageDraft {
  placed: Placed[];
  signatures: { cx: number; top: number; ink: boolean }[];
  text: string[];
}

/** Lays the document out on at most MAX_PAGES pages; null when it does not fit at this size. */
async function layout(lines: DocLine[], ts: Typesetter, g: Geometry): Promise<PageDraft[] | null> {
  const pages: PageDraft[] = [{ placed: [], signatures: [], text: [] }];
  let y = g.top;
  const width = g.right - g.left;
  const page = () => pages[pages.length - 1] as PageDraft;
  const newPage = () => {
    pages.push({ placed: [], signatures: [], text: [] });
    y = g.top;
  };
  const advance = (n = 1) => {
    y += g.lineHeight * n;
  };
  const ensure = (height: number) => {
    if (y + height > g.bottom) newPage();
  };
  const leftCx = g.left + width * 0.22;
  const rightCx = g.left + width * 0.74;
  for (const line of lines) {
    switch (line.t) {
      case "gap":
        if (y > g.top) advance(0.5);
        if (g.ruled) y = Math.ceil((y - g.top) / g.lineHeight) * g.lineHeight + g.top;
        break;
      case "row": {
        // Two columns (committee and cell on the left, the Party's name and place-date on the right); long names wrap inside their column.
        const colW = width * 0.46;
        const left = line.left ? await ts.wrap(line.left, colW, line.leftBold) : [];
        const right = line.right ? await ts.wrap(line.right, colW, line.rightBold) : [];
        for (let i = 0; i < Math.max(left.length, right.length, 1); i++) {
          ensure(g.lineHeight);
          const l = left[i];
          const r = right[i];
          if (l) page().placed.push({ text: l, x: leftCx, y, align: "center", bold: line.leftBold });
          if (r) page().placed.push({ text: r, x: rightCx, y, align: "center", bold: line.rightBold, italic: line.rightItalic });
          page().text.push([l, r].filter(Boolean).join("    "));
          advance();
        }
        break;
      }
      case "center": {
        for (const l of await ts.wrap(line.text, width, line.bold)) {
          ensure(g.lineHeight);
          page().placed.push({ text: l, x: g.left + width / 2, y, align: "center", bold: line.bold, italic: line.italic });
          page().text.push(l);
          advance();
        }
        break;
      }
      case "para": {
        const indent = (line.indent ?? 0) * 40;
        for (const l of await ts.wrap(line.text, width - indent, line.bold)) {
          ensure(g.lineHeight);
          page().placed.push({ text: l, x: g.left + indent, y, align: "left", bold: line.bold, italic: line.italic });
          page().text.push(l);
          advance();
        }
        break;
      }
      case "sign": {
        const block = g.lineHeight * 5.2;
        ensure(block);
        page().placed.push({ text: line.chairHeading, x: leftCx, y, align: "center", bold: true });
        page().placed.push({ text: line.secretaryHeading, x: rightCx, y, align: "center", bold: true });
        page().text.push(`${line.chairHeading}    ${line.secretaryHeading}`);
        const inkTop = y + g.lineHeight * 0.4;
        page().signatures.push({ cx: leftCx, top: inkTop, ink: line.chairInk }, { cx: rightCx, top: inkTop, ink: line.secretaryInk });
        advance(4);
        if (line.chairName) page().placed.push({ text: line.chairName, x: leftCx, y, align: "center", bold: true });
        if (line.secretaryName) page().placed.push({ text: line.secretaryName, x: rightCx, y, align: "center", bold: true });
        const names = [line.chairName, line.secretaryName].filter((n): n is string => n !== null);
        if (names.length) page().text.push(names.join("    "));
        advance();
        break;
      }
    }
  }
  return pages.length <= MAX_PAGES ? pages : null;
}

export interface PageLook {
  style: Style;
  ink: string;
  signatureInk: string;
}

/** Renders the document to 1–3 flat pages (RGB raw, PAGE_WIDTH × PAGE_HEIGHT). */
export async function renderDocument(lines: DocLine[], style: Style, rng: Rng): Promise<{ pages: RenderedPage[]; look: PageLook }> {
  const typed = style === "typed";
  const hand = typed ? null : rng.weighted<"hand-print" | "hand-script">([["hand-print", 4], ["hand-script", 1]]);
  const face = await loadFont(typed ? "serif" : (hand ?? "hand-print"));
  const ink = typed ? "#151515" : rng.pick(["#1b2c8c", "#20307a", "#152060", "#222222"]);
  const signatureInk = rng.pick(["#1b2c8c", "#1a3c9c", "#202020", ink]);
  // Try a size; shrink until the minutes fit on three pages.
  let size = typed ? rng.range(11.5, 13) : rng.range(15, 17.5);
  let lineSpacingFactor = typed ? rng.range(1.45, 1.7) : 1;
  for (let attempt = 0; attempt < 8; attempt++) {
    const ts = new Typesetter({ face, size: Math.round(size * 10) / 10, colour: ink });
    await ts.init();
    const emPx = (size * DPI) / 72;
    const lineHeight = typed ? Math.round(emPx * lineSpacingFactor) : Math.round(emPx * rng.range(1.25, 1.4));
    const ruled = typed ? null : { first: 150, marginX: 150 };
    const g: Geometry = typed
      ? { left: 140, right: PAGE_WIDTH - 110, top: 120, bottom: PAGE_HEIGHT - 120, lineHeight, ruled }
      : { left: 175, right: PAGE_WIDTH - 60, top: 150, bottom: PAGE_HEIGHT - 70, lineHeight, ruled };
    const drafts = await layout(lines, ts, g);
    if (!drafts) {
      size *= 0.92;
      lineSpacingFactor = Math.max(1.3, lineSpacingFactor * 0.95);
      continue;
    }
    const pages: RenderedPage[] = [];
    for (const d of drafts) pages.push(await drawPage(d, ts, g, style, rng, signatureInk));
    return { pages, look: { style, ink, signatureInk } };
  }
  throw new RangeError("minutes do not fit on three pages even at the smallest size");
}

async function drawPage(d: PageDraft, ts: Typesetter, g: Geometry, style: Style, rng: Rng, signatureInk: string): Promise<RenderedPage> {
  const typed = style === "typed";
  const overlays: OverlayOptions[] = [];
  if (g.ruled) overlays.push({ input: ruledPaperSvg(g.lineHeight, g.ruled.first, g.ruled.marginX), left: 0, top: 0 });
  for (const p of d.placed) {
    const img = await ts.image(p.text, { bold: p.bold, italic: p.italic });
    let left = p.align === "center" ? p.x - (img.width - img.penX) / 2 - img.penX : p.x - img.penX;
    let top = p.y - img.baseline;
    let input = img.png;
    if (!typed) {
      // A hand does not write on a grid: small drift, a slight slant per line.
      left += rng.range(-4, 8);
      top += rng.gauss() * 1.5 - 3;
      const angle = rng.gauss() * 0.35;
      if (Math.abs(angle) > 0.05) {
        const rotated = await sharp(img.png).rotate(angle, { background: { r: 0, g: 0, b: 0, alpha: 0 } }).png({ compressionLevel: 0 }).toBuffer({ resolveWithObject: true });
        left -= (rotated.info.width - img.width) / 2;
        top -= (rotated.info.height - img.height) / 2;
        input = rotated.data;
      }
    }
    overlays.push({ input, left: Math.max(0, Math.round(left)), top: Math.max(0, Math.round(top)) });
  }
  for (const s of d.signatures) {
    if (!s.ink) continue;
    const sig = scribbleSvg(rng, signatureInk);
    overlays.push({ input: sig.svg, left: Math.round(s.cx - sig.width / 2 + rng.range(-25, 25)), top: Math.round(s.top + rng.range(0, 20)) });
  }
  const paper = typed ? { r: 252, g: 252, b: 250 } : { r: 250, g: 248, b: 238 };
  const raw = await sharp({ create: { width: PAGE_WIDTH, height: PAGE_HEIGHT, channels: 3, background: paper } })
    .composite(overlays)
    .removeAlpha()
    .raw()
    .toBuffer();
  return { raw, text: d.text.join("\n") };
}
