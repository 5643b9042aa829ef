/**
 * End to end through the real command line: `bienban extract` runs the real Tesseract (vie) on a
 * shipped sample photo and must agree with the sample's ground truth; `bienban check` recomputes
 * flags; bad input exits non-zero with one line in Vietnamese and English.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ExtractionDocumentSchema, MeetingSchema } from "../../shared/meeting/schema.ts";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(root, "bin/bienban.mjs");

async function bienban(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: root, maxBuffer: 10 * 1024 * 1024, timeout: 300_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

const sample = (name: string) => join(root, "samples", name);

describe("bienban extract (real Tesseract)", () => {
  it(
    "reads a typed sample with defects as its ground truth says",
    async () => {
      const dir = sample("02-thuong-ky-nhieu-loi");
      const truth = JSON.parse(readFileSync(join(dir, "truth.json"), "utf8")) as { meeting: unknown; expectedFlags: string[] };
      const expected = MeetingSchema.parse(truth.meeting);
      const res = await bienban(["extract", join(dir, "page-1.jpg"), join(dir, "page-2.jpg"), "--json"]);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stderr).toMatch(/trang/); // progress on stderr
      const doc = ExtractionDocumentSchema.parse(JSON.parse(res.stdout));
      const m = doc.meeting;
      expect(m.kind).toBe(expected.kind);
      expect(m.meetingDate).toBe(expected.meetingDate);
      expect(m.startTime).toBe(expected.startTime);
      expect(m.endTime).toBe(expected.endTime);
      expect(m.durationMinutes).toBe(expected.durationMinutes);
      expect(m.chair).toBe(expected.chair);
      expect(m.secretary).toBe(expected.secretary);
      expect(m.attendance.total).toBe(expected.attendance.total);
      expect(m.attendance.present).toBe(expected.attendance.present);
      expect(m.attendance.absentUnexcused).toBe(expected.attendance.absentUnexcused);
      expect(m.opinions.length).toBe(expected.opinions.length);
      expect(m.votes[0]?.agree).toBe(expected.votes[0]?.agree);
      expect(m.signatures).toEqual(expected.signatures);
      expect(doc.flags.map((f) => f.code).sort()).toEqual([...truth.expectedFlags].sort());
    },
    300_000,
  );

  it("prints a readable Vietnamese summary without --json", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bienban-cli-"));
    const meeting = MeetingSchema.parse(JSON.parse(readFileSync(join(sample("02-thuong-ky-nhieu-loi"), "truth.json"), "utf8")).meeting);
    writeFileSync(join(dir, "meeting.json"), JSON.stringify(meeting));
    const res = await bienban(["check", join(dir, "meeting.json")]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Cảnh báo/);
    expect(res.stdout).toMatch(/DURATION_TOO_SHORT/);
    expect(res.stdout).toMatch(/Căn cứ: .*12-HD/);
  });
});

describe("bienban check", () => {
  it("recomputes flags of an edited meeting, with history and another rule set", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bienban-cli-"));
    const base = MeetingSchema.parse(JSON.parse(readFileSync(join(sample("01-thuong-ky-day-du"), "truth.json"), "utf8")).meeting);
    writeFileSync(join(dir, "ok.json"), JSON.stringify(base));
    const ok = ExtractionDocumentSchema.parse(JSON.parse((await bienban(["check", join(dir, "ok.json"), "--json"])).stdout));
    expect(ok.flags).toEqual([]);

    const edited = { ...base, endTime: "20:30", durationMinutes: 60, signatures: { chair: true, secretary: false } };
    writeFileSync(join(dir, "short.json"), JSON.stringify({ schemaVersion: 1, meeting: edited, flags: [], confidence: {}, review: { needed: false, fields: [] } }));
    const res = await bienban(["check", join(dir, "short.json"), "--json", "--rules", "42-HD-2025"]);
    expect(res.code).toBe(0);
    const doc = ExtractionDocumentSchema.parse(JSON.parse(res.stdout));
    expect(doc.flags.map((f) => f.code).sort()).toEqual(["DURATION_TOO_SHORT", "MISSING_SECRETARY_SIGNATURE"]);
    expect(doc.flags[0]?.basis).toMatch(/42-HD/);

    const absent = (date: string) => ({ ...base, meetingDate: date, attendance: { ...base.attendance, absentees: [{ name: "Trần Thanh Bình", excused: true, reason: "ốm" }] } });
    writeFileSync(join(dir, "history.json"), JSON.stringify([absent("2025-08-20"), absent("2025-09-20"), absent("2025-10-20")]));
    writeFileSync(join(dir, "now.json"), JSON.stringify(absent("2025-11-23")));
    const rep = ExtractionDocumentSchema.parse(JSON.parse((await bienban(["check", join(dir, "now.json"), "--history", join(dir, "history.json"), "--json"])).stdout));
    expect(rep.flags.map((f) => f.code)).toContain("REPEATED_EXCUSED_ABSENCE");
  });

  it("exits non-zero with one clear line on bad input", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bienban-cli-"));
    writeFileSync(join(dir, "bad.json"), "{ not json");
    writeFileSync(join(dir, "wrong.json"), JSON.stringify({ chair: 5 }));
    writeFileSync(join(dir, "not-image.jpg"), "hello");
    for (const args of [
      ["check", join(dir, "bad.json")],
      ["check", join(dir, "wrong.json")],
      ["check", join(dir, "missing.json")],
      ["check", join(dir, "bad.json"), "--rules", "99-XX"],
      ["extract", join(dir, "not-image.jpg")],
      ["extract"],
      ["extract", join(dir, "not-image.jpg"), "--engine", "nope"],
      ["frobnicate"],
    ]) {
      const res = await bienban(args);
      expect(res.code, args.join(" ")).not.toBe(0);
      expect(res.stdout, args.join(" ")).toBe("");
      const reason = res.stderr.trim().split("\n")[0] ?? "";
      expect(reason, args.join(" ")).toMatch(/^(Lỗi: .+ \/ Error: .+|Lệnh không có: .+ \/ Unknown command\.)$/);
    }
  });
});
