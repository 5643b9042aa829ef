/**
 * A small example organisation tree that the local start seeds (idempotent: puts overwrite), so a
 * newcomer can upload right away. Two districts, so that "an inspector sees only their subtree"
 * can be tried by hand.
 */
import type { DynamoStore } from "../store/dynamo-store.ts";
import type { Org } from "../store/records.ts";

type SeedNode = { id: string; name: string; children?: SeedNode[] };

export const EXAMPLE_TREE: SeedNode = {
  id: "tinh-mau",
  name: "Đảng bộ tỉnh Mẫu (ví dụ)",
  children: [
    {
      id: "huyen-dong-son",
      name: "Đảng bộ huyện Đông Sơn",
      children: [
        {
          id: "xa-thanh-binh",
          name: "Đảng bộ xã Thanh Bình",
          children: [
            { id: "cb-dong-hoa", name: "Chi bộ thôn Đông Hòa" },
            { id: "cb-tay-hoa", name: "Chi bộ thôn Tây Hòa" },
          ],
        },
      ],
    },
    {
      id: "huyen-tay-son",
      name: "Đảng bộ huyện Tây Sơn",
      children: [
        {
          id: "xa-an-phu",
          name: "Đảng bộ xã An Phú",
          children: [
            { id: "cb-an-loc", name: "Chi bộ thôn An Lộc" },
            { id: "cb-thcs-an-phu", name: "Chi bộ Trường THCS An Phú" },
          ],
        },
      ],
    },
  ],
};

export function flattenTree(node: SeedNode, parent: Org | null = null): Org[] {
  const org: Org = {
    id: node.id,
    name: node.name,
    kind: node.children ? "committee" : "cell",
    parentId: parent?.id ?? null,
    path: parent ? `${parent.path}/${node.id}` : node.id,
  };
  return [org, ...(node.children ?? []).flatMap((c) => flattenTree(c, org))];
}

export async function seedExampleTree(store: DynamoStore, tree: SeedNode = EXAMPLE_TREE): Promise<number> {
  const orgs = flattenTree(tree);
  for (const o of orgs) await store.putOrg(o);
  return orgs.length;
}
