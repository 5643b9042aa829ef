/**
 * A PDF of minutes (scanned or printed) → one PNG per page, with poppler's pdftoppm (Debian
 * package poppler-utils), so that the same image pipeline reads it. Locally only: in AWS, PDFs go
 * to Textract's asynchronous API instead.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DependencyError, InvalidInputError } from "../errors.ts";

export const MAX_PDF_PAGES = 20;
const DPI = 200;

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "ignore"] });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(
        "code" in err && err.code === "ENOENT"
          ? new DependencyError("PDF_TOOLS_MISSING", "Thiếu công cụ đọc PDF: hãy cài poppler-utils.", "PDF tools missing: install poppler-utils.")
          : err,
      );
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout });
    });
  });
}

export async function pdfToImages(pdf: Buffer, maxPages = MAX_PDF_PAGES): Promise<Buffer[]> {
  const dir = await mkdtemp(join(tmpdir(), "bienban-pdf-"));
  try {
    const file = join(dir, "in.pdf");
    await writeFile(file, pdf);
    const info = await run("pdfinfo", [file], 30_000);
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info.stdout)?.[1] ?? NaN);
    if (info.code !== 0 || !Number.isInteger(pages) || pages < 1) {
      throw new InvalidInputError("NOT_A_PDF", "Tệp PDF bị hỏng hoặc không đọc được.", "The PDF is damaged or unreadable.", 415);
    }
    if (pages > maxPages) {
      throw new InvalidInputError("TOO_MANY_PAGES", `PDF có ${pages} trang; tối đa ${maxPages} trang cho một cuộc họp.`, `The PDF has ${pages} pages; at most ${maxPages} per meeting.`, 413);
    }
    const out = await run("pdftoppm", ["-r", String(DPI), "-png", "-l", String(maxPages), file, join(dir, "p")], 120_000);
    if (out.code !== 0) throw new InvalidInputError("NOT_A_PDF", "Không chuyển được PDF thành ảnh.", "The PDF could not be turned into images.", 415);
    const files = (await readdir(dir)).filter((f) => /^p-\d+\.png$/.test(f)).sort((a, b) => Number(a.match(/\d+/)?.[0]) - Number(b.match(/\d+/)?.[0]));
    return Promise.all(files.map((f) => readFile(join(dir, f))));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
