/**
 * The one DynamoDB table of bienban, defined once. The CDK stack (infra/) and the local start-up
 * (DynamoDB Local) both build the table from THIS definition, so keys and indexes cannot drift.
 *
 * Single-table design. Items and keys:
 *
 * | item            | PK                    | SK                         | GSI1PK / GSI1SK (all meetings)                 | GSI2PK / GSI2SK (flagged only, sparse) |
 * | --------------- | --------------------- | -------------------------- | ---------------------------------------------- | -------------------------------------- |
 * | meeting         | MEETING#<id>          | META                       | TREE#<root>#<yyyy-mm> / <orgPath>/#<date>#<id> | same, only while the meeting has flags |
 * | page of meeting | MEETING#<id>          | PAGE#<nnn>                 | –                                              | –                                      |
 * | audit entry     | MEETING#<id>          | AUDIT#<iso time>#<seq>     | –                                              | –                                      |
 * | ingest key      | INGEST#<content hash> | INGEST                     | –                                              | –                                      |
 * | upload state    | UPLOAD#<upload id>    | STATE                      | –                                              | –                                      |
 * | organisation    | ORG#<id>              | META                       | CHILDREN#<parentId> / <name>                   | –                                      |
 * | member          | ORG#<cellId>          | MEMBER#<memberId>          | –                                              | –                                      |
 *
 * Access patterns and the key that serves each:
 * - meeting by id ........................ GetItem PK=MEETING#id, SK=META
 * - pages / audit trail of a meeting ...... Query PK=MEETING#id, begins_with(SK, "PAGE#" | "AUDIT#")
 * - meetings of a cell by month .......... Query GSI1 PK=TREE#root#month, begins_with(GSI1SK, cellPath + "/")
 * - meetings of any subtree by month ..... Query GSI1 PK=TREE#root#month, begins_with(GSI1SK, orgPath + "/")
 * - flagged meetings of a subtree by month  Query GSI2, same keys (sparse: only flagged meetings are in it)
 * - counts per flag code of that range .... Query GSI3 (GSI2's keys, only `flagCodes` projected)
 * - the same upload twice ................ GetItem PK=INGEST#hash (idempotent ingest)
 * - state of a direct upload ............. GetItem PK=UPLOAD#id
 * - children of an organisation .......... Query GSI1 PK=CHILDREN#parentId
 * - members of a cell .................... Query PK=ORG#cellId, begins_with(SK, "MEMBER#")
 * - a member's attendance over the year ... the cell's meetings of the year (12 GSI1 month ranges
 *                                           of the cell path); absentees are read from them
 *
 * Why the month and the root organisation in the partition key: the first days of the month are
 * the peak (many provinces meet on a fixed day), so no key may take all of one day's writes;
 * the root (province) spreads them, the month bounds each partition, and the org path in the
 * sort key turns "the subtree of X" into one begins_with range.
 */

export type KeyType = "S" | "N";
export interface KeyDef {
  name: string;
  type: KeyType;
}
export interface IndexDef {
  indexName: string;
  partitionKey: KeyDef;
  sortKey: KeyDef;
  /**
   * ALL: the queries read whole meetings (lists with flags and fields). INCLUDE: the queries read
   * only `nonKeyAttributes` (counts), so each item in the index stays tiny.
   */
  projection: "ALL" | "INCLUDE";
  nonKeyAttributes?: string[];
}
export interface TableDef {
  /** logical name; the physical name comes from configuration (TABLE_NAME) */
  logicalName: string;
  partitionKey: KeyDef;
  sortKey: KeyDef;
  globalSecondaryIndexes: IndexDef[];
  /** attribute holding an epoch-seconds expiry, for short-lived items (never meetings) */
  timeToLiveAttribute?: string;
}

export const TABLE: TableDef = {
  logicalName: "bienban",
  partitionKey: { name: "PK", type: "S" },
  sortKey: { name: "SK", type: "S" },
  globalSecondaryIndexes: [
    {
      indexName: "GSI1",
      partitionKey: { name: "GSI1PK", type: "S" },
      sortKey: { name: "GSI1SK", type: "S" },
      projection: "ALL",
    },
    {
      indexName: "GSI2",
      partitionKey: { name: "GSI2PK", type: "S" },
      sortKey: { name: "GSI2SK", type: "S" },
      projection: "ALL",
    },
    {
      // the same keys as GSI2, projecting only the flag codes: "counts per code" of a subtree's
      // month reads ~100 bytes a meeting instead of the whole meeting
      indexName: "GSI3",
      partitionKey: { name: "GSI2PK", type: "S" },
      sortKey: { name: "GSI2SK", type: "S" },
      projection: "INCLUDE",
      nonKeyAttributes: ["flagCodes"],
    },
  ],
};

/** Every attribute that is a key of the table or of an index, with its type. */
export function keyAttributes(def: TableDef = TABLE): KeyDef[] {
  const all = [def.partitionKey, def.sortKey, ...def.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  const seen = new Map<string, KeyDef>();
  for (const k of all) seen.set(k.name, k);
  return [...seen.values()];
}
