/**
 * The discussion (each member's opinion, in order), the vote(s) and whether the minutes were
 * approved.
 */
import type { Opinion, Vote } from "../../meeting/schema.ts";
import type { DocLine } from "./document.ts";
import { isPageFurniture, spanConfidence, spanRepaired } from "./document.ts";
import { CERTAINTY, UNREADABLE_CONFIDENCE, type Findings } from "./findings.ts";
import { findLabel } from "./labels.ts";
import { countSlotGarbled, isReadable } from "./quality.ts";
import { BULLET_SOURCE, HONORIFIC_SOURCE, readName } from "./names.ts";
import { finishName } from "./people.ts";
import { readCountAt, truncate } from "./text.ts";

const SECTION_START =
  /^[\s\-+•*.]*(?:[ivx\d]+[.)]\s*)?(y kien thao luan|thao luan|cac y kien( phat bieu| thao luan| dong gop)?|y kien phat bieu|phat bieu y kien|y kien dong gop|chi bo thao luan|dang vien thao luan)\b/;
const SECTION_FUZZY = ["y kien thao luan", "thao luan", "cac y kien phat bieu"];
/** Lines that end the discussion: the conclusion, the vote, the close. */
const SECTION_END =
  /^[\s\-+•*.]*(?:[ivx\d]+[.)]\s*)?(ket luan|(dong chi|d\/c|dc)?\s*chu (tri|toa)\s*(hoi nghi\s*)?ket luan|bieu quyet|ket qua bieu quyet|hoi nghi ket thuc|buoi sinh hoat ket thuc|cuoc hop ket thuc|ket thuc|bien ban (da |duoc )|chi bo (nhat tri|thong nhat|bieu quyet)|nghi quyet)/;

/** "Ý kiến (của) đ/c X: …", "Phát biểu của đồng chí Y: …" name the speaker after the words. */
const OPINION_OF = String.raw`(?:ý\s*kiến|y\s*kien|phát\s*biểu|phat\s*bieu)(?:\s+(?:của|cua))?`;
/** An item that starts one speaker's opinion: "- Đồng chí X:", "+ Đ/c X phát biểu", "Đ/c X nêu". */
const ITEM_LEAD_SOURCE = String.raw`^\s*(?:(?:${BULLET_SOURCE}\s*){1,2}|\d{1,2}[.)]\s*)?(?:${OPINION_OF}\s+)?`;
const ITEM_LEAD = new RegExp(ITEM_LEAD_SOURCE, "iu");
const SPEAKER = new RegExp(String.raw`${ITEM_LEAD_SOURCE}(?=${HONORIFIC_SOURCE}\.?\s)`, "iu");
/** Verbs between the name and the opinion, not part of it. */
const LEAD_VERB = /^\s*[(:,\-–]?\s*(?:phát biểu ý kiến|phát biểu|phat bieu|ý kiến|y kien|nêu ý kiến|nêu|neu|cho rằng|cho rang|góp ý|gop y)?\s*[:,\-–]?\s*/iu;

export function readOpinions(lines: readonly DocLine[], members: readonly string[] | undefined, findings: Findings): Opinion[] {
  const start = findLabel(lines, { exact: SECTION_START, fuzzy: SECTION_FUZZY, unless: /:\s*\S.{40,}/ })[0];
  const section = start ? lines.slice(start.line.index + 1) : lines;
  const sectionCertainty = start ? start.certainty : CERTAINTY.unlabelled;
  const items: { speaker: string; text: string; conf: number }[] = [];
  let current: { speaker: string; text: string; conf: number } | null = null;

  // Without a heading, only items that say they are an opinion count: a bare "Đ/c Hạnh thông qua
  // báo cáo" in the contents is the report, not the discussion.
  for (const line of section) {
    if (isPageFurniture(line)) continue;
    if (SECTION_END.test(line.numeric)) {
      if (start || items.length > 0) break;
      continue;
    }
    const item = SPEAKER.exec(line.text) ? readSpeaker(line) : null;
    if (item && (start || /^\s*[:(]|^\s*(phat bieu|y kien|neu|gop y)/.test(foldedTail(line, item.nameEnd)))) {
      const p = finishName(item.name, item.partial, spanConfidence(line, 0, item.nameEnd), members);
      const textStart = item.nameEnd + (LEAD_VERB.exec(line.text.slice(item.nameEnd))?.[0].length ?? 0);
      current = { speaker: p.name, text: line.text.slice(textStart).trim(), conf: Math.min(p.confidence, spanConfidence(line, textStart, line.text.length)) * sectionCertainty };
      items.push(current);
      continue;
    }
    if (current) {
      current.text = `${current.text} ${line.text.trim()}`.trim();
    } else if (!start) {
      continue;
    }
  }
  const opinions = items.map((o) => ({ speaker: truncate(o.speaker, 200), text: truncate(o.text, 10_000) }));
  if (opinions.length > 0) findings.read("opinions", Math.min(...items.map((i) => i.conf)));
  else if (start && section.slice(0, 3).some((l) => l.text.trim() !== "" && !SECTION_END.test(l.numeric))) {
    // a discussion heading followed by text we could not attribute to anyone
    findings.unreadable("opinions");
  }
  return opinions;
}

function foldedTail(line: DocLine, from: number): string {
  return line.folded.slice(from);
}

function readSpeaker(line: DocLine): { name: string; nameEnd: number; partial: boolean } | null {
  const lead = ITEM_LEAD.exec(line.text)?.[0].length ?? 0;
  const r = readName(line.text.slice(lead), true);
  if (!r) return null;
  return { name: r.name, nameEnd: lead + r.end, partial: r.partial };
}

const VOTE_LABEL =
  /bieu quyet|tan thanh|nhat tri\s*(\d|\()|\d+\s*\/\s*\d+\s*(dong chi|d\/c|dc|dang vien)?\s*(nhat tri|tan thanh)|(nhat tri|thong nhat)[^.;]{0,80}\(\s*\d+\s*\/\s*\d+\s*\)|100\s*%[^.;]{0,40}(nhat tri|tan thanh)|(chi bo|hoi nghi|dang vien)\s*(da\s*)?(nhat tri|thong nhat)\s*(thong qua|bieu quyet)/;
/** A decision recorded without counts: "Chi bộ nhất trí thông qua nghị quyết tháng 1/2025." */
const DECISION = /(chi bo|hoi nghi|dang vien)\s*(da\s*)?(nhat tri|thong nhat)\s*(thong qua|bieu quyet)/;

export function readVotes(lines: readonly DocLine[], attendance: { present: number | null; total: number | null }, findings: Findings): Vote[] {
  const { present, total } = attendance;
  const votes: Vote[] = [];
  let conf = 1;
  let unreadable = false;
  const used = new Set<number>();
  for (const hit of findLabel(lines, { exact: VOTE_LABEL, unless: /^[\s\-+.]*bien ban\b/ })) {
    const first = hit.line;
    if (used.has(first.index)) continue;
    // The vote may run onto the next line ("…đạt 100%; / không tán thành: 0; không biểu quyết: 0").
    const window = [first];
    const next = lines[first.index + 1];
    if (next && /^[\s\-+.;,]*(khong|tan thanh|so (dong chi|phieu)|dat\s*\d|\d+\s*\/)/.test(next.numeric)) window.push(next);
    window.forEach((l) => used.add(l.index));
    const v = parseVote(window, present);
    if (v === null) {
      // "Biểu quyết" as a heading: the counts are on the following lines
      continue;
    }
    if (v.vote.agree === null && v.vote.disagree === null && v.vote.abstain === null) {
      // A decision with no figures on a well-read line is a vote whose counts are not written
      // (MISSING_VOTE_RESULT); figures the OCR lost are a question for a person.
      if (DECISION.test(first.numeric) && !/\d/.test(first.numeric.replace(/thang\s*\d{1,2}\s*\/\s*\d{4}|\d{1,2}\s*\/\s*\d{4}/g, "")) && isReadable(first)) {
        votes.push(v.vote);
        conf = Math.min(conf, first.confidence);
      } else if (/bieu quyet|tan thanh/.test(first.numeric)) unreadable = true;
      continue;
    }
    votes.push(v.vote);
    // More votes than the cell has members cannot have been written: a misread count (a person
    // looks at it) rather than VOTE_COUNT_INCONSISTENT, which is for figures that were written so.
    const cast = (v.vote.agree ?? 0) + (v.vote.disagree ?? 0) + (v.vote.abstain ?? 0);
    // "đạt 400%": a share over the whole was misread, and the counts beside it, written by the
    // same hand, may well be too
    const overWhole = window.some((l) => [...l.numeric.matchAll(/(\d{1,4})\s*%/g)].some((m) => Number(m[1]) > 100));
    conf = Math.min(conf, (total !== null && cast > total) || overWhole ? v.conf * CERTAINTY.inconsistent : v.conf);
  }
  if (votes.length > 0) findings.read("votes", conf);
  else if (unreadable) findings.unreadable("votes");
  return votes.slice(0, 100);
}

function parseVote(window: readonly DocLine[], present: number | null): { vote: Vote; conf: number } | null {
  let agree: number | null = null;
  let disagree: number | null = null;
  let abstain: number | null = null;
  let conf = 1;
  let repaired = false;
  /** labels whose count slot holds something that is not a count */
  const misread = new Set<"agree" | "disagree" | "abstain">();
  const take = (line: DocLine, re: RegExp, field: "agree" | "disagree" | "abstain"): number | null => {
    const m = re.exec(line.numeric);
    if (!m) return null;
    const at = m.index + m[0].length;
    const c = readCountAt(line.numeric, at, line.text);
    if (!c) {
      if (countSlotGarbled(line, at)) misread.add(field);
      return null;
    }
    conf = Math.min(conf, spanConfidence(line, m.index, c.end));
    if (spanRepaired(line, at, c.end)) repaired = true;
    return c.value;
  };
  // "nghị quyết tháng 12/2026" is a month, not a count of 12 out of 2026.
  const masked = window.map((l) => ({ ...l, numeric: l.numeric.replace(/\b\d{1,2}\s*\/\s*(19|20)\d\d\b/g, (m) => "~".repeat(m.length)) }));
  for (const l of masked) {
    disagree ??= take(l, /(khong tan thanh|phan doi)\s*:?\s*(la\s*)?/, "disagree");
    abstain ??= take(l, /(khong bieu quyet|khong co y kien|bo phieu trang|phieu trang)\s*:?\s*(la\s*)?/, "abstain");
    l.numeric = l.numeric.replace(/khong tan thanh|khong bieu quyet|phan doi/g, (s) => "#".repeat(s.length));
  }
  for (const l of masked) {
    if (agree !== null) break;
    agree = take(l, /(tan thanh|nhat tri)\s*:?\s*(la\s*)?(voi\s*)?/, "agree");
    if (agree !== null) continue;
    // "16/16 đ/c tán thành", "(16/16)" near "nhất trí"
    const frac = /(\d{1,4})\s*\/\s*(\d{1,4})(?=\s*(dong chi|d\/c|dc|dang vien|dv)?(\s+(du hop|co mat|tham du))?\s*(tan thanh|nhat tri))|(?:nhat tri|tan thanh)[^\d#]{0,60}\(?\s*(\d{1,4})\s*\/\s*(\d{1,4})/.exec(l.numeric);
    if (frac) {
      agree = Number(frac[1] ?? frac[7]);
      conf = Math.min(conf, spanConfidence(l, frac.index, frac.index + frac[0].length));
      continue;
    }
    // "100% đảng viên có mặt nhất trí": all present agreed
    if (/100\s*%[^#]{0,40}(nhat tri|tan thanh)|(nhat tri|tan thanh)[^#]{0,20}100\s*%/.test(l.numeric) && present !== null) {
      agree = present;
      conf = Math.min(conf, l.confidence * CERTAINTY.derived);
    }
  }
  // "tán thành 16/16" says nothing of against and abstentions: they stay null (CONTRACT.md §2:
  // a field not written is null, never a guess)
  if (repaired) conf *= CERTAINTY.repairedDigits;
  // "Tán thành: + đồng chí": a count was written there and not read
  const counts = { agree, disagree, abstain };
  if ([...misread].some((f) => counts[f] === null)) conf = Math.min(conf, UNREADABLE_CONFIDENCE);
  const first = window[0];
  if (!first) return null;
  return { vote: { subject: voteSubject(first), agree, disagree, abstain }, conf };
}

/** "Biểu quyết thông qua Nghị quyết tháng 11/2026: …" → "Nghị quyết tháng 11/2026". */
function voteSubject(line: DocLine): string | null {
  const m = /thong qua\s+(?!bien ban)/.exec(line.numeric) ?? /bieu quyet\s+(ve|doi voi)\s+/.exec(line.numeric);
  if (!m) return null;
  const from = m.index + m[0].length;
  const rest = line.text.slice(from);
  const stop = /[:;]|\s(với|voi|tán thành|tan thanh|nhất trí|nhat tri|đạt|dat)\s|\.\s*$/iu.exec(rest);
  const subject = (stop ? rest.slice(0, stop.index) : rest).trim().replace(/[.,]+$/u, "");
  if (subject.length < 3) return null;
  return truncate(subject, 1000);
}

const APPROVED = /bien ban\b.{0,80}(thong qua|nhat tri)|thong qua bien ban/;
const NOT_APPROVED = /(chua|khong)\s*(duoc\s*)?(thong qua|nhat tri)/;

export function readApproval(lines: readonly DocLine[], findings: Findings): boolean | null {
  for (const l of [...lines].reverse()) {
    if (!APPROVED.test(l.numeric)) continue;
    findings.read("minutesApproved", l.confidence);
    return !NOT_APPROVED.test(l.numeric);
  }
  // "Biên bản đã được đọc lại …" wraps: "… và nhất trí thông qua" on the next line
  for (const l of lines) {
    const next = lines[l.index + 1];
    if (/^[\s\-+.]*bien ban (da |duoc )/.test(l.numeric) && next && /thong qua|nhat tri/.test(next.numeric)) {
      findings.read("minutesApproved", Math.min(l.confidence, next.confidence));
      return !NOT_APPROVED.test(next.numeric);
    }
  }
  return null;
}
