/**
 * Puts a Plan into words. Several phrasings per field, chosen by the RNG, because the parser is
 * measured on minutes it has never seen, written by other people in other words. Nothing here
 * changes the truth: every phrasing of a field says exactly what the Plan says.
 */
import type { Plan, PlannedVote } from "./content.ts";
import type { Rng } from "./rng.ts";

/** One logical line of the minutes; the renderer wraps paragraphs and breaks pages. */
export type DocLine =
  | { t: "row"; left: string; right: string; leftBold?: boolean; rightBold?: boolean; rightItalic?: boolean }
  | { t: "center"; text: string; bold?: boolean; italic?: boolean }
  | { t: "para"; text: string; indent?: number; bold?: boolean; italic?: boolean }
  | { t: "gap" }
  | { t: "sign"; chairHeading: string; secretaryHeading: string; chairName: string | null; secretaryName: string | null; chairInk: boolean; secretaryInk: boolean };

const UNITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"] as const;

/** Vietnamese number words, 0–99 ("mười sáu", "hai mươi mốt", "ba mươi lăm"). */
export function numberWords(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) return String(n);
  const t = Math.floor(n / 10);
  const u = n % 10;
  const unit = (x: number) => UNITS[x] ?? String(x);
  if (t === 0) return unit(u);
  const head = t === 1 ? "mười" : `${unit(t)} mươi`;
  if (u === 0) return head;
  if (u === 5) return `${head} lăm`;
  if (u === 1 && t > 1) return `${head} mốt`;
  if (u === 4 && t > 1) return `${head} tư`;
  return `${head} ${unit(u)}`;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

type TimeFormat = "gioPhut" | "h" | "g" | "gio" | "chieu";

function fmtTime(t: string, f: TimeFormat): string {
  const [hs, ms] = t.split(":");
  const h = Number(hs);
  const m = Number(ms);
  switch (f) {
    case "gioPhut":
      return `${h} giờ ${pad2(m)} phút`;
    case "h":
      return m === 0 ? `${pad2(h)}h00` : `${h}h${pad2(m)}`;
    case "g":
      return `${h}g${pad2(m)}`;
    case "gio":
      return m === 0 ? `${h} giờ` : `${h} giờ ${pad2(m)}`;
    case "chieu": {
      // 12-hour spoken form: "2 giờ 30 chiều", "7 giờ 30 tối", "8 giờ sáng".
      const part = h < 11 ? "sáng" : h < 13 ? "trưa" : h < 18 ? "chiều" : "tối";
      const h12 = h > 12 ? h - 12 : h;
      return m === 0 ? `${h12} giờ ${part}` : `${h12} giờ ${pad2(m)} ${part}`;
    }
  }
}

export class Writer {
  private readonly lines: DocLine[] = [];
  private readonly timeFormat: TimeFormat;
  private readonly words: boolean;
  private readonly dd: "slash" | "long" | "short";

  constructor(
    private readonly plan: Plan,
    private readonly rng: Rng,
    private readonly style: "typed" | "handwritten",
  ) {
    this.timeFormat = rng.weighted<TimeFormat>([["gioPhut", 4], ["h", 4], ["g", 2], ["gio", 2], ["chieu", 1]]);
    this.words = rng.chance(0.2);
    this.dd = rng.pick(["slash", "long", "short"] as const);
  }

  private n(x: number): string {
    return this.words && x > 0 && x < 100 ? numberWords(x) : String(x);
  }

  private dc(): string {
    return this.rng.pick(["đồng chí", "đ/c", "Đ/c", "đồng chí"]);
  }

  private date(): string {
    const { day, month, year } = this.plan;
    if (this.dd === "long") return `ngày ${pad2(day)} tháng ${pad2(month)} năm ${year}`;
    if (this.dd === "short") return `ngày ${day}/${month}/${year}`;
    return `ngày ${pad2(day)}/${pad2(month)}/${year}`;
  }

  private time(t: string): string {
    return fmtTime(t, this.timeFormat);
  }

  private para(text: string, indent = 0, extra: { bold?: boolean; italic?: boolean } = {}) {
    this.lines.push({ t: "para", text, indent, ...extra });
  }

  write(): DocLine[] {
    this.header();
    this.title();
    this.opening();
    this.attendance();
    this.contents();
    this.discussion();
    this.conclusionAndVotes();
    this.closing();
    return this.lines;
  }

  private header() {
    const { meeting: m, locality, month, year } = this.plan;
    const up = (s: string) => s.toLocaleUpperCase("vi-VN");
    const dateKnown = m.meetingDate !== null;
    const placeDate = dateKnown
      ? `${locality.name}, ngày ${pad2(this.plan.day)} tháng ${pad2(month)} năm ${year}`
      : this.rng.pick([`${locality.name}, ngày ..... tháng ${pad2(month)} năm ${year}`, `${locality.name}, ngày      tháng      năm ${year}`]);
    this.lines.push({ t: "row", left: up(m.partyCommittee ?? ""), right: "ĐẢNG CỘNG SẢN VIỆT NAM", leftBold: false, rightBold: true });
    this.lines.push({ t: "row", left: up(m.cellName ?? ""), right: this.style === "handwritten" && !dateKnown && this.rng.chance(0.5) ? "" : placeDate, leftBold: true, rightItalic: true });
    this.lines.push({ t: "row", left: "*", right: "" });
    this.lines.push({ t: "gap" });
  }

  private kindWords(): string {
    switch (this.plan.meeting.kind) {
      case "thematic":
        return "CHUYÊN ĐỀ";
      case "combined":
        return this.rng.pick(["THƯỜNG KỲ KẾT HỢP CHUYÊN ĐỀ", "THƯỜNG KỲ KẾT HỢP SINH HOẠT CHUYÊN ĐỀ"]);
      default:
        return "THƯỜNG KỲ";
    }
  }

  private title() {
    const { month, year, topic } = this.plan;
    const kw = this.kindWords();
    const period = this.rng.pick([`THÁNG ${month}/${year}`, `THÁNG ${pad2(month)}/${year}`, `THÁNG ${month} NĂM ${year}`]);
    const form = this.rng.int(0, 2);
    if (form === 0) {
      this.lines.push({ t: "center", text: "BIÊN BẢN", bold: true });
      this.lines.push({ t: "center", text: `SINH HOẠT CHI BỘ ${kw} ${period}`, bold: true });
    } else if (form === 1) {
      this.lines.push({ t: "center", text: `BIÊN BẢN SINH HOẠT CHI BỘ ${kw} ${period}`, bold: true });
    } else {
      this.lines.push({ t: "center", text: "BIÊN BẢN", bold: true });
      this.lines.push({ t: "center", text: `Sinh hoạt chi bộ ${kw.toLocaleLowerCase("vi-VN")} ${period.toLocaleLowerCase("vi-VN")}`, bold: true });
    }
    if (topic) this.lines.push({ t: "center", text: `Chuyên đề: "${topic}"`, italic: true });
    this.lines.push({ t: "gap" });
  }

  private opening() {
    const { meeting: m } = this.plan;
    const start = m.startTime ? this.time(m.startTime) : null;
    const hasDate = m.meetingDate !== null;
    const cell = m.cellName ?? "chi bộ";
    const loc = m.location ?? "";
    const kindText = m.kind === "thematic" ? "sinh hoạt chuyên đề" : m.kind === "combined" ? "sinh hoạt thường kỳ kết hợp chuyên đề" : "sinh hoạt thường kỳ";
    let locationWritten = false;
    if (start && hasDate) {
      const f = this.rng.int(0, 4);
      if (f === 0) this.para(`Thời gian bắt đầu: ${start}, ${this.date()}.`);
      else if (f === 1) {
        this.para(`Vào hồi ${start} ${this.date()}, tại ${loc}, ${cell} tiến hành ${kindText}.`);
        locationWritten = true;
      } else if (f === 2) this.para(`Bắt đầu lúc ${start}, ${this.date()}.`);
      else if (f === 3) {
        this.para(`Hôm nay, ${this.date()}, hồi ${start}, ${cell} tổ chức ${kindText}.`);
      } else this.para(`Thời gian: ${start} ${this.date()}.`);
    } else if (start) {
      this.para(this.rng.pick([`Thời gian bắt đầu: ${start}.`, `Bắt đầu lúc ${start}.`, `Vào hồi ${start}, ${cell} tiến hành ${kindText}.`]));
    } else if (hasDate) {
      this.para(this.rng.pick([`Hôm nay, ${this.date()}, ${cell} tiến hành ${kindText}.`, `Thời gian: ${this.date()}.`]));
    } else {
      this.para(`${cell} tiến hành ${kindText}.`);
    }
    if (!locationWritten) this.para(this.rng.pick([`Địa điểm: ${loc}.`, `Tại: ${loc}.`, `Địa điểm sinh hoạt: ${loc}.`]));

    const combine = m.chair !== null && m.secretary !== null && this.rng.chance(0.2);
    if (combine) {
      this.para(`Chủ trì: ${this.dc()} ${m.chair}; thư ký: ${this.dc()} ${m.secretary}.`);
    } else {
      if (m.chair !== null) {
        const role = this.plan.chairRole;
        this.para(
          this.rng.pick([
            `Chủ trì: đồng chí ${m.chair} – ${role}.`,
            `Chủ trì hội nghị: Đ/c ${m.chair}, ${role}.`,
            `Chủ trì: ${m.chair} - ${role}`,
            `Người chủ trì: đ/c ${m.chair}.`,
            `Đồng chí ${m.chair} – ${role} chủ trì.`,
          ]),
        );
      }
      if (m.secretary !== null) {
        const role = this.plan.secretaryRole;
        const withRole = role ? ` – ${role}` : "";
        this.para(
          this.rng.pick([
            `Thư ký: đồng chí ${m.secretary}${withRole}.`,
            `Người ghi biên bản: ${m.secretary}${withRole}.`,
            `Thư ký hội nghị: đ/c ${m.secretary}.`,
            `Thư ký: Đ/c ${m.secretary}`,
            `Đồng chí ${m.secretary} ghi biên bản.`,
          ]),
        );
      }
    }
  }

  private absenteeList(): string {
    const items = this.plan.meeting.attendance.absentees.map((a) => {
      const dc = this.dc();
      if (a.excused === false) return this.rng.pick([`${dc} ${a.name} (không lý do)`, `${dc} ${a.name} – không có lý do`]);
      if (a.reason === null) return this.rng.pick([`${dc} ${a.name} (có lý do)`, `${dc} ${a.name}`]);
      return this.rng.pick([`${dc} ${a.name} (${a.reason})`, `${dc} ${a.name} – ${a.reason}`, `${dc} ${a.name}, lý do: ${a.reason}`]);
    });
    return items.join("; ");
  }

  private attendance() {
    const { meeting: m, official, probationary, exemptWritten, superiors } = this.plan;
    const a = m.attendance;
    const absent = a.absentees.length;
    const list = this.absenteeList();
    if (a.total !== null && a.present !== null && this.rng.chance(0.25)) {
      // One sentence.
      const split = official !== null ? ` (${official} chính thức, ${probationary ?? 0} dự bị)` : "";
      const ex = exemptWritten ? `, miễn sinh hoạt ${this.n(a.exempt)} đồng chí` : "";
      const abs =
        absent === 0
          ? ", không có đồng chí nào vắng mặt"
          : `, vắng ${this.n(absent)} đồng chí (có lý do: ${a.absentExcused ?? 0}; không lý do: ${a.absentUnexcused ?? 0}): ${list}`;
      this.para(`Chi bộ có ${this.n(a.total)} đảng viên${split}${ex}; có mặt ${this.n(a.present)} đồng chí${abs}.`);
    } else {
      if (a.total !== null) {
        const split =
          official !== null
            ? this.rng.pick([` (chính thức ${official}, dự bị ${probationary ?? 0})`, `; trong đó chính thức: ${official} đ/c, dự bị: ${probationary ?? 0} đ/c`])
            : "";
        this.para(this.rng.pick([`Tổng số đảng viên: ${this.n(a.total)} đồng chí${split}.`, `Tổng số đảng viên của chi bộ: ${this.n(a.total)} đ/c${split}.`, `Chi bộ có ${this.n(a.total)} đảng viên${split}.`]));
      }
      if (exemptWritten) this.para(this.rng.pick([`Miễn sinh hoạt: ${this.n(a.exempt)} đồng chí.`, `Số đảng viên được miễn sinh hoạt: ${a.exempt}.`, `Đảng viên miễn sinh hoạt: ${a.exempt} đ/c.`]));
      if (a.present !== null) {
        const forms = [`Có mặt: ${this.n(a.present)} đồng chí.`, `Đảng viên có mặt: ${a.present} đ/c.`, `Số đảng viên dự họp: ${this.n(a.present)} đồng chí.`];
        if (a.total !== null) forms.push(`Số đảng viên có mặt ${a.present}/${a.total}.`);
        this.para(this.rng.pick(forms));
      }
      if (a.absentExcused !== null) {
        if (absent === 0) this.para(this.rng.pick(["Vắng mặt: không.", "Vắng: 0.", "Vắng: không có."]));
        else if (this.rng.chance(0.5)) {
          this.para(`Vắng: ${this.n(absent)} đ/c (có lý do: ${a.absentExcused}; không lý do: ${a.absentUnexcused ?? 0}), gồm: ${list}.`);
        } else {
          const excused = a.absentees.filter((p) => p.excused !== false);
          const unexcused = a.absentees.filter((p) => p.excused === false);
          const named = (ps: typeof excused) => ps.map((p) => `${p.name}${p.reason ? ` (${p.reason})` : ""}`).join(", ");
          this.para(`Vắng có lý do: ${a.absentExcused} đồng chí${excused.length ? ` (${this.dc()} ${named(excused)})` : ""}.`);
          this.para(unexcused.length ? `Vắng không lý do: ${unexcused.length} đồng chí (${this.dc()} ${named(unexcused)}).` : this.rng.pick(["Vắng không lý do: không.", "Vắng không lý do: 0."]));
        }
      }
    }
    if (superiors.length > 0) {
      const s = superiors.map((p) => `${this.dc()} ${p.name} – ${p.role}`).join("; ");
      this.para(this.rng.pick([`Đại biểu cấp trên: ${s}.`, `Dự và chỉ đạo có ${s}.`, `Đại diện cấp ủy cấp trên dự: ${s}.`]));
    } else if (this.rng.chance(0.3)) {
      this.para("Đại biểu cấp ủy cấp trên: không.");
    }
    this.lines.push({ t: "gap" });
  }

  private contents() {
    const { month, year, results, tasks, topic } = this.plan;
    const prev = month === 1 ? { m: 12, y: year - 1 } : { m: month - 1, y: year };
    const next = month === 12 ? { m: 1, y: year + 1 } : { m: month + 1, y: year };
    const bullet = this.rng.pick(["- ", "+ ", "• "]);
    this.para(this.rng.pick(["I. NỘI DUNG SINH HOẠT", "NỘI DUNG:", "Nội dung buổi sinh hoạt:"]), 0, { bold: true });
    if (this.plan.meeting.kind !== "thematic") {
      this.para(`1. Đánh giá kết quả thực hiện nhiệm vụ tháng ${prev.m}/${prev.y}:`, 0, { bold: this.style === "typed" });
      for (const r of results) this.para(`${bullet}${r}`, 1);
      this.para(`2. Phương hướng, nhiệm vụ tháng ${next.m}/${next.y}:`, 0, { bold: this.style === "typed" });
      for (const t of tasks) this.para(`${bullet}${t}`, 1);
    }
    if (topic) {
      this.para(`${this.plan.meeting.kind === "combined" ? "3. " : ""}Sinh hoạt chuyên đề: ${topic}.`, 0, { bold: this.style === "typed" });
      this.para(
        this.rng.pick([
          "Chi ủy trình bày báo cáo chuyên đề, liên hệ với tình hình thực tế của chi bộ và đề ra giải pháp thực hiện trong thời gian tới.",
          "Báo cáo viên quán triệt những nội dung cơ bản của chuyên đề; chi bộ liên hệ thực tiễn địa phương, xác định những việc cần làm ngay.",
        ]),
        1,
      );
    }
  }

  private discussion() {
    const { meeting: m, speakerRoles, noOpinionsSentence } = this.plan;
    if (m.opinions.length === 0) {
      if (noOpinionsSentence) this.para(this.rng.pick(["II. THẢO LUẬN: Các đồng chí nhất trí với dự thảo, không có ý kiến khác.", "Thảo luận: chi bộ thống nhất cao, không có ý kiến bổ sung."]));
      return;
    }
    this.para(this.rng.pick(["II. THẢO LUẬN", "Ý kiến thảo luận:", "Các ý kiến phát biểu:", "Thảo luận:"]), 0, { bold: true });
    const family = this.rng.int(0, 5);
    m.opinions.forEach((o, i) => {
      const role = speakerRoles[i] ?? "";
      const f = this.rng.chance(0.75) ? family : this.rng.int(0, 5);
      const r = role ? ` (${role})` : "";
      const text =
        f === 0 ? `- Đồng chí ${o.speaker}${r}: ${o.text}`
        : f === 1 ? `Đ/c ${o.speaker} phát biểu: ${o.text}`
        : f === 2 ? `+ Đồng chí ${o.speaker} ý kiến: ${o.text}`
        : f === 3 ? `- Đ/c ${o.speaker}${role ? ` – ${role}` : ""}: ${o.text}`
        : f === 4 ? `* Đồng chí ${o.speaker} nêu ý kiến: ${o.text}`
        : `- Đ/c ${o.speaker}: ${o.text}`;
      this.para(text);
    });
  }

  private voteLine(v: PlannedVote, present: number | null): string {
    const subj = v.vote.subject;
    const about = subj ? ` ${subj}` : "";
    const a = v.vote.agree ?? 0;
    switch (v.form) {
      case "noCounts":
        return this.rng.pick([`Chi bộ nhất trí thông qua ${v.subjectText}.`, `Đảng viên dự họp đều nhất trí với ${v.subjectText}.`]);
      case "fraction":
        return `Biểu quyết${about ? " thông qua" + about : ""}: tán thành ${a}/${present ?? a} đồng chí, đạt 100%.`;
      case "percent":
        return `100% đảng viên có mặt nhất trí${about} (${a}/${present ?? a}).`;
      case "full": {
        const d = v.vote.disagree ?? 0;
        const ab = v.vote.abstain ?? 0;
        const f = this.rng.int(0, 2);
        if (f === 0) return `Biểu quyết${about ? " thông qua" + about : ""}: Số đồng chí tán thành: ${a}; không tán thành: ${d}; không biểu quyết: ${ab}.`;
        if (f === 1) return `Kết quả biểu quyết${about}: tán thành ${this.n(a)} đ/c, không tán thành ${this.n(d)}, không biểu quyết ${this.n(ab)}.`;
        return `Biểu quyết${about ? " về" + about : ""}: - Tán thành: ${a} đồng chí - Không tán thành: ${d} đồng chí - Không biểu quyết: ${ab} đồng chí.`;
      }
    }
  }

  private conclusionAndVotes() {
    const { meeting: m, conclusion, votes } = this.plan;
    this.para(this.rng.pick(["III. KẾT LUẬN", "Kết luận của chủ trì:", "Kết luận:"]), 0, { bold: true });
    this.para(conclusion, 1);
    if (votes.length > 0 && this.rng.chance(0.6)) this.para(this.rng.pick(["IV. BIỂU QUYẾT", "Biểu quyết:"]), 0, { bold: true });
    for (const v of votes) this.para(this.voteLine(v, m.attendance.present));
  }

  private closing() {
    const { meeting: m } = this.plan;
    this.lines.push({ t: "gap" });
    if (m.endTime !== null) {
      const t = this.time(m.endTime);
      this.para(
        this.rng.pick([
          `Buổi sinh hoạt kết thúc vào lúc ${t} cùng ngày.`,
          `Kết thúc hồi ${t}.`,
          `Hội nghị kết thúc vào hồi ${t} cùng ngày.`,
          `Thời gian kết thúc: ${t}.`,
          `Cuộc họp kết thúc lúc ${t}${m.meetingDate ? `, ${this.date()}` : ""}.`,
        ]),
      );
    } else {
      this.para(this.rng.pick(["Buổi sinh hoạt kết thúc cùng ngày.", "Hội nghị kết thúc."]));
    }
    if (m.minutesApproved === true) {
      this.para(
        this.rng.pick([
          "Biên bản đã được đọc lại cho chi bộ nghe và được thông qua.",
          "Biên bản được đọc lại cho toàn thể đảng viên dự họp nghe và nhất trí thông qua.",
          "Biên bản đã được thông qua trước chi bộ, các đồng chí dự họp nhất trí 100%.",
          "Biên bản đã được đọc và thông qua tại buổi sinh hoạt.",
        ]),
      );
    }
    this.lines.push({ t: "gap" });
    const hand = this.style === "handwritten" && this.rng.chance(0.4);
    this.lines.push({
      t: "sign",
      chairHeading: hand ? "Chủ trì" : "CHỦ TRÌ",
      secretaryHeading: hand ? "Thư ký" : "THƯ KÝ",
      chairName: this.plan.signedNames.chair,
      secretaryName: this.plan.signedNames.secretary,
      chairInk: m.signatures.chair === true,
      secretaryInk: m.signatures.secretary === true,
    });
  }
}

export function writeMinutes(plan: Plan, rng: Rng, style: "typed" | "handwritten"): DocLine[] {
  return new Writer(plan, rng, style).write();
}
