import { describe, expect, it } from 'vitest';
import { type ImportedPerson, type ImportRowValues, importChanges, importedPerson } from '../../src/domain/person-import.js';

const registered: ImportedPerson = {
  name: '渡辺 健一',
  kana: 'ワタナベ ケンイチ',
  email: 'k.watanabe@pref.example.jp',
  staffNumber: '100234',
  jobTitle: '主査',
  unitId: 7,
  affiliation: 'prefecture',
  roles: ['coordinator', 'staff'],
};
/** The row a download of this person gives back, every column present. */
const same: ImportRowValues = { ...registered, roles: ['staff', 'coordinator'] };

describe('importedPerson: what a row leaves', () => {
  it.each<[string, Partial<ImportRowValues>, ImportedPerson | null, Partial<ImportedPerson>]>([
    ['a column the file lacks keeps what is registered', { staffNumber: undefined, jobTitle: undefined, unitId: undefined }, registered, { staffNumber: '100234', jobTitle: '主査', unitId: 7 }],
    ['an empty cell (null) removes it', { staffNumber: null, jobTitle: null, unitId: null }, registered, { staffNumber: null, jobTitle: null, unitId: null }],
    ['a new person without those columns has none', { staffNumber: undefined, jobTitle: undefined, unitId: undefined }, null, { staffNumber: null, jobTitle: null, unitId: null }],
    ['no roles in the file: a registered person keeps theirs', { roles: null }, registered, { roles: null }],
    ['no roles in the file: a new person is 職員', { roles: null }, null, { roles: ['staff'] }],
    ['roles are written once each, in order', { roles: ['staff', 'admin', 'staff'] }, registered, { roles: ['admin', 'staff'] }],
  ])('%s', (_, row, who, expected) => {
    expect(importedPerson({ ...same, ...row }, who)).toMatchObject(expected);
  });
});

describe('importChanges: what a row changes about a registered person', () => {
  it.each<[string, Partial<ImportRowValues>, string[]]>([
    ['the download read back: nothing (roles in another order)', {}, []],
    ['columns the file lacks: nothing', { staffNumber: undefined, jobTitle: undefined, unitId: undefined, roles: null }, []],
    ['a new 職名', { jobTitle: '課長補佐' }, ['jobTitle']],
    ['an empty 職名 cell removes it', { jobTitle: null }, ['jobTitle']],
    ['a move to another unit', { unitId: 8 }, ['unit']],
    ['an email in capitals is a change (the address mailed to changes)', { email: 'K.Watanabe@pref.example.jp' }, ['email']],
    ['a role fewer', { roles: ['staff'] }, ['roles']],
    ['a changed name and フリガナ, in the form\'s order', { kana: 'ワタナベ ケンジ', name: '渡辺 健二' }, ['name', 'kana']],
    ['everything', { name: 'x', kana: 'エックス', email: 'x@pref.example.jp', staffNumber: '1', jobTitle: null, unitId: null, affiliation: 'municipality', roles: ['staff'] }, ['name', 'kana', 'email', 'staffNumber', 'jobTitle', 'unit', 'affiliation', 'roles']],
  ])('%s', (_, row, expected) => {
    expect(importChanges(registered, importedPerson({ ...same, ...row }, registered))).toEqual(expected);
  });

  it('a registered person without roles given ones: a change; given none: none', () => {
    const bare = { ...registered, roles: [] };
    expect(importChanges(bare, importedPerson({ ...same, roles: ['staff'] }, bare))).toEqual(['roles']);
    expect(importChanges(bare, importedPerson({ ...same, roles: null }, bare))).toEqual([]);
  });
});
