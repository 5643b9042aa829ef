/**
 * sharp (libvips) is loaded on first use, never at module load: it is a native module that the
 * Lambda bundles keep external, so code that merely imports the extraction modules (the API, the
 * report) must not need it. Locally it is a dependency and always there.
 */
import type SharpType from "sharp";
import { DependencyError } from "../errors.ts";

let loaded: typeof SharpType | undefined;

export async function loadSharp(): Promise<typeof SharpType> {
  if (loaded) return loaded;
  try {
    loaded = (await import("sharp")).default;
    return loaded;
  } catch (cause) {
    throw new DependencyError(
      "IMAGE_LIBRARY_MISSING",
      "Thiếu thư viện xử lý ảnh sharp; hãy chạy lại npm ci.",
      "The image library sharp is missing; run npm ci again.",
      { cause },
    );
  }
}
