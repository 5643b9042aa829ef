/**
 * The organisation tree and members: create one by one (admin API, CLI) or import from CSV.
 * Depth is not fixed (province → district → commune → cell, or the shorter 2025 two-level model).
 *
 * CSV (UTF-8, header row; rows in order, parents before children):
 *   type,id,name,parent,status,exempt
 *   committee,tinh-mau,Đảng bộ tỉnh Mẫu,,,
 *   cell,cb-dong-hoa,Chi bộ thôn Đông Hòa,xa-thanh-binh,,
 *   member,dv-001,Nguyễn Văn An,cb-dong-hoa,official,false
 */
import { parse } from "csv-parse/sync";
import * as z from "zod";
import { InvalidInputError, NotFoundError } from "../errors.ts";
import type { DynamoStore } from "../store/dynamo-store.ts";
import { MemberSchema, OrgIdSchema, OrgKindSchema, type Member, type Org } from "../store/records.ts";

export const NewOrgSchema = z.object({
  id: OrgIdSchema,
  name: z.string().trim().min(1).max(300),
  kind: OrgKindSchema,
  parentId: OrgIdSchema.nullable(),
});
export type NewOrg = z.infer<typeof NewOrgSchema>;

export async function createOrg(store: DynamoStore, input: NewOrg): Promise<Org> {
  let path = input.id;
  if (input.parentId) {
    const parent = await store.getOrg(input.parentId);
    if (!parent) throw new NotFoundError({ vi: "tổ chức cấp trên", en: "Parent organisation" });
    if (parent.kind !== "committee") {
      throw new InvalidInputError("PARENT_IS_CELL", "Chi bộ không thể có tổ chức trực thuộc.", "A Party cell cannot have organisations under it.");
    }
    path = `${parent.path}/${input.id}`;
  }
  const existing = await store.getOrg(input.id);
  if (existing && (existing.parentId !== input.parentId || existing.kind !== input.kind)) {
    throw new InvalidInputError("ORG_EXISTS", `Mã tổ chức "${input.id}" đã được dùng.`, `Organisation id "${input.id}" is taken.`, 409);
  }
  const org: Org = { ...input, path };
  await store.putOrg(org);
  return org;
}

export async function addMember(store: DynamoStore, member: Member): Promise<Member> {
  const cell = await store.getOrg(member.cellId);
  if (!cell || cell.kind !== "cell") throw new NotFoundError({ vi: "chi bộ", en: "Party cell" });
  const m = MemberSchema.parse(member);
  await store.putMember(m);
  return m;
}

const CsvRow = z.object({
  type: z.enum(["committee", "cell", "member"]),
  id: z.string().trim(),
  name: z.string().trim(),
  parent: z.string().trim().optional().default(""),
  status: z.string().trim().optional().default(""),
  exempt: z.string().trim().optional().default(""),
});

export interface ImportResult {
  orgs: number;
  members: number;
}

/**
 * Imports a CSV. Every row is validated before anything is written, so a bad file changes
 * nothing; the error names the row. `allowed` says whether the importer may write under a parent.
 */
export async function importCsv(store: DynamoStore, csv: string, allowed: (parentPath: string | null) => boolean): Promise<ImportResult> {
  let records: unknown[];
  try {
    records = parse(csv.replace(/^\uFEFF/, ""), { columns: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch {
    throw new InvalidInputError("BAD_CSV", "Tệp CSV không đọc được.", "The CSV file cannot be read.");
  }
  if (records.length === 0) {
    throw new InvalidInputError("EMPTY_CSV", "Tệp CSV không có dòng nào (cần dòng tiêu đề type,id,name,parent,status,exempt).", "The CSV has no rows (a header type,id,name,parent,status,exempt is needed).");
  }
  const rows = records.map((r, i) => {
    const row = CsvRow.safeParse(r);
    if (!row.success) throw new InvalidInputError("BAD_CSV_ROW", `Dòng ${i + 2} của tệp CSV không hợp lệ.`, `CSV row ${i + 2} is invalid.`);
    return { ...row.data, line: i + 2 };
  });
  // validate everything first (ids, parents known or created earlier in the file, rights)
  const planned = new Map<string, Org>();
  const orgs: Org[] = [];
  const members: Member[] = [];
  for (const row of rows) {
    const bad = () => new InvalidInputError("BAD_CSV_ROW", `Dòng ${row.line} của tệp CSV không hợp lệ.`, `CSV row ${row.line} is invalid.`);
    if (row.type === "member") {
      const cell = planned.get(row.parent) ?? (await store.getOrg(row.parent));
      if (!cell || cell.kind !== "cell" || !allowed(cell.path)) throw bad();
      const m = MemberSchema.safeParse({
        cellId: row.parent,
        id: row.id,
        name: row.name,
        status: row.status || "official",
        exempt: /^(true|1|x|có|co)$/i.test(row.exempt),
      });
      if (!m.success) throw bad();
      members.push(m.data);
      continue;
    }
    const o = NewOrgSchema.safeParse({ id: row.id, name: row.name, kind: row.type, parentId: row.parent || null });
    if (!o.success) throw bad();
    const parent = o.data.parentId ? (planned.get(o.data.parentId) ?? (await store.getOrg(o.data.parentId))) : null;
    if (o.data.parentId && (!parent || parent.kind !== "committee")) throw bad();
    if (!allowed(parent?.path ?? null)) throw bad();
    const org: Org = { ...o.data, path: parent ? `${parent.path}/${o.data.id}` : o.data.id };
    planned.set(org.id, org);
    orgs.push(org);
  }
  for (const org of orgs) await store.putOrg(org);
  for (const m of members) await store.putMember(m);
  return { orgs: orgs.length, members: members.length };
}
