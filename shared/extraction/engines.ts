/** Picks the OcrEngine named by configuration or `--engine`. */
import { TextractClient } from "@aws-sdk/client-textract";
import { InvalidInputError } from "../errors.ts";
import type { OcrEngine } from "./engine.ts";
import { TesseractEngine } from "./tesseract.ts";
import { TextractEngine } from "./textract.ts";

export const ENGINE_NAMES = ["tesseract", "textract", "bedrock+textract"] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export function isEngineName(v: string): v is EngineName {
  return (ENGINE_NAMES as readonly string[]).includes(v);
}

export function createEngine(name: string, options: { timeoutMs?: number; textract?: TextractClient; region?: string } = {}): OcrEngine {
  switch (name) {
    case "tesseract":
      return new TesseractEngine({ timeoutMs: options.timeoutMs });
    case "textract":
      // the engine retries throttling itself; a retrying client would multiply the attempts
      return new TextractEngine({ client: options.textract ?? new TextractClient({ region: options.region, maxAttempts: 1 }) });
    case "bedrock+textract":
      throw new InvalidInputError(
        "NOT_AN_OCR_ENGINE",
        "bedrock+textract đọc cả biên bản chứ không từng trang: dùng createExtractor.",
        "bedrock+textract reads a whole meeting, not a page: use createExtractor.",
      );
    default:
      throw new InvalidInputError(
        "UNKNOWN_ENGINE",
        `Không có bộ đọc "${name.slice(0, 40)}". Chọn một trong: ${ENGINE_NAMES.join(", ")}.`,
        `Unknown engine "${name.slice(0, 40)}". Choose one of: ${ENGINE_NAMES.join(", ")}.`,
      );
  }
}
