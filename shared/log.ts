/**
 * Structured JSON logs on stderr. Only ids, sizes, timings and codes: never names, never OCR text,
 * never whole events (minutes name real people). Callers pass explicit fields; there is no way
 * to log an arbitrary object by accident.
 */
type Level = "debug" | "info" | "warn" | "error";
type Field = string | number | boolean | null | undefined;
const ORDER: Record<Level | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

const isLevel = (v: string | undefined): v is Level | "silent" => v !== undefined && Object.hasOwn(ORDER, v);
let threshold: number = ORDER[isLevel(process.env.LOG_LEVEL) ? process.env.LOG_LEVEL : "info"];

export function setLogLevel(level: Level | "silent"): void {
  threshold = ORDER[level];
}

export function log(level: Level, event: string, fields: Record<string, Field> = {}): void {
  if (ORDER[level] < threshold) return;
  process.stderr.write(`${JSON.stringify({ t: new Date().toISOString(), level, event, ...fields })}\n`);
}
