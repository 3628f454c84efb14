/** Japanese (公用文) messages: the organisation directory. */
export const jaUnits = {
  'unitKind.department': '部局',
  'unitKind.division': '課・室',
  'unitKind.municipality': '市町',
  'unitKind.agency': '関係機関',
  'units.title': '組織',
  'units.new': '組織を登録する',
  'units.edit': '組織の編集',
  'units.import': 'Excel・CSVから取り込む',
  'units.searchLabel': '組織名・フリガナ・団体コードで検索',
  'units.people': '所属職員',
} as const;
