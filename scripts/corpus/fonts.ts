/**
 * Fonts with full Vietnamese coverage, shipped as TTF inside npm dev dependencies so that a fresh
 * `npm ci` is enough (no system font package needed). Fontsource's packages are not usable here:
 * they ship WOFF/WOFF2 subsets, which the FreeType/Pango inside sharp does not load, and splitting
 * a face into subsets breaks stacked diacritics (ệ, ổ) across font boundaries.
 */
import { createRequire } from "node:module";
import sharp from "sharp";
import { DependencyError } from "../../shared/errors.ts";

const require = createRequire(import.meta.url);

export interface FontFace {
  /** Pango family name, as in the TTF's name table */
  family: string;
  files: string[];
}

function resolveTtf(spec: string): string {
  try {
    return require.resolve(spec);
  } catch (cause) {
    throw new DependencyError(
      "CORPUS_FONT_MISSING",
      `Thiếu phông chữ cho bộ sinh mẫu (${spec}); hãy chạy npm ci.`,
      `Font for the sample generator is missing (${spec}); run npm ci.`,
      { cause },
    );
  }
}

export type FontId = "serif" | "hand-print" | "hand-script";

const SPECS: Record<FontId, { family: string; files: string[] }> = {
  serif: {
    family: "Noto Serif",
    files: [
      "@expo-google-fonts/noto-serif/400Regular/NotoSerif_400Regular.ttf",
      "@expo-google-fonts/noto-serif/700Bold/NotoSerif_700Bold.ttf",
      "@expo-google-fonts/noto-serif/400Regular_Italic/NotoSerif_400Regular_Italic.ttf",
    ],
  },
  "hand-print": { family: "Patrick Hand", files: ["@expo-google-fonts/patrick-hand/400Regular/PatrickHand_400Regular.ttf"] },
  "hand-script": { family: "Dancing Script", files: ["@expo-google-fonts/dancing-script/400Regular/DancingScript_400Regular.ttf"] },
};

const registered = new Map<FontId, Promise<FontFace>>();

/**
 * Resolves a face and registers its files with the fontconfig inside sharp (libvips registers a
 * `fontfile` once per process; later renders find the family by name).
 */
export function loadFont(id: FontId): Promise<FontFace> {
  let p = registered.get(id);
  if (!p) {
    const spec = SPECS[id];
    p = (async () => {
      const files = spec.files.map(resolveTtf);
      for (const fontfile of files) await sharp({ text: { text: "x", font: spec.family, fontfile } }).raw().toBuffer();
      return { family: spec.family, files };
    })();
    registered.set(id, p);
  }
  return p;
}
