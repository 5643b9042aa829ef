/**
 * Named errors, mapped to HTTP status and CLI exit once (shared/api/app.ts onError, shared/cli).
 * Every error a person can see carries its message in Vietnamese first and in English.
 * Messages never contain OCR text or people's names (they may end up in logs).
 */
export class BienbanError extends Error {
  constructor(
    /** stable machine code, e.g. "NOT_AN_IMAGE" */
    readonly code: string,
    /** HTTP status this maps to */
    readonly status: number,
    readonly messageVi: string,
    readonly messageEn: string,
    options?: { cause?: unknown },
  ) {
    super(`${messageVi} / ${messageEn}`, options);
    this.name = new.target.name;
  }
}

/** The input is not acceptable (bad file, bad JSON, wrong field): 400 / 413 / 415. */
export class InvalidInputError extends BienbanError {
  constructor(code: string, messageVi: string, messageEn: string, status = 400, options?: { cause?: unknown }) {
    super(code, status, messageVi, messageEn, options);
  }
}

export class NotFoundError extends BienbanError {
  constructor(what: { vi: string; en: string }) {
    super("NOT_FOUND", 404, `Không tìm thấy ${what.vi}.`, `${what.en} not found.`);
  }
}

/** A required local dependency (Tesseract, Java) is missing or broken. */
export class DependencyError extends BienbanError {
  constructor(code: string, messageVi: string, messageEn: string, options?: { cause?: unknown }) {
    super(code, 503, messageVi, messageEn, options);
  }
}

/** The OCR engine failed or took longer than its per-page limit. */
export class OcrError extends BienbanError {
  constructor(code: string, messageVi: string, messageEn: string, options?: { cause?: unknown }) {
    super(code, 502, messageVi, messageEn, options);
  }
}
