/**
 * The TrueType fonts of the PDF report: Noto Serif (SIL OFL), which has every Vietnamese glyph
 * (the PDF standard fonts have none: "Đảng" would print as boxes). Looked up, in order:
 *  1. REPORT_FONT_DIR, a folder holding NotoSerif_400Regular.ttf and NotoSerif_700Bold.ttf;
 *  2. a `fonts/` folder beside this module, or beside the bundle in a Lambda package (the CDK
 *     bundling copies the two files there);
 *  3. the @expo-google-fonts/noto-serif package (local runs, tests).
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DependencyError } from "../errors.ts";

export const FONT_FILES = { regular: "NotoSerif_400Regular.ttf", bold: "NotoSerif_700Bold.ttf" } as const;

export interface FontPaths {
  regular: string;
  bold: string;
}

let cached: FontPaths | undefined;

function fromPackage(): FontPaths | null {
  try {
    const require = createRequire(import.meta.url);
    return {
      regular: require.resolve(`@expo-google-fonts/noto-serif/400Regular/${FONT_FILES.regular}`),
      bold: require.resolve(`@expo-google-fonts/noto-serif/700Bold/${FONT_FILES.bold}`),
    };
  } catch {
    return null;
  }
}

export function reportFonts(env: NodeJS.ProcessEnv = process.env): FontPaths {
  if (cached) return cached;
  const dirs = [env.REPORT_FONT_DIR, join(dirname(fileURLToPath(import.meta.url)), "fonts")].filter((d): d is string => Boolean(d));
  for (const dir of dirs) {
    const paths = { regular: join(dir, FONT_FILES.regular), bold: join(dir, FONT_FILES.bold) };
    if (existsSync(paths.regular) && existsSync(paths.bold)) return (cached = paths);
  }
  const pkg = fromPackage();
  if (pkg && existsSync(pkg.regular) && existsSync(pkg.bold)) return (cached = pkg);
  throw new DependencyError(
    "REPORT_FONT_MISSING",
    "Không tìm thấy phông chữ tiếng Việt (Noto Serif) để in báo cáo PDF. Đặt REPORT_FONT_DIR tới thư mục chứa các tệp .ttf.",
    "The Vietnamese font (Noto Serif) for the PDF report was not found. Set REPORT_FONT_DIR to a folder holding the .ttf files.",
  );
}
