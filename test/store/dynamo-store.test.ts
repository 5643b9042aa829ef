import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { emptyMeeting, type Flag } from "../../shared/meeting/schema.ts";
import { flattenTree, seedExampleTree } from "../../shared/orgs/seed.ts";
import { ensureTable } from "../../shared/store/create-table.ts";
import { DuplicateUploadError, type DynamoStore } from "../../shared/store/dynamo-store.ts";
import type { MeetingRecord } from "../../shared/store/records.ts";
import { TABLE } from "../../shared/store/table.ts";
import { freshStore } from "../helpers/dynamo.ts";

const flag = (code: string): Flag => ({ code, severity: "error", field: "x", message: "m", basis: "b" });

function record(cellPath: string, date: string, flags: Flag[], hash = randomUUID().replace(/-/g, "").padEnd(64, "0")): MeetingRecord {
  const cellId = cellPath.split("/").at(-1) ?? "";
  return {
    id: randomUUID(),
    cellId,
    orgPath: cellPath,
    month: date.slice(0, 7),
    version: 1,
    createdAt: "2026-11-03T10:00:00.000Z",
    updatedAt: "2026-11-03T10:00:00.000Z",
    contentHash: hash,
    engine: "test",
    pages: [],
    document: {
      schemaVersion: 1,
      meeting: { ...emptyMeeting(), meetingDate: date },
      flags,
      confidence: {},
      review: { needed: flags.length === 1, fields: flags.length === 1 ? ["attendance.present"] : [] },
    },
  };
}

describe("DynamoDB store on DynamoDB Local", () => {
  let store: DynamoStore;
  let env: Awaited<ReturnType<typeof freshStore>>;

  beforeAll(async () => {
    env = await freshStore();
    store = env.store;
    await seedExampleTree(store);
  });

  it("creates the table from the shared definition, idempotently", async () => {
    expect(await ensureTable(env.client, env.tableName)).toBe("exists");
    const d = await env.client.send(new DescribeTableCommand({ TableName: env.tableName }));
    expect(d.Table?.KeySchema?.map((k) => k.AttributeName)).toEqual([TABLE.partitionKey.name, TABLE.sortKey.name]);
    expect(d.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(TABLE.globalSecondaryIndexes.map((i) => i.indexName).sort());
  });

  it("stores the organisation tree and walks a subtree", async () => {
    const all = await store.listSubtree(null);
    expect(all.map((o) => o.id).sort()).toEqual(flattenTree((await import("../../shared/orgs/seed.ts")).EXAMPLE_TREE).map((o) => o.id).sort());
    const dong = await store.listSubtree("huyen-dong-son");
    expect(dong.map((o) => o.id).sort()).toEqual(["cb-dong-hoa", "cb-tay-hoa", "xa-thanh-binh"]);
    expect((await store.getOrg("cb-an-loc"))?.path).toBe("tinh-mau/huyen-tay-son/xa-an-phu/cb-an-loc");
    expect(await store.getOrg("khong-co")).toBeNull();
  });

  it("lists flagged meetings of a subtree by month, and only those", async () => {
    const dongHoa = "tinh-mau/huyen-dong-son/xa-thanh-binh/cb-dong-hoa";
    const anLoc = "tinh-mau/huyen-tay-son/xa-an-phu/cb-an-loc";
    const a = record(dongHoa, "2026-11-03", [flag("MISSING_CHAIR")]);
    const b = record(dongHoa, "2026-11-20", []);
    const c = record(anLoc, "2026-11-03", [flag("DURATION_TOO_SHORT"), flag("MISSING_CHAIR")]);
    const d = record(dongHoa, "2026-10-03", [flag("MISSING_CHAIR")]);
    for (const r of [a, b, c, d]) await store.createMeeting(r);

    const east = await store.listMeetings({ orgPath: "tinh-mau/huyen-dong-son", month: "2026-11", flaggedOnly: true });
    expect(east.items.map((m) => m.id)).toEqual([a.id]);
    const all = await store.listMeetings({ orgPath: "tinh-mau/huyen-dong-son", month: "2026-11" });
    expect(all.items.map((m) => m.id).sort()).toEqual([a.id, b.id].sort());
    const province = await store.listMeetings({ orgPath: "tinh-mau", month: "2026-11", flaggedOnly: true });
    expect(province.items.map((m) => m.id).sort()).toEqual([a.id, c.id].sort());
    const byCode = await store.listMeetings({ orgPath: "tinh-mau", month: "2026-11", flaggedOnly: true, code: "DURATION_TOO_SHORT" });
    expect(byCode.items.map((m) => m.id)).toEqual([c.id]);
    const review = await store.listMeetings({ orgPath: "tinh-mau", month: "2026-11", flaggedOnly: true, needsReview: true });
    expect(review.items.map((m) => m.id)).toEqual([a.id]);
    // a cell path must not match a sibling whose id starts the same way
    const cell = await store.listMeetings({ orgPath: "tinh-mau/huyen-dong-son/xa-thanh-binh/cb-dong", month: "2026-11" });
    expect(cell.items).toEqual([]);
  });

  it("lists summaries with the same filters: the rows' fields, not the whole meeting", async () => {
    const path = "tinh-mau/huyen-tay-son/xa-an-phu/cb-an-loc";
    const full = record(path, "2026-08-05", [flag("MISSING_SECRETARY"), flag("ATTENDANCE_BELOW_THRESHOLD")]);
    full.document.meeting = {
      ...full.document.meeting,
      cellName: "Chi bộ An Lộc",
      kind: "thematic",
      chair: "Nguyễn Văn An",
      opinions: [{ speaker: "Lê Văn Cường", text: "đề nghị …" }],
    };
    full.reviewState = { state: "in_progress", by: "inspector-1", at: "2026-08-06T00:00:00.000Z" };
    await store.createMeeting(full);
    await store.createMeeting(record(path, "2026-08-20", []));

    const page = await store.listMeetingSummaries({ orgPath: path, month: "2026-08", flaggedOnly: true, code: "MISSING_SECRETARY", kind: "thematic" });
    expect(page.items).toEqual([
      {
        id: full.id,
        cellId: full.cellId,
        orgPath: path,
        month: "2026-08",
        version: 1,
        createdAt: full.createdAt,
        updatedAt: full.updatedAt,
        engine: "test",
        reviewState: full.reviewState,
        document: {
          meeting: { cellName: "Chi bộ An Lộc", kind: "thematic", meetingDate: "2026-08-05" },
          flags: full.document.flags,
          review: full.document.review,
        },
      },
    ]);
    const all = await store.listMeetingSummaries({ orgPath: path, month: "2026-08" });
    expect(all.items.map((m) => m.document.meeting.meetingDate)).toEqual(["2026-08-05", "2026-08-20"]);
  });

  it("reuses organisation reads, and forgets them when this process writes one", async () => {
    await store.putOrg({ id: "cb-tam", name: "Chi bộ tạm", kind: "cell", parentId: "xa-an-phu", path: "tinh-mau/huyen-tay-son/xa-an-phu/cb-tam" });
    expect((await store.getOrg("cb-tam"))?.name).toBe("Chi bộ tạm");
    await store.putOrg({ id: "cb-tam", name: "Chi bộ đổi tên", kind: "cell", parentId: "xa-an-phu", path: "tinh-mau/huyen-tay-son/xa-an-phu/cb-tam" });
    expect((await store.getOrg("cb-tam"))?.name).toBe("Chi bộ đổi tên");
  });

  it("pages with opaque cursors that cannot be moved to another range", async () => {
    const path = "tinh-mau/huyen-dong-son/xa-thanh-binh/cb-tay-hoa";
    for (let day = 10; day < 15; day++) await store.createMeeting(record(path, `2026-09-${day}`, [flag("MISSING_CHAIR")]));
    const first = await store.listMeetings({ orgPath: path, month: "2026-09", flaggedOnly: true, limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.cursor).toBeTruthy();
    const second = await store.listMeetings({ orgPath: path, month: "2026-09", flaggedOnly: true, limit: 10, cursor: first.cursor ?? "" });
    expect(second.items).toHaveLength(3);
    expect(new Set([...first.items, ...second.items].map((m) => m.id)).size).toBe(5);
    await expect(store.listMeetings({ orgPath: path, month: "2026-08", flaggedOnly: true, cursor: first.cursor ?? "" })).rejects.toMatchObject({ code: "BAD_CURSOR" });
    await expect(store.listMeetings({ orgPath: path, month: "2026-09", cursor: "not-a-cursor" })).rejects.toMatchObject({ code: "BAD_CURSOR" });
  });

  it("refuses a second meeting with the same content hash, leaving the first intact", async () => {
    const path = "tinh-mau/huyen-tay-son/xa-an-phu/cb-thcs-an-phu";
    const first = record(path, "2026-11-05", []);
    await store.createMeeting(first);
    const again = { ...record(path, "2026-11-06", [flag("MISSING_CHAIR")]), contentHash: first.contentHash };
    const err = await store.createMeeting(again).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DuplicateUploadError);
    expect((err as DuplicateUploadError).existingId).toBe(first.id);
    expect(await store.getMeeting(again.id)).toBeNull();
    expect((await store.getMeeting(first.id))?.document.meeting.meetingDate).toBe("2026-11-05");
  });
});
