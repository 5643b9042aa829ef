/**
 * Attendance: total, exempt, present, absent with and without reason, and who was absent.
 * Counts may be digits, OCR-damaged digits ("l6") or words ("mười sáu").
 */
import type { Absentee, Attendance } from "../../meeting/schema.ts";
import type { DocLine } from "./document.ts";
import { spanConfidence, spanRepaired } from "./document.ts";
import { CERTAINTY, type Findings } from "./findings.ts";
import { findLabel, type LabelHit } from "./labels.ts";
import { readAbsentees } from "./absentees.ts";
import { countFiguresGarbled, countSlotGarbled, isReadableAfter } from "./quality.ts";
import { readName, splitList } from "./names.ts";
import { finishName } from "./people.ts";
import { readCountAt } from "./text.ts";

const VOTE_LINE = /bieu quyet|tan thanh|nhat tri|thong qua/;

interface CountRead {
  value: number | null;
  confidence: number;
  /** index after the count (or after the label when no count) */
  end: number;
  labelled: boolean;
}

function countAfter(hit: LabelHit, allowColonSkip = true): CountRead {
  const line = hit.line;
  let c = readCountAt(line.numeric, hit.end, line.text);
  if (!c && allowColonSkip && slotStart(hit) !== hit.end) c = readCountAt(line.numeric, slotStart(hit), line.text);
  if (!c) return { value: null, confidence: 0, end: hit.end, labelled: true };
  const startOfValue = hit.end;
  let certainty = hit.certainty;
  if (spanRepaired(line, startOfValue, c.end)) certainty *= CERTAINTY.repairedDigits;
  else if (c.fromWords) certainty *= CERTAINTY.numberWords;
  return { value: c.value, confidence: spanConfidence(line, startOfValue, c.end) * certainty, end: c.end, labelled: true };
}

const TOTAL =
  /(tong so\s*(dang vien|dv)?(\s*(cua|trong)?\s*chi bo)?(\s*(hien co|co|la))?|so (dang vien|dv) (cua|trong) chi bo|dang vien (cua|trong) chi bo|chi bo (hien )?co(?=\s*\S+(\s+\S+){0,3}\s*(dang vien|dv|dong chi)))/;
const PRESENT_OF_TOTAL = /(tham du|co mat|du hop|du sinh hoat)\s*\/\s*tong so[^:]{0,40}:\s*/;
const OFFICIAL = /chinh thuc\s*:?/;
const PROBATIONARY = /du bi\s*:?/;
const EXEMPT = /(mien|mien\s+sinh)\s*(sinh hoat|sh)(\s*(dang|chi bo))?/;
const PRESENT = /((so\s*)?(dang vien|dong chi|dv)\s*)?(co mat|du hop|tham du)|dang vien du\b(?!\s*bi)|so dong chi du\b(?!\s*bi)/;
const UNEXCUSED = /(vang\s*(mat)?\s*)?khong\s*(co\s*)?(ly|li)\s*do/;
const EXCUSED = /(vang\s*(mat)?\s*)?co\s*(ly|li)\s*do/;
const ABSENT = /(^|[\s\-+.;(])vang(\s*mat)?(?!\s*(co|khong)\s*(ly|li))/;

export function readAttendance(lines: readonly DocLine[], members: readonly string[] | undefined, findings: Findings): Attendance {
  const body = lines.filter((l) => !VOTE_LINE.test(l.numeric));

  // total
  // "Số đảng viên tham dự/tổng số đảng viên của chi bộ: 12/14": both counts after one label
  const pair = findLabel(body, { exact: PRESENT_OF_TOTAL })[0];
  const pairCounts = pair ? /^(\d{1,4})\s*\/\s*(\d{1,4})(?!\d)/.exec(pair.line.numeric.slice(pair.end)) : null;
  const pairConf = pair && pairCounts ? spanConfidence(pair.line, pair.end, pair.end + pairCounts[0].length) * pair.certainty : 0;

  let total: number | null = null;
  const totalHit = pairCounts ? pair : findLabel(body, { exact: TOTAL, fuzzy: ["tong so dang vien"] })[0];
  let totalConf = 0;
  if (pairCounts) {
    total = Number(pairCounts[2]);
    totalConf = pairConf;
  } else if (totalHit) {
    const c = countAfter(totalHit);
    total = c.value;
    totalConf = c.confidence;
  }
  // official + probationary, in parentheses or on their own: a check on the total, and the total
  // itself when none is written or what is written is not a count ("4u đ/c (chính thức 12, dự bị 2)")
  const offHit = findLabel(body, { exact: OFFICIAL })[0];
  const probHit = findLabel(body, { exact: PROBATIONARY })[0];
  const official = offHit ? countAfter(offHit, false).value : null;
  const probationary = probHit ? countAfter(probHit, false).value : null;
  const totalGarbled = totalHit !== undefined && !pairCounts && (total === null ? countSlotGarbled(totalHit.line, slotStart(totalHit)) : countFiguresGarbled(totalHit.line, slotStart(totalHit)));
  if (total !== null && !totalGarbled && official !== null && probationary !== null && official + probationary !== total) {
    totalConf *= CERTAINTY.inconsistent;
  }
  if ((total === null || totalGarbled) && official !== null && probationary !== null) {
    total = official + probationary;
    totalConf = Math.min(offHit?.line.confidence ?? 1, probHit?.line.confidence ?? 1) * CERTAINTY.derived;
  }

  // exempt: 0 unless mentioned
  let exempt = 0;
  const exHit = findLabel(body, { exact: EXEMPT, fuzzy: ["mien sinh hoat"] })[0];
  let exemptConf = 1;
  let exemptRead = false;
  if (exHit) {
    let c = countAfter(exHit);
    if (c.value === null) c = countBefore(exHit);
    if (c.value !== null) {
      exempt = c.value;
      exemptConf = c.confidence;
      exemptRead = true;
    } else if (!/mien sinh hoat\s*[.,;]?\s*$/.test(exHit.line.numeric)) {
      findings.unreadable("attendance.exempt");
    }
  }

  // present
  let present: number | null = null;
  let presentConf = 0;
  const presHit = pairCounts ? pair : findLabel(body, { exact: PRESENT, fuzzy: ["co mat"] })[0];
  if (pairCounts) {
    present = Number(pairCounts[1]);
    presentConf = pairConf;
  } else if (presHit) {
    let c = countAfter(presHit);
    if (c.value === null) c = countBefore(presHit);
    present = c.value;
    presentConf = c.confidence;
    // "Có mặt 15/17 đ/c": present out of the members
    const of = present !== null && total === null ? /^\s*\/\s*(\d{1,4})(?!\d)/.exec(presHit.line.numeric.slice(c.end)) : null;
    if (of?.[1] !== undefined && Number(of[1]) >= (present ?? 0)) {
      total = Number(of[1]);
      totalConf = presentConf * CERTAINTY.derived;
    }
  }

  // absences
  const excused = absenceRead(body, EXCUSED, ["vang co ly do", "vang mat co ly do"], true, members, UNEXCUSED);
  const unexcused = absenceRead(body, UNEXCUSED, ["vang khong ly do", "vang mat khong ly do"], false, members, null);
  const absentAll = (() => {
    const hit = findLabel(body, { exact: ABSENT })[0];
    if (!hit) return null;
    const c = readCountAt(hit.line.numeric, hit.end, hit.line.text);
    return c ? { value: c.value, confidence: spanConfidence(hit.line, hit.end, c.end) * hit.certainty } : null;
  })();

  // who: read once from the absence sentences (the per-label lists above are a fallback)
  const who = readAbsentees(body, members);
  const listed = who.names.length > 0 ? who.names : [...excused.names, ...unexcused.names];
  const listedConf = who.names.length > 0 ? who.confidence : Math.min(excused.namesConf, unexcused.namesConf);
  const listedExcused = listed.filter((a) => a.excused).length;
  const listedUnexcused = listed.filter((a) => !a.excused).length;

  let absentExcused = excused.count;
  let absentUnexcused = unexcused.count;
  let excConf = excused.confidence;
  let unexcConf = unexcused.confidence;
  if (absentExcused === null && listedExcused > 0) {
    absentExcused = listedExcused;
    excConf = listedConf * CERTAINTY.derived;
  }
  if (absentUnexcused === null && listedUnexcused > 0) {
    absentUnexcused = listedUnexcused;
    unexcConf = listedConf * CERTAINTY.derived;
  }
  // "không có đồng chí nào vắng mặt": nobody absent
  const nobody = body.find((l) => /khong (co )?(dong chi|dang vien|ai|d\/c)( nao)? vang|khong ai vang|vang\s*(mat)?\s*:?\s*khong\s*(co\s*)?(dong chi|ai)?\s*[.;,]/.test(l.numeric));
  if (nobody && absentExcused === null && absentUnexcused === null && absentAll === null) {
    const c = nobody.confidence * CERTAINTY.numberWords;
    [absentExcused, excConf, absentUnexcused, unexcConf] = [0, c, 0, c];
  }
  if (absentAll !== null) {
    if (absentAll.value === 0) {
      if (absentExcused === null) [absentExcused, excConf] = [0, absentAll.confidence];
      if (absentUnexcused === null) [absentUnexcused, unexcConf] = [0, absentAll.confidence];
    } else if (absentExcused === null && absentUnexcused !== null && absentAll.value >= absentUnexcused) {
      absentExcused = absentAll.value - absentUnexcused;
      excConf = Math.min(absentAll.confidence, unexcConf) * CERTAINTY.derived;
    } else if (absentUnexcused === null && absentExcused !== null && absentAll.value >= absentExcused) {
      absentUnexcused = absentAll.value - absentExcused;
      unexcConf = Math.min(absentAll.confidence, excConf) * CERTAINTY.derived;
    }
  }

  // present + absent = total − exempt: figures that disagree are worth a look
  if (total !== null && present !== null && absentExcused !== null && absentUnexcused !== null) {
    if (present + absentExcused + absentUnexcused !== total - exempt) {
      const k = 0.75;
      totalConf *= k;
      presentConf *= k;
      excConf *= k;
      unexcConf *= k;
    }
  }

  // More present than members: one of the two counts was misread (a person looks at both)
  if (total !== null && present !== null && present > total) {
    totalConf *= CERTAINTY.inconsistent;
    presentConf *= CERTAINTY.inconsistent;
  }
  const slotReadable = (hit: LabelHit | undefined) => hit === undefined || (isReadableAfter(hit.line, hit.end) && !countSlotGarbled(hit.line, slotStart(hit)));
  record(findings, "attendance.total", total, totalConf, totalHit !== undefined, slotReadable(totalHit));
  record(findings, "attendance.present", present, presentConf, presHit !== undefined, slotReadable(presHit));
  record(findings, "attendance.absentExcused", absentExcused, excConf, excused.labelled);
  record(findings, "attendance.absentUnexcused", absentUnexcused, unexcConf, unexcused.labelled);
  if (exemptRead) findings.read("attendance.exempt", exemptConf);
  const absentees = listed;
  if (absentees.length > 0) findings.read("attendance.absentees", listedConf);

  return { total, exempt, present, absentExcused, absentUnexcused, absentees };
}

function record(findings: Findings, path: string, value: number | null, conf: number, labelled: boolean, readable = false): void {
  if (value !== null) findings.read(path, conf);
  else if (labelled) findings.labelWithoutValue(path, readable);
}

/** Where the count after a label starts: after a colon a few words on ("Tổng số đảng viên chi bộ hiện có: 18"). */
function slotStart(hit: LabelHit): number {
  const colon = hit.line.numeric.slice(hit.end, hit.end + 30).indexOf(":");
  return colon >= 0 ? hit.end + colon + 1 : hit.end;
}

/** "có 1 đồng chí miễn sinh hoạt", "16 đồng chí có mặt": the count just before the label. */
function countBefore(hit: LabelHit): CountRead {
  const before = hit.line.numeric.slice(Math.max(0, hit.start - 25), hit.start);
  const m = /(\d{1,4})\s*(dong chi|d\/c|dc|dang vien|dv)?\s*$/.exec(before);
  if (!m?.[1]) return { value: null, confidence: 0, end: hit.end, labelled: true };
  const from = hit.start - before.length + m.index;
  return { value: Number(m[1]), confidence: spanConfidence(hit.line, from, from + m[1].length) * hit.certainty, end: hit.end, labelled: true };
}

interface AbsenceRead {
  count: number | null;
  confidence: number;
  names: Absentee[];
  namesConf: number;
  labelled: boolean;
}

function absenceRead(
  lines: readonly DocLine[],
  label: RegExp,
  fuzzy: readonly string[],
  excused: boolean,
  members: readonly string[] | undefined,
  mask: RegExp | null,
): AbsenceRead {
  const out: AbsenceRead = { count: null, confidence: 0, names: [], namesConf: 1, labelled: false };
  // "không có lý do" contains "có lý do": hide the unexcused phrase before looking for the excused one.
  const masked = mask
    ? lines.map((l) => {
        const m = mask.exec(l.numeric);
        if (!m) return l;
        return { ...l, numeric: l.numeric.slice(0, m.index) + "#".repeat(m[0].length) + l.numeric.slice(m.index + m[0].length) };
      })
    : lines;
  const hits = findLabel(masked, { exact: label, fuzzy });
  for (const hit of hits) {
    out.labelled = true;
    const line = hit.line;
    let pos = hit.end;
    if (out.count === null) {
      const c = readCountAt(line.numeric, pos, line.text);
      if (c) {
        out.count = c.value;
        let certainty = hit.certainty;
        if (spanRepaired(line, pos, c.end)) certainty *= CERTAINTY.repairedDigits;
        else if (c.fromWords) certainty *= CERTAINTY.numberWords;
        out.confidence = spanConfidence(line, pos, c.end) * certainty;
        pos = c.end;
      }
    }
    // a list of names follows: after a colon, or straight after the label with an honorific
    const rest = line.text.slice(pos);
    const lead = /^\s*(đồng chí|dong chi|đ\/c|d\/c|đc)?\s*[:\-–]?\s*/iu.exec(rest);
    if (!lead) continue;
    const listText = rest.slice(lead[0].length);
    const listFrom = pos + lead[0].length;
    for (const part of splitList(listText)) {
      if (/^\s*(vang|khong|co)\b/.test(part.part.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase())) break;
      const r = readName(part.part);
      if (!r) continue;
      const after = part.part.slice(r.end);
      const paren = /\(([^)]*)\)?/.exec(after);
      const dash = /^\s*[-–:]\s*(.+)$/u.exec(after);
      const reason = (paren?.[1] ?? dash?.[1] ?? "").trim().replace(/[.;]+$/u, "") || null;
      const at = listFrom + part.offset;
      const p = finishName(r.name, r.partial, spanConfidence(line, at, at + r.end), members);
      out.names.push({ name: p.name, excused, reason: reason === null ? null : reason.slice(0, 500) });
      out.namesConf = Math.min(out.namesConf, p.confidence);
    }
  }
  return out;
}
