/**
 * OcrPage: our own page model. Every OCR engine (Tesseract locally, Textract in AWS) maps its raw
 * output into this shape at the edge; the parser, the signature detector and confidence see
 * nothing else. Coordinates are fractions of the page (0..1, origin top-left) so that engines
 * working at different resolutions agree.
 */
import * as z from "zod";

export const BoxSchema = z.object({
  left: z.number(),
  top: z.number(),
  width: z.number(),
  height: z.number(),
});
export type Box = z.infer<typeof BoxSchema>;

export const OcrWordSchema = z.object({
  text: z.string(),
  box: BoxSchema,
  /** 0..1 */
  confidence: z.number().min(0).max(1),
});
export type OcrWord = z.infer<typeof OcrWordSchema>;

export const OcrLineSchema = z.object({
  text: z.string(),
  box: BoxSchema,
  confidence: z.number().min(0).max(1),
  words: z.array(OcrWordSchema),
});
export type OcrLine = z.infer<typeof OcrLineSchema>;

export const SignatureRegionSchema = z.object({
  box: BoxSchema,
  confidence: z.number().min(0).max(1),
  /** who found it: a Textract SIGNATURE block, or our own ink detector */
  source: z.enum(["textract", "ink"]),
});
export type SignatureRegion = z.infer<typeof SignatureRegionSchema>;

export const OcrPageSchema = z.object({
  /** 1-based position of the page within the meeting */
  pageNumber: z.number().int().min(1),
  /** pixel size of the image the engine read */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  lines: z.array(OcrLineSchema),
  signatures: z.array(SignatureRegionSchema).default([]),
  engine: z.string(),
});
export type OcrPage = z.infer<typeof OcrPageSchema>;

/** The plain text of pages, line by line, in reading order: what the text parser reads. */
export function pagesToText(pages: readonly OcrPage[]): string {
  return pages.map((p) => p.lines.map((l) => l.text).join("\n")).join("\n");
}
