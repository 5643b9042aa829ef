/**
 * Reflow: OCR gives physical lines, minutes are written in sentences. A sentence that wraps
 * ("… vắng 8 đồng chí (có lý do: 8; có" / "mặt 27 đồng chí") splits a label from its value, so
 * the body is rejoined into logical paragraphs before any field is read.
 *
 * A line continues the previous one when the previous does not end a sentence or a label item and
 * the line itself does not start a new item: a bullet, a numbering, a known label, a speaker
 * ("Đồng chí X …"), a heading. Each character keeps its own OCR confidence; a joined line keeps the
 * page number of its first part. The header (the two columns and the title) is not reflowed: its
 * lines are side-by-side columns, not prose.
 */
import { type DocLine, isPageFurniture, joinLines } from "./document.ts";

/** Folded labels that open a new item of the minutes when they start a line. */
const ITEM_LABEL = new RegExp(
  String.raw`^(` +
    [
      String.raw`thoi gian`,
      String.raw`vao (hoi|luc)`,
      String.raw`bat dau`,
      String.raw`dia diem`,
      String.raw`tai\s*:`,
      String.raw`(nguoi )?chu (tri|toa)\s*(hoi nghi|cuoc hop)?\s*[:\-–]`,
      String.raw`(nguoi )?(thu ky|ghi bien ban)`,
      String.raw`tong so`,
      String.raw`chi bo\b`,
      String.raw`dang vien\b`,
      String.raw`hom nay`,
      String.raw`so (dang vien|dong chi|dv)\b`,
      String.raw`mien sinh hoat`,
      String.raw`co mat`,
      String.raw`vang\b`,
      String.raw`dai bieu`,
      String.raw`cap uy`,
      String.raw`du (va chi dao|hop)`,
      String.raw`noi dung`,
      String.raw`chuyen de\s*:`,
      String.raw`(y kien )?thao luan`,
      String.raw`(cac )?y kien`,
      String.raw`ket luan`,
      String.raw`bieu quyet`,
      String.raw`ket qua bieu quyet`,
      String.raw`(cuoc hop|hoi nghi|buoi sinh hoat|buoi hop|sinh hoat)\s*(da\s*)?ket thuc`,
      String.raw`ket thuc`,
      String.raw`bien ban`,
    ].join("|") +
    String.raw`)`,
);

/** "- ", "+ ", "• ", "1. ", "a) ", "II. ", and OCR's renderings of a bullet ("s ", "» "). */
const BULLET = /^\s*(?:[-+•*–—»·○●▪■>]+\s*|(?:\d{1,2}|[ivxIVX]{1,4}|[a-zđA-ZĐ])[.)]\s+)/u;
const OCR_BULLET = /^\s*[a-z]\s+\p{Lu}/u;
/** A speaker or a person opening an item: "Đồng chí Lê Văn Hùng …", "Đ/c Hà …" (capital D). */
const PERSON_ITEM = /^\s*(?:Đồng\s*chí|Đ\s*\/\s*c|ĐC|Đc|Dong chi|D\/c)\.?\s+\p{Lu}/u;

function isHeading(line: DocLine): boolean {
  const letters = line.text.replace(/[^\p{L}]/gu, "");
  return letters.length >= 3 && letters === letters.toLocaleUpperCase("vi");
}

/** "Đảng viên dự: …", "Đồng chí chủ trì kết luận: …": a capitalised label of a few words and a colon. */
const COLON_LABEL = /^\s*\p{Lu}[^:.;,!?()]{0,40}:/u;

/**
 * Lines that are not prose: only capitalised words (a row of names under the signatures) or only
 * parenthesised remarks ("(đã ký) (đã ký)").
 */
function isNameRow(line: DocLine): boolean {
  const words = line.text.replace(/\([^)]*\)/gu, " ").match(/[\p{L}\p{M}]+/gu) ?? [];
  if (words.length === 0) return /\(/u.test(line.text);
  return words.length >= 2 && words.every((w) => /^\p{Lu}/u.test(w));
}

function startsItem(line: DocLine): boolean {
  if (BULLET.test(line.text) || OCR_BULLET.test(line.text) || PERSON_ITEM.test(line.text)) return true;
  if (COLON_LABEL.test(line.text) || isHeading(line)) return true;
  // A label opens an item when it is capitalised: "đảng viên" in lower case continues a sentence.
  const lead = /^[\s\-+•*.]*/.exec(line.numeric)?.[0].length ?? 0;
  return /^\p{Lu}/u.test(line.text.slice(lead)) && ITEM_LABEL.test(line.numeric.slice(lead));
}

/** The previous line ends a sentence or a label ("Ý kiến thảo luận:"). */
function endsItem(prev: DocLine, next: DocLine): boolean {
  const t = prev.text.trimEnd();
  if (/[.!?…]["”)]?$/u.test(t)) return true;
  // "…; có" / "mặt 27 …", "…(có lý do: 3; không lý do: 1):" / "đồng chí Lê Diệu Nga, …": an item
  // ended by ";" or ":" continues only into lower-case text.
  // A short heading ("Ý kiến thảo luận:") ends its item whatever follows.
  if (/:$/.test(t) && t.split(/\s+/u).length <= 5) return true;
  if (/[;:]$/.test(t)) return !/^\s*[\p{Ll}\d(]/u.test(next.text);
  return false;
}

const TITLE_TAIL = /^[\s\-–]*(thang|quy|nam|chuyen de|thuong ky|dinh ky|ket hop|sinh hoat|chi bo)\b/;

function isTitleTail(line: DocLine | undefined): boolean {
  return line !== undefined && TITLE_TAIL.test(line.numeric) && line.text.trim().split(/\s+/u).length <= 8 && !/[:,;]/.test(line.text);
}

/** Whether `next` continues the sentence of `prev`. Exported for tests. */
export function continues(prev: DocLine, next: DocLine): boolean {
  if (next.text.trim() === "" || prev.text.trim() === "") return false;
  if (isHeading(prev) || isNameRow(prev) || isNameRow(next)) return false;
  if (endsItem(prev, next)) return false;
  if (startsItem(next)) return false;
  // Side-by-side columns (signature names, "THƯ KÝ   CHỦ TRÌ") are not prose.
  if (/\s{3,}\S/.test(next.text.trim()) || /\s{3,}\S/.test(prev.text.trim())) return false;
  return true;
}

/**
 * Join continuation lines after the title (`titleIndex`, -1 when there is none) into logical
 * lines. The header and the title are kept as they are. Page furniture (page numbers) between two parts of a sentence is dropped.
 * Indices are renumbered.
 */
export function reflow(lines: readonly DocLine[], titleIndex = -1): DocLine[] {
  // The title line itself is kept apart too: a handwritten title is not in capitals.
  let head = Math.max(0, titleIndex + 1);
  // A title that goes on over a short line or two ("… CHUYÊN ĐỀ" / "tháng 5 năm 2026").
  while (titleIndex >= 0 && head < lines.length && head <= titleIndex + 2 && isTitleTail(lines[head])) head++;
  const out: DocLine[] = lines.slice(0, head).map((l) => ({ ...l }));
  let current: DocLine | null = null;
  let pendingFurniture: DocLine[] = [];
  for (const line of lines.slice(head)) {
    if (current !== null && isPageFurniture(line)) {
      pendingFurniture.push(line);
      continue;
    }
    if (current !== null && continues(current, line)) {
      current = joinLines(current, line);
      pendingFurniture = [];
      continue;
    }
    if (current !== null) out.push(current);
    out.push(...pendingFurniture);
    pendingFurniture = [];
    current = line;
  }
  if (current !== null) out.push(current);
  out.push(...pendingFurniture);
  return out.map((l, index) => ({ ...l, index }));
}
