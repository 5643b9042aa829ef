/**
 * `bienban <command>` (CONTRACT.md §1): JSON on stdout with --json, readable Vietnamese otherwise,
 * progress on stderr, a non-zero exit with a one-line reason on bad input.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import * as z from "zod";
import { loadConfig } from "../config.ts";
import { DEFAULT_RULE_SET, toRuleSetId, type RuleSetId } from "../criteria/index.ts";
import { BienbanError, InvalidInputError } from "../errors.ts";
import { createExtractor } from "../extraction/extractor.ts";
import { sniffImageType } from "../extraction/preprocess.ts";
import { recheck } from "../meetings/recheck.ts";
import { setLogLevel } from "../log.ts";
import { ExtractionDocumentSchema, MeetingSchema, type ExtractionDocument, type Meeting } from "../meeting/schema.ts";
import { formatSummary } from "./summary.ts";

const USAGE = `Cách dùng / Usage:
  bienban extract <ảnh-hoặc-pdf>... [--engine tesseract|textract|bedrock+textract] [--rules 12-HD-2018|42-HD-2025] [--json]
  bienban check <meeting.json> [--history <meetings.json>] [--rules ...] [--json]
  bienban serve [--port 3000] [--host 127.0.0.1]
  bienban report --org <id> --month YYYY-MM [--out <thư-mục>] [--rules ...] [--json]
  bienban org add --id <mã> --name <tên> --kind committee|cell [--parent <mã>]
  bienban org member --cell <mã> --id <mã> --name <họ tên> [--probationary] [--exempt]
  bienban org import <tệp.csv>        (type,id,name,parent,status,exempt)
  bienban org list
  bienban token --role admin|inspector|secretary --org <id> [--name <tên>]   (máy chạy thử / local only)`;

const err = (line: string) => process.stderr.write(`${line}\n`);

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "extract":
        return await extractCommand(rest);
      case "check":
        return await checkCommand(rest);
      case "serve":
        return await serveCommand(rest);
      case "token":
        return await tokenCommand(rest);
      case "org":
        return await orgCommand(rest);
      case "report": {
        const { reportCommand } = await import("../reports/cli.ts");
        return await reportCommand(rest, { config: loadConfig() });
      }
      case undefined:
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        err(`Lệnh không có: "${command.slice(0, 40)}". / Unknown command.`);
        err(USAGE);
        return 2;
    }
  } catch (e) {
    return fail(e);
  }
}

function fail(e: unknown): number {
  if (e instanceof BienbanError) {
    err(`Lỗi: ${e.messageVi} / Error: ${e.messageEn}`);
    return e.status >= 500 ? 3 : 2;
  }
  if (e instanceof TypeError && "code" in e && typeof e.code === "string" && e.code.startsWith("ERR_PARSE_ARGS")) {
    err(`Lỗi: tham số không hợp lệ (${e.message}). / Error: invalid arguments.`);
    err(USAGE);
    return 2;
  }
  if (e instanceof Error && "code" in e && e.code === "EADDRINUSE") {
    err("Lỗi: cổng đã có chương trình khác dùng; chọn cổng khác bằng --port hoặc PORT. / Error: the port is in use; choose another with --port or PORT.");
    return 2;
  }
  err(`Lỗi hệ thống: ${e instanceof Error ? e.name : "unknown"}. / Internal error.`);
  return 1;
}

function ruleSetOf(value: string | undefined): RuleSetId {
  return toRuleSetId(value ?? DEFAULT_RULE_SET);
}

async function readInput(path: string, what: { vi: string; en: string }): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch {
    throw new InvalidInputError("FILE_NOT_READABLE", `Không đọc được tệp ${what.vi}: ${path}`, `Cannot read the ${what.en} file: ${path}`);
  }
}

async function extractCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      engine: { type: "string", default: "tesseract" },
      rules: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  if (positionals.length === 0) throw new InvalidInputError("NO_PAGES", "Hãy nêu ít nhất một ảnh trang biên bản.", "Name at least one page image.");
  setLogLevel("warn");
  const ruleSet = ruleSetOf(values.rules);
  const config = loadConfig();
  const extractor = createExtractor(values.engine, {
    timeoutMs: config.OCR_TIMEOUT_MS,
    region: config.AWS_REGION,
    bedrockModelId: config.BEDROCK_MODEL_ID,
    bedrockRegion: config.BEDROCK_REGION,
  });
  const images: Buffer[] = [];
  for (const path of positionals) images.push(...(await loadPages(path)));
  // refuse what is not an image before any work starts
  images.forEach((img, i) => {
    const type = sniffImageType(img);
    if (type === null || type === "pdf") {
      throw new InvalidInputError("NOT_AN_IMAGE", `Trang ${i + 1} không phải là ảnh (JPEG, PNG, WebP, TIFF) hay PDF.`, `Page ${i + 1} is not an image (JPEG, PNG, WebP, TIFF) or a PDF.`, 415);
    }
  });
  const started = performance.now();
  const { document, cost } = await extractor.extract(images, {
    ruleSet,
    onProgress: (e) => err(`… ${e.stage}${e.page ? ` ${e.page}/${e.of}` : e.of ? ` (${e.of} trang / pages)` : ""}`),
  });
  err(`✓ ${images.length} trang / pages, ${((performance.now() - started) / 1000).toFixed(1)} s${cost ? `, ~${cost.usd.toFixed(4)} USD` : ""}`);
  print(document, values.json);
  return 0;
}

/** A PDF becomes its pages' images; anything else is passed on as one image. */
async function loadPages(path: string): Promise<Buffer[]> {
  const bytes = await readInput(path, { vi: "ảnh", en: "image" });
  if (bytes.subarray(0, 5).toString("latin1") === "%PDF-") {
    const { pdfToImages } = await import("../extraction/pdf.ts");
    return pdfToImages(bytes);
  }
  return [bytes];
}

const HistorySchema = z.array(z.union([ExtractionDocumentSchema.transform((d) => d.meeting), MeetingSchema]));

async function checkCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      history: { type: "string" },
      rules: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  const [path] = positionals;
  if (!path || positionals.length > 1) {
    throw new InvalidInputError("USAGE", "Hãy nêu đúng một tệp meeting.json.", "Name exactly one meeting.json file.");
  }
  const ruleSet = ruleSetOf(values.rules);
  const input = parseJsonFile(await readInput(path, { vi: "biên bản", en: "meeting" }), path);
  const base = readMeetingInput(input, path);
  let history: Meeting[] | undefined;
  if (values.history) {
    const h = HistorySchema.safeParse(parseJsonFile(await readInput(values.history, { vi: "lịch sử", en: "history" }), values.history));
    if (!h.success) throw new InvalidInputError("INVALID_HISTORY", "Tệp --history phải là mảng JSON các biên bản.", "--history must be a JSON array of meetings.");
    history = h.data;
  }
  print(recheck(base, { ruleSet, history }), values.json);
  return 0;
}

/** A whole extraction document (keeps its confidence and review) or a bare meeting object. */
function readMeetingInput(input: unknown, path: string): { meeting: Meeting; confidence?: Record<string, number>; review?: { fields: string[] } } {
  const doc = ExtractionDocumentSchema.safeParse(input);
  if (doc.success) return doc.data;
  const meeting = MeetingSchema.safeParse(input);
  if (meeting.success) return { meeting: meeting.data };
  const issues = meeting.error.issues.slice(0, 5).map((i) => i.path.join(".") || "(gốc)").join(", ");
  throw new InvalidInputError("INVALID_MEETING", `Tệp ${path} không đúng mẫu biên bản (trường: ${issues}).`, `${path} is not a meeting record (fields: ${issues}).`);
}

function parseJsonFile(bytes: Buffer, path: string): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new InvalidInputError("INVALID_JSON", `Tệp ${path} không phải JSON hợp lệ.`, `${path} is not valid JSON.`);
  }
}

async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: "string" }, host: { type: "string" } } });
  const config = loadConfig({ ...process.env, ...(values.port ? { PORT: values.port } : {}), ...(values.host ? { HOST: values.host } : {}) });
  if (config.HOST !== "127.0.0.1" && config.HOST !== "localhost") {
    err("Cảnh báo: máy chủ chạy thử mở cho cả mạng; trang đăng nhập thử cho phép chọn bất kỳ vai trò nào. / Warning: the development server is open to the network and its sign-in lets anyone pick any role.");
  }
  const { startLocal } = await import("../local/start.ts");
  const started = performance.now();
  const running = await startLocal(config, err);
  err(`bienban đang chạy tại / is running at ${running.url}  (${((performance.now() - started) / 1000).toFixed(1)} s; Ctrl-C để dừng / to stop)`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      err("Đang dừng… / Stopping…");
      void running.stop().then(resolve, resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}

function print(document: ExtractionDocument, json: boolean | undefined): void {
  process.stdout.write(json ? `${JSON.stringify(document, null, 2)}\n` : formatSummary(document));
}

async function tokenCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { role: { type: "string" }, org: { type: "string" }, name: { type: "string", default: "dev" } } });
  const { DevTokenAuthenticator, PrincipalSchema } = await import("../auth/auth.ts");
  const p = PrincipalSchema.safeParse({ sub: values.name, role: values.role, orgId: values.org });
  if (!p.success) {
    throw new InvalidInputError("USAGE", "Cần --role (admin, inspector, secretary) và --org <mã tổ chức>.", "Give --role (admin, inspector, secretary) and --org <organisation id>.");
  }
  const config = loadConfig();
  process.stdout.write(`${await DevTokenAuthenticator.fromDataDir(config.DATA_DIR).issue(p.data)}\n`);
  return 0;
}

/** Organisation tree and members on the local stack (the same use cases as the admin API). */
async function orgCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      id: { type: "string" },
      name: { type: "string" },
      kind: { type: "string" },
      parent: { type: "string" },
      cell: { type: "string" },
      probationary: { type: "boolean", default: false },
      exempt: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
  });
  const config = loadConfig();
  const { openLocalStack } = await import("../local/stack.ts");
  const { createOrg, addMember, importCsv, NewOrgSchema } = await import("../orgs/manage.ts");
  const { MemberSchema } = await import("../store/records.ts");
  const stack = await openLocalStack({ dataDir: config.DATA_DIR, tableName: config.TABLE_NAME });
  try {
    const out = (v: unknown, text: string) => process.stdout.write(values.json ? `${JSON.stringify(v, null, 2)}\n` : `${text}\n`);
    switch (sub) {
      case "add": {
        const input = NewOrgSchema.safeParse({ id: values.id, name: values.name, kind: values.kind, parentId: values.parent ?? null });
        if (!input.success) throw new InvalidInputError("USAGE", "Cần --id, --name, --kind committee|cell (và --parent).", "Give --id, --name, --kind committee|cell (and --parent).");
        const org = await createOrg(stack.store, input.data);
        out(org, `Đã tạo ${org.name} (${org.path})`);
        return 0;
      }
      case "member": {
        const m = MemberSchema.safeParse({ cellId: values.cell, id: values.id, name: values.name, status: values.probationary ? "probationary" : "official", exempt: values.exempt });
        if (!m.success) throw new InvalidInputError("USAGE", "Cần --cell, --id và --name.", "Give --cell, --id and --name.");
        const member = await addMember(stack.store, m.data);
        out(member, `Đã thêm đảng viên ${member.id} vào ${member.cellId}`);
        return 0;
      }
      case "import": {
        const [file] = positionals;
        if (!file) throw new InvalidInputError("USAGE", "Hãy nêu tệp CSV.", "Name the CSV file.");
        const result = await importCsv(stack.store, (await readInput(file, { vi: "CSV", en: "CSV" })).toString("utf8"), () => true);
        out(result, `Đã nhập ${result.orgs} tổ chức, ${result.members} đảng viên.`);
        return 0;
      }
      case "list": {
        const orgs = await stack.store.listSubtree(null);
        out(orgs, orgs.map((o) => `${"  ".repeat(o.path.split("/").length - 1)}${o.id}  ${o.name}${o.kind === "cell" ? "" : " /"}`).join("\n"));
        return 0;
      }
      default:
        throw new InvalidInputError("USAGE", "Dùng: bienban org add|member|import|list", "Use: bienban org add|member|import|list");
    }
  } finally {
    await stack.stop();
  }
}
