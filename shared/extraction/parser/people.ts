/**
 * Chair, minute-taker and the superior committee members who attended.
 */
import type { DocLine } from "./document.ts";
import { spanConfidence } from "./document.ts";
import { CERTAINTY, type Findings } from "./findings.ts";
import { findLabel, valueStart } from "./labels.ts";
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

// A role label at the start of a line and followed by ":" / "-" / "là" — so that "Đồng chí chủ trì
// kết luận" and the signature headings ("THƯ KÝ   CHỦ TRÌ") are not mistaken for it.
const CHAIR = /^[\s\-+•*.]*(?:\d[.)]\s*)?(chu tri|chu toa)(\s+(hoi nghi|cuoc hop|buoi sinh hoat|buoi hop|ky hop))?\s*(:|-|–|\bla\b)/;
const SECRETARY =
  /^[\s\-+•*.]*(?:\d[.)]\s*)?(thu ky|nguoi ghi bien ban|ghi bien ban|thu ky ghi bien ban)(\s+(hoi nghi|cuoc hop|buoi sinh hoat|buoi hop))?\s*(:|-|–|\bla\b)/;

export function readRoles(lines: readonly DocLine[], members: readonly string[] | undefined, findings: Findings): { chair: string | null; secretary: string | null } {
  return {
    chair: readRole(lines, { exact: CHAIR, fuzzy: ["chu tri hoi nghi:"] }, "chair", members, findings),
    secretary: readRole(lines, { exact: SECRETARY, fuzzy: ["nguoi ghi bien ban:", "thu ky hoi nghi:"] }, "secretary", members, findings),
  };
}

function readRole(
  lines: readonly DocLine[],
  spec: { exact: RegExp; fuzzy: readonly string[] },
  path: string,
  members: readonly string[] | undefined,
  findings: Findings,
): string | null {
  // Approximate labels only on lines with a colon: the signature headings have none.
  const hits = findLabel(lines, { ...spec, unless: /^[^:]*$/ });
  const hit = hits[0];
  if (!hit) return null;
  const from = valueStart(hit.line, hit.end);
  const p = personAt(hit.line, from, members, hit.certainty);
  if (!p) {
    findings.unreadable(path);
    return null;
  }
  findings.read(path, p.confidence);
  return p.name;
}

const SUPERIOR = /(cap uy cap tren|dai bieu cap tren|cap tren du|du va chi dao|dai dien dang uy|thuong truc dang uy|dang uy vien.{0,20}\bdu\b)/;

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
