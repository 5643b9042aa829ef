/**
 * Writes the shipped samples: samples/<name>/page-N.jpg and samples/<name>/truth.json
 * ({ meeting, expectedFlags, style }). Deterministic: running it again rewrites the same bytes.
 *
 *   npx tsx scripts/generate-samples.ts
 */
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateMeeting, type DefectCode, type Style } from "./corpus/index.ts";
import type { MeetingKind } from "../shared/meeting/schema.ts";

interface Sample {
  name: string;
  seed: number;
  style: Style;
  kind: MeetingKind;
  defects: DefectCode[];
}

/** Described in samples/README.md; keep the two in step. */
export const SAMPLES: readonly Sample[] = [
  { name: "01-thuong-ky-day-du", seed: 1101, style: "typed", kind: "regular", defects: [] },
  { name: "02-thuong-ky-nhieu-loi", seed: 1102, style: "typed", kind: "regular", defects: ["MISSING_SECRETARY_SIGNATURE", "ATTENDANCE_BELOW_THRESHOLD", "DURATION_TOO_SHORT"] },
  { name: "03-ket-hop-chuyen-de", seed: 1103, style: "typed", kind: "combined", defects: [] },
  { name: "04-viet-tay-vang-khong-ly-do", seed: 1104, style: "handwritten", kind: "regular", defects: ["ABSENT_WITHOUT_REASON"] },
  { name: "05-viet-tay-chuyen-de-thieu-y-kien", seed: 1105, style: "handwritten", kind: "thematic", defects: ["MISSING_OPINIONS", "MISSING_VOTE_RESULT", "MISSING_CHAIR_SIGNATURE"] },
];

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "samples");

async function main(): Promise<void> {
  for (const s of SAMPLES) {
    const m = await generateMeeting(s.seed, { style: s.style, kind: s.kind, defects: s.defects });
    const dir = join(root, s.name);
    await mkdir(dir, { recursive: true });
    for (const f of await readdir(dir)) if (/^page-\d+\.jpg$/.test(f)) await rm(join(dir, f));
    for (const [i, page] of m.pages.entries()) await writeFile(join(dir, `page-${i + 1}.jpg`), page);
    const truth = { meeting: m.truth.meeting, expectedFlags: m.truth.expectedFlags, style: m.style };
    await writeFile(join(dir, "truth.json"), `${JSON.stringify(truth, null, 2)}\n`);
    process.stderr.write(`${s.name}: ${m.pages.length} page(s), ${m.pages.map((p) => Math.round(p.length / 1024)).join("+")} KB, flags ${m.truth.expectedFlags.join(",") || "none"}\n`);
  }
}

await main();
