/**
 * An OcrEngine test double for the API and ingest tests: it answers with recorded OCR text laid
 * out as an OcrPage (per image, keyed by the image's hash), so that these tests exercise
 * everything but Tesseract itself — which has its own tests and an end-to-end test.
 */
import { createHash } from "node:crypto";
import sharp from "sharp";
import type { OcrEngine, PreparedPage } from "../../shared/extraction/engine.ts";
import type { OcrPage } from "../../shared/extraction/ocr-page.ts";
import { pageFromText } from "../extraction/parser/helpers.ts";

export class RecordedEngine implements OcrEngine {
  readonly name = "recorded";
  private readonly texts = new Map<string, string>();
  calls = 0;

  /** `fallback`: the text "read" from any image not made by page() (e.g. a PDF's rendered pages) */
  constructor(private readonly fallback?: string) {}

  /** Makes a distinct small page image and records the text OCR "reads" from it. */
  async page(text: string): Promise<Buffer> {
    const n = this.texts.size;
    const img = await sharp({ create: { width: 200 + n, height: 280, channels: 3, background: { r: 250, g: 250, b: 245 } } }).png().toBuffer();
    this.texts.set(createHash("sha256").update(img).digest("hex"), text);
    return img;
  }

  async recognize(page: PreparedPage): Promise<OcrPage> {
    this.calls++;
    const text = this.texts.get(createHash("sha256").update(page.original).digest("hex")) ?? this.fallback;
    if (text === undefined) throw new Error("no recorded OCR for this image");
    return { ...pageFromText(text, page.pageNumber), width: page.width, height: page.height, engine: this.name };
  }
}

/** Typed minutes in the common template, with the figures a test wants to vary. */
export function minutesText(o: { date: string; present: number; total: number; absentExcused?: string[]; chair?: string }): string {
  const [y, m, d] = o.date.split("-");
  const excused = o.absentExcused ?? [];
  const absent = o.total - o.present;
  return [
    "ĐẢNG BỘ XÃ THANH BÌNH                    ĐẢNG CỘNG SẢN VIỆT NAM",
    "CHI BỘ THÔN ĐÔNG HÒA",
    `                                  Thanh Bình, ngày ${d} tháng ${m} năm ${y}`,
    "BIÊN BẢN",
    `SINH HOẠT CHI BỘ THƯỜNG KỲ THÁNG ${m}/${y}`,
    `Thời gian bắt đầu: 14 giờ 00, ngày ${d} tháng ${m} năm ${y}.`,
    "Địa điểm: Nhà văn hóa thôn Đông Hòa.",
    `Chủ trì: đồng chí ${o.chair ?? "Nguyễn Văn An"} – Bí thư chi bộ.`,
    "Thư ký: đồng chí Trần Thị Bình – Chi ủy viên.",
    `Tổng số đảng viên của chi bộ: ${o.total} đồng chí.`,
    `Có mặt: ${o.present} đồng chí.`,
    `Vắng: ${absent} đồng chí (có lý do: ${absent}; không lý do: 0).`,
    ...(excused.length ? [`Vắng có lý do: ${excused.map((n) => `đ/c ${n} (đi công tác)`).join(", ")}.`] : []),
    "Ý KIẾN THẢO LUẬN",
    "- Đồng chí Lê Văn Hùng: đề nghị chi bộ quan tâm hơn đến công tác vệ sinh môi trường.",
    "- Đồng chí Hoàng Thị Mai: nhất trí với báo cáo.",
    `Biểu quyết thông qua Nghị quyết: tán thành ${o.present}/${o.present} đồng chí, đạt 100%; không tán thành: 0; không biểu quyết: 0.`,
    "Buổi sinh hoạt kết thúc vào lúc 15 giờ 45 phút cùng ngày.",
    "Biên bản đã được đọc lại và nhất trí thông qua.",
    "THƯ KÝ                                        CHỦ TRÌ",
    "Trần Thị Bình                            Nguyễn Văn An",
  ].join("\n");
}
