import { describe, expect, it } from "vitest";
import { findSignatureBlock } from "../../../shared/extraction/parser/index.ts";
import type { Box } from "../../../shared/extraction/ocr-page.ts";
import { fixture, pageFromText } from "./helpers.ts";

const centreX = (b: Box) => b.left + b.width / 2;

describe("findSignatureBlock", () => {
  it("splits side-by-side headings by word boxes and finds each name below", () => {
    const page = pageFromText(fixture("typed-template.txt"));
    const block = findSignatureBlock([page]);
    const sec = block.secretary;
    const chair = block.chair;
    expect(sec?.pageNumber).toBe(1);
    expect(chair?.pageNumber).toBe(1);
    expect(sec && chair && centreX(sec.heading) < centreX(chair.heading)).toBe(true);
    // the names are the words of "Trần Thị Bình" and "Nguyễn Văn An", not the "(đã ký)" line
    const nameLine = page.lines.find((l) => l.text.startsWith("Trần Thị Bình"));
    const tran = nameLine?.words[0]?.box;
    const an = nameLine?.words.at(-1)?.box;
    expect(sec?.name?.left).toBeCloseTo(tran?.left ?? -1, 5);
    expect(sec?.name && sec.name.left + sec.name.width).toBeLessThan(chair?.name?.left ?? 0);
    expect(chair?.name && chair.name.left + chair.name.width).toBeCloseTo((an?.left ?? 0) + (an?.width ?? 0), 5);
    expect(sec?.name?.top).toBeGreaterThan(sec?.heading.top ?? 1);
  });

  it("recognises 'Người ghi biên bản' and 'T/M Chi bộ' with a role line before the name, on the last page", () => {
    const p1 = pageFromText("Chủ trì: đồng chí Võ Thị Hạnh\nThư ký: đ/c Đặng Minh Tuấn", 1);
    const p2 = pageFromText(
      "Biên bản được thông qua.\n\nNgười ghi biên bản                    T/M Chi bộ\n                                         Bí thư\n\nĐặng Minh Tuấn                        Võ Thị Hạnh",
      2,
    );
    const block = findSignatureBlock([p2, p1]);
    expect(block.secretary?.pageNumber).toBe(2);
    expect(block.chair?.pageNumber).toBe(2);
    const names = p2.lines.at(-1)?.words ?? [];
    expect(block.secretary?.name?.left).toBeCloseTo(names[0]?.box.left ?? -1, 5);
    expect(block.chair?.name?.left).toBeCloseTo(names[3]?.box.left ?? -1, 5);
  });

  it("returns no slot when there is no heading, and a heading without name when none is written", () => {
    expect(findSignatureBlock([pageFromText("Chủ trì: đồng chí An\nkhông có chữ ký")])).toEqual({});
    const only = findSignatureBlock([pageFromText("CHỦ TRÌ\n(đã ký)")]);
    expect(only.chair?.heading).toBeDefined();
    expect(only.chair?.name).toBeUndefined();
    expect(only.secretary).toBeUndefined();
  });

  it("anchors on the row of names when the OCR lost the headings, and only on a row of names", () => {
    const p1 = pageFromText("BIÊN BẢN\nChủ trì: đồng chí Lý Thanh Tài; thư ký: đ/c Dương Thị Huyền.", 1);
    const p2 = pageFromText("Biên bản được thông qua.\n`\" ~\n\n\n\nLý Thanh Tài          Dương Thị Huyền", 2);
    const block = findSignatureBlock([p1, p2]);
    const names = p2.lines.at(-1)?.words ?? [];
    expect(block.chair?.pageNumber).toBe(2);
    expect(block.chair?.name?.left).toBeCloseTo(names[0]?.box.left ?? -1, 5);
    expect(block.secretary?.name?.left).toBeCloseTo(names[3]?.box.left ?? -1, 5);
    // the search region starts above the name, below where the lost heading stood
    expect(block.chair && block.chair.heading.top).toBeLessThan(block.chair?.name?.top ?? 0);
    // the body line naming the chair is not a row of names: no slot
    expect(findSignatureBlock([p1])).toEqual({});
  });
});
