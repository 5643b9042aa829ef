/**
 * Local set-up: makes sure Tesseract with Vietnamese is there. Installs it with apt-get when this
 * process may (root, apt-get present); otherwise stops with one clear sentence saying what to do.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { DependencyError } from "../errors.ts";
import { checkTesseract } from "../extraction/tesseract.ts";

export const TESSERACT_PACKAGES = ["tesseract-ocr", "tesseract-ocr-vie"] as const;

function run(cmd: string, args: string[]): Promise<number> {
  return new Promise((res) => {
    const p = spawn(cmd, args, { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    p.on("error", () => res(127));
    p.on("exit", (code) => res(code ?? 1));
  });
}

export async function ensureTesseract(options: { install?: boolean; say?: (line: string) => void } = {}): Promise<string> {
  const say = options.say ?? ((l: string) => process.stderr.write(`${l}\n`));
  const first = await checkTesseract();
  if (first.ok) return first.version;
  const mayInstall = (options.install ?? true) && process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
  if (mayInstall) {
    say(`Đang cài Tesseract tiếng Việt (${TESSERACT_PACKAGES.join(", ")})… / Installing Tesseract with Vietnamese…`);
    const updated = await run("apt-get", ["update", "-q"]);
    const installed = updated === 0 ? await run("apt-get", ["install", "-y", "-q", ...TESSERACT_PACKAGES]) : updated;
    const second = await checkTesseract();
    if (installed === 0 && second.ok) return second.version;
  }
  const what = first.reason === "NO_VIETNAMESE" ? "tesseract-ocr-vie" : TESSERACT_PACKAGES.join(" ");
  throw new DependencyError(
    "TESSERACT_MISSING",
    `Thiếu Tesseract với tiếng Việt: hãy cài bằng lệnh "sudo apt-get install ${what}" (hoặc gói tương đương của hệ điều hành) rồi chạy lại.`,
    `Tesseract with Vietnamese is missing: install it with "sudo apt-get install ${what}" (or your OS's equivalent packages) and run again.`,
  );
}
