import { describe, expect, it } from 'vitest';
import { type TreeUnit, unitTree } from '../../src/domain/unit-tree.js';

type U = TreeUnit & { name: string };
const u = (id: number, kind: U['kind'], name: string, kana: string, parent_id: number | null = null, code: string | null = null): U => ({ id, kind, parent_id, name, kana, code });

// A small directory: two 部局 with their 課, two 市町, a related agency, and a 課 whose 部局 is not listed.
const units: U[] = [
  u(1, 'department', '総務部', 'ソウムブ'),
  u(2, 'department', '環境部', 'カンキョウブ'),
  u(3, 'division', '人事課', 'ジンジカ', 1),
  u(4, 'division', '財政課', 'ザイセイカ', 1),
  u(5, 'division', '環境政策課', 'カンキョウセイサクカ', 2),
  u(6, 'municipality', '浜松市', 'ハママツシ', null, '221309'),
  u(7, 'municipality', '静岡市', 'シズオカシ', null, '221007'),
  u(8, 'agency', 'NPO活動支援センター', 'エヌピーオーカツドウシエンセンター'),
  u(9, 'division', '秘書課', 'ヒショカ', 99),
  u(10, 'division', '人事課', 'ジンジカ', 1),
];

describe('unitTree', () => {
  const tree = unitTree(units);

  it('lists 部局 (50音順) each followed by its 課 (50音順, then id), then related agencies, then 市町 by code; a 課 whose parent is absent is a root', () => {
    expect(tree.map((x) => [x.id, x.depth])).toEqual([
      [2, 0], // 環境部 カンキョウブ
      [5, 1],
      [1, 0], // 総務部 ソウムブ
      [4, 1], // 財政課 ザイセイカ
      [3, 1], // 人事課 ジンジカ (id 3 before id 10)
      [10, 1],
      [9, 0], // 秘書課: its 部局 is not among the rows
      [8, 0], // the related agency
      [7, 0], // 静岡市 221007
      [6, 0], // 浜松市 221309
    ]);
  });

  it.each([
    ['reversed', [...units].reverse()],
    ['rotated', [...units.slice(4), ...units.slice(0, 4)]],
  ])('gives the same result whatever the order of the rows (%s)', (_name, rows) => {
    expect(unitTree(rows)).toEqual(tree);
  });

  it('keeps every field of a unit, adds its depth after them, and leaves the rows as they were', () => {
    const before = JSON.stringify(units);
    expect(Object.keys(tree[0]!)).toEqual(['id', 'kind', 'parent_id', 'name', 'kana', 'code', 'depth']);
    expect(tree.find((x) => x.id === 6)).toEqual({ ...units[5], depth: 0 });
    expect(JSON.stringify(units)).toBe(before);
  });
});
