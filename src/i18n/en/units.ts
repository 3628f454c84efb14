/** English messages: the organisation directory. */
export const enUnits = {
  'unitKind.department': 'Department',
  'unitKind.division': 'Division',
  'unitKind.municipality': 'Municipality',
  'unitKind.agency': 'Related agency',
  'units.title': 'Organisation',
  'units.new': 'Add a unit',
  'units.edit': 'Edit unit',
  'units.import': 'Import from Excel or CSV',
  'units.searchLabel': 'Search by name, furigana or code',
  'units.people': 'Staff',
};
