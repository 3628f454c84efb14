import { describe, expect, it } from 'vitest';
import { blankDocumentNumber, formatDocumentNumber, mayIssueNotices, noticesToIssue, rosterOrder, unitAddressee, unitNoticeSubject } from '../../src/domain/paper.js';

describe('paper', () => {
  it.each([
    ['協働', 1, '協働第1号'],
    ['協働', 123, '協働第123号'],
    ['研セ', 45, '研セ第45号'],
  ])('formatDocumentNumber(%s, %i) = %s', (prefix, n, text) => expect(formatDocumentNumber(prefix, n)).toBe(text));

  it.each([0, -1, 1.5])('refuses serial %s', (n) => expect(() => formatDocumentNumber('協働', n)).toThrow(RangeError));

  it.each([
    ['総務課', [{ name: '山田 太郎', title: '課長' }], '総務課長 山田 太郎 様'],
    ['協働推進室', [{ name: '佐藤 花子', title: '室長' }], '協働推進室長 佐藤 花子 様'],
    ['政策研修センター', [{ name: '鈴木 一郎', title: '所長' }], '政策研修センター 所長 鈴木 一郎 様'],
    ['政策研修センター', [{ name: '鈴木 一郎', title: 'センター長' }], '政策研修センター長 鈴木 一郎 様'],
    ['総務課', [{ name: '研修 担当', title: '主査' }, { name: '山田 太郎', title: '課長' }], '総務課長 山田 太郎 様'],
    ['総務課', [{ name: '研修 担当', title: null }], '総務課長 様'],
    ['大津市', [{ name: '研修 担当', title: '主事' }], '大津市 所属長 様'],
    ['総務課', [], '総務課 所属長 様'],
    [null, [], '所属長 様'],
  ] as const)('unitAddressee(%s, …) = %s', (unit, approvers, text) => expect(unitAddressee(unit, approvers)).toBe(text));

  it.each([
    ['協働', '協働第　　号'],
    ['研セ', '研セ第　　号'],
  ])('blankDocumentNumber(%s) = %s', (prefix, text) => expect(blankDocumentNumber(prefix)).toBe(text));

  it.each([
    [{ id: 1, roles: ['admin'] }, true],
    [{ id: 1, roles: ['staff', 'admin'] }, true],
    [{ id: 1, roles: ['staff'] }, false],
    [{ id: 1, roles: ['approver', 'staff'] }, false],
    [{ id: 1, roles: ['partner'] }, false],
    [null, false],
  ] as const)('mayIssueNotices(%j) = %s', (actor, may) => expect(mayIssueNotices(actor)).toBe(may));

  it('an issue numbers exactly the notices without a number, in their order; those issued are never renumbered', () => {
    const notices = [
      { subject: 'a', doc: { number: '協働第1号' } },
      { subject: 'b', doc: null },
      { subject: 'c', doc: { number: '協働第2号' } },
      { subject: 'd', doc: null },
    ];
    expect(noticesToIssue(notices).map((n) => n.subject)).toEqual(['b', 'd']);
    expect(noticesToIssue(notices.filter((n) => n.doc))).toEqual([]);
  });

  it('keeps one subject per offering and unit', () => {
    expect(unitNoticeSubject(7, 12)).toBe('7:12');
    expect(unitNoticeSubject(7, null)).toBe('7:none');
  });

  it('orders a roster by フリガナ, never by the kanji, then by 職員番号', () => {
    const rows = [
      { name: '渡辺', kana: 'ワタナベ', staffNumber: '3' },
      { name: '髙橋', kana: 'たかはし', staffNumber: '2' },
      { name: '阿部', kana: 'アベ', staffNumber: '9' },
      { name: '高橋', kana: 'タカハシ', staffNumber: '1' },
    ];
    expect(rosterOrder(rows).map((r) => r.name)).toEqual(['阿部', '高橋', '髙橋', '渡辺']);
  });
});
