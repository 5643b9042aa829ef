/**
 * Chair, minute-taker and the superior committee members who attended.
 */
import type { DocLine } from "./document.ts";
import { spanConfidence } from "./document.ts";
import { CERTAINTY, type Findings } from "./findings.ts";
import { findLabel, valueStart } from "./labels.ts";
import { isReadableAfter } from "./quality.ts";
import { namesAfterHonorifics, readName, restoreName, splitList } from "./names.ts";

/** A name read from a line, restored against the member list, with its confidence. */
export interface PersonRead {
  name: string;
  confidence: number;
}

export function personAt(line: DocLine, from: number, members: readonly string[] | undefined, certainty = 1): PersonRead | null {
  const r = readName(line.text.slice(from));
  if (!r) return null;
  const conf = spanConfidence(line, from, from + r.end) * certainty;
  return finishName(r.name, r.partial, conf, members);
}

export function finishName(raw: string, partial: boolean, conf: number, members: readonly string[] | undefined): PersonRead {
  const restored = restoreName(raw, members);
  if (restored.matched) {
    return { name: restored.name, confidence: restored.restored ? Math.max(conf * CERTAINTY.restoredName, partial ? 0.6 : 0) : conf };
  }
  return { name: raw, confidence: partial ? conf * CERTAINTY.partialName : conf };
}

// A role label opening a clause (the line, or after ";" / ". ") and followed by ":" / "-" / "là" —
// so that "Đồng chí chủ trì kết luận" and the signature headings ("THƯ KÝ   CHỦ TRÌ") are not
// mistaken for it. "Chủ trì: đ/c A; thư ký: đ/c B." holds both.
const CLAUSE_START = String.raw`(?:^[\s\-+•*.]*(?:\d[.)]\s*)?|[;.]\s*)`;
const CHAIR = new RegExp(
  CLAUSE_START + String.raw`((nguoi |dong chi )?(chu tri|chu toa)(\s+(hoi nghi|cuoc hop|buoi sinh hoat|buoi hop|ky hop))?\s*(:|-|–|\bla\b))`,
);
const SECRETARY = new RegExp(
  CLAUSE_START +
    String.raw`((nguoi |dong chi )?(thu ky ghi bien ban|thu ky|ghi bien ban)(\s+(hoi nghi|cuoc hop|buoi sinh hoat|buoi hop))?\s*(:|-|–|\bla\b))`,
);
/** The role said after the name: "Đồng chí X – Bí thư chi bộ chủ trì.", "đ/c Y ghi biên bản", "đ/c Z làm thư ký". */
const CHAIR_AFTER = /(?:^|\s)(?:lam\s+)?(chu tri|chu toa)(\s+(hoi nghi|cuoc hop|buoi sinh hoat|buoi hop))?\s*([.;,]|$)/;
const SECRETARY_AFTER = /(?:^|\s)(?:lam\s+)?(thu ky|ghi bien ban|ghi chep bien ban)(\s+(hoi nghi|cuoc hop|buoi sinh hoat|buoi hop))?\s*([.;,]|$)/;

export function readRoles(lines: readonly DocLine[], members: readonly string[] | undefined, findings: Findings): { chair: string | null; secretary: string | null } {
  return {
    chair: readRole(lines, { exact: CHAIR, fuzzy: ["chu tri hoi nghi:"] }, CHAIR_AFTER, "chair", members, findings),
    secretary: readRole(lines, { exact: SECRETARY, fuzzy: ["nguoi ghi bien ban:", "thu ky hoi nghi:"] }, SECRETARY_AFTER, "secretary", members, findings),
  };
}

function readRole(
  lines: readonly DocLine[],
  spec: { exact: RegExp; fuzzy: readonly string[] },
  after: RegExp,
  path: string,
  members: readonly string[] | undefined,
  findings: Findings,
): string | null {
  // Approximate labels only on lines with a colon: the signature headings have none.
  const hits = findLabel(lines, { ...spec, unless: /^[^:]*$/ });
  const hit = hits[0];
  if (hit) {
    const from = valueStart(hit.line, hit.end);
    const p = personAt(hit.line, from, members, hit.certainty);
    if (p) {
      findings.read(path, p.confidence);
      return p.name;
    }
  }
  // The role after the name, in the same clause.
  for (const line of lines) {
    const m = after.exec(line.numeric);
    if (!m) continue;
    const clauseStart = Math.max(line.numeric.lastIndexOf(";", m.index), line.numeric.lastIndexOf(". ", m.index), -1) + 1;
    const named = namesAfterHonorifics(line.text.slice(clauseStart, m.index + 1)).at(-1);
    if (!named || named.partial) continue;
    const at = clauseStart + named.start;
    const p = finishName(named.name, named.partial, spanConfidence(line, at, clauseStart + named.end), members);
    findings.read(path, p.confidence);
    return p.name;
  }
  if (hit) findings.labelWithoutValue(path, isReadableAfter(hit.line, hit.end));
  return null;
}

const SUPERIOR =
  /(cap uy cap tren|dai bieu cap tren|cap tren du|du va chi dao|dai dien dang uy|thuong truc dang uy|dang uy vien.{0,20}\bdu\b|(^|[\s\-+.*;])(du hop|den du|tham du|moi du)\s*(co|:)[^.;]{0,80}(dang uy|huyen uy|thanh uy|tinh uy|quan uy|thi uy|cap uy|ban thuong vu|cap tren))/;

export function readSuperiors(lines: readonly DocLine[], members: readonly string[] | undefined, findings: Findings): string[] {
  const out: string[] = [];
  let conf = 1;
  let labelled = false;
  for (const hit of findLabel(lines, { exact: SUPERIOR })) {
    labelled = true;
    const line = hit.line;
    const found = namesAfterHonorifics(line.text);
    if (found.length > 0) {
      for (const f of found) {
        const p = finishName(f.name, f.partial, spanConfidence(line, f.start, f.end), members);
        if (!out.includes(p.name)) out.push(p.name);
        conf = Math.min(conf, p.confidence);
      }
      continue;
    }
    // "Cấp ủy cấp trên dự: Nguyễn Văn A, Trần Văn B" without honorifics
    const colon = line.text.indexOf(":");
    if (colon < 0) continue;
    for (const part of splitList(line.text.slice(colon + 1))) {
      const r = readName(part.part);
      if (!r || r.partial) continue;
      const p = finishName(r.name, r.partial, spanConfidence(line, colon + 1 + part.offset, colon + 1 + part.offset + r.end), members);
      if (!out.includes(p.name)) out.push(p.name);
      conf = Math.min(conf, p.confidence);
    }
  }
  if (out.length > 0) findings.read("superiorAttendees", conf);
  else if (labelled && lines.some((l) => SUPERIOR.test(l.numeric) && /:\s*\S/.test(l.numeric) && !/:\s*(khong|0)\b/.test(l.numeric))) {
    findings.unreadable("superiorAttendees");
  }
  return out;
}
