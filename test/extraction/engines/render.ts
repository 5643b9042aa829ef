/**
 * Test images drawn here with sharp (SVG → PNG), so that every test can say exactly what is on the
 * page it reads. Fonts: DejaVu (installed with the system), which covers Vietnamese diacritics.
 */
import sharp from "sharp";

export interface TextItem {
  text: string;
  x: number;
  y: number;
  size?: number;
  bold?: boolean;
  anchor?: "start" | "middle" | "end";
}

const escapeXml = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function textSvg(items: readonly TextItem[], extra = ""): string {
  return items
    .map(
      (t) =>
        `<text x="${t.x}" y="${t.y}" font-family="DejaVu Serif" font-size="${t.size ?? 32}" ` +
        `font-weight="${t.bold ? "bold" : "normal"}" text-anchor="${t.anchor ?? "start"}" fill="#111">${escapeXml(t.text)}</text>`,
    )
    .join("\n") + extra;
}

/** A white page of the given size with SVG content drawn on it, as PNG. */
export async function renderPage(
  width: number,
  height: number,
  content: string,
  options: { background?: string; rotateDegrees?: number } = {},
): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<rect width="100%" height="100%" fill="${options.background ?? "#fff"}"/>
${content}
</svg>`;
  let img = sharp(Buffer.from(svg));
  if (options.rotateDegrees) img = img.rotate(options.rotateDegrees, { background: options.background ?? "#fff" });
  return img.flatten({ background: "#fff" }).png().toBuffer();
}

/** Lines of a typical printed minutes page, ~A4 proportions. */
export const MINUTES_LINES: readonly string[] = [
  "BIÊN BẢN SINH HOẠT CHI BỘ THƯỜNG KỲ THÁNG 11/2026",
  "Hôm nay, vào lúc 14 giờ 00 phút, ngày 03 tháng 11 năm 2026,",
  "tại Nhà văn hóa thôn Đông Hòa, Chi bộ tổ chức sinh hoạt thường kỳ.",
  "Chủ trì: đồng chí Nguyễn Văn An - Bí thư chi bộ.",
  "Thư ký: đồng chí Trần Thị Bình - Đảng viên.",
  "Tổng số đảng viên: 18 đồng chí; có mặt: 16 đồng chí;",
  "vắng: 02 đồng chí (có lý do: 02; không lý do: 0).",
  "Đồng chí Lê Văn Cường phát biểu: đề nghị chi bộ quan tâm",
  "công tác phát triển đảng viên và chuyển đổi số.",
  "Biểu quyết: tán thành 16/16 đồng chí, đạt 100%.",
  "Buổi sinh hoạt kết thúc vào lúc 15 giờ 45 phút cùng ngày.",
  "Biên bản đã được thông qua trước chi bộ.",
];

export interface MinutesPage {
  png: Buffer;
  /** the printed text, line by line, in reading order (header columns left then right) */
  truth: string[];
  /** the same text with side-by-side items joined row by row (how a single-column reader sees it) */
  truthRows: string[];
  width: number;
  height: number;
}

/**
 * A printed minutes page at ~A4 proportions: two-column header, title, body, and the two-column
 * signature block ("THƯ KÝ" left, "CHỦ TRÌ" right, names below with room for signatures).
 */
export async function renderMinutesPage(
  options: { width?: number; rotateDegrees?: number; extra?: string; background?: string; ruled?: boolean } = {},
): Promise<MinutesPage> {
  const width = options.width ?? 1700;
  const height = Math.round(width * 1.414);
  const k = width / 1700;
  const s = (v: number): number => Math.round(v * k);
  // A minute book's ruled paper: a faint blue rule just under each written line (every text item
  // sits on the 62-unit grid, as writing sits on the rules) and a red margin rule.
  const rules = options.ruled
    ? Array.from({ length: 36 }, (_, i) => {
        const y = s(118 + i * 62);
        return `<line x1="0" x2="${width}" y1="${y}" y2="${y}" stroke="#8fa3c0" stroke-width="${Math.max(2, s(2))}"/>`;
      }).join("") + `<line x1="${s(110)}" x2="${s(110)}" y1="0" y2="${height}" stroke="#d88" stroke-width="${s(3)}"/>`
    : "";
  const items: TextItem[] = [
    { text: "ĐẢNG BỘ XÃ THANH BÌNH", x: s(330), y: s(108), size: s(30), anchor: "middle" },
    { text: "CHI BỘ THÔN ĐÔNG HÒA", x: s(330), y: s(170), size: s(30), bold: true, anchor: "middle" },
    { text: "ĐẢNG CỘNG SẢN VIỆT NAM", x: s(1200), y: s(108), size: s(30), bold: true, anchor: "middle" },
    { text: "Thanh Bình, ngày 03 tháng 11 năm 2026", x: s(1200), y: s(170), size: s(28), anchor: "middle" },
    { text: "BIÊN BẢN", x: s(850), y: s(294), size: s(44), bold: true, anchor: "middle" },
    { text: "SINH HOẠT CHI BỘ THƯỜNG KỲ THÁNG 11/2026", x: s(850), y: s(356), size: s(34), bold: true, anchor: "middle" },
    ...MINUTES_LINES.slice(1).map((text, i) => ({ text, x: s(140), y: s(480 + i * 62), size: s(32) })),
    { text: "THƯ KÝ", x: s(400), y: s(1410), size: s(32), bold: true, anchor: "middle" },
    { text: "CHỦ TRÌ", x: s(1250), y: s(1410), size: s(32), bold: true, anchor: "middle" },
    { text: "Trần Thị Bình", x: s(400), y: s(1658), size: s(32), anchor: "middle" },
    { text: "Nguyễn Văn An", x: s(1250), y: s(1658), size: s(32), anchor: "middle" },
  ];
  const truth = [
    "ĐẢNG BỘ XÃ THANH BÌNH",
    "CHI BỘ THÔN ĐÔNG HÒA",
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "Thanh Bình, ngày 03 tháng 11 năm 2026",
    "BIÊN BẢN",
    "SINH HOẠT CHI BỘ THƯỜNG KỲ THÁNG 11/2026",
    ...MINUTES_LINES.slice(1),
    "THƯ KÝ",
    "CHỦ TRÌ",
    "Trần Thị Bình",
    "Nguyễn Văn An",
  ];
  const png = await renderPage(width, height, textSvg(items, rules + (options.extra ?? "")), {
    ...(options.rotateDegrees ? { rotateDegrees: options.rotateDegrees } : {}),
    ...(options.background ? { background: options.background } : {}),
  });
  const truthRows = [
    "ĐẢNG BỘ XÃ THANH BÌNH ĐẢNG CỘNG SẢN VIỆT NAM",
    "CHI BỘ THÔN ĐÔNG HÒA Thanh Bình, ngày 03 tháng 11 năm 2026",
    ...truth.slice(4, -4),
    "THƯ KÝ CHỦ TRÌ",
    "Trần Thị Bình Nguyễn Văn An",
  ];
  return { png, truth, truthRows, width, height };
}
