// SelectField writes its options as one string (a pick list of 50 units is 50 JSX nodes otherwise):
// the markup must be byte for byte what the JSX gave, for every kind of value and label.
import type { Child } from 'hono/jsx';
import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.js';
import { SelectField } from '../../src/http/views/components.js';

const t = translator('ja');
type SelectOption = { value: string | number; label: string };
type Props = { name: string; label: string; value?: string | number | null; options: SelectOption[]; groups?: { label: string; options: SelectOption[] }[]; blank?: string; plain?: boolean; required?: boolean };

/** The options as JSX wrote them before (the reference). */
function jsxOptions(p: Props): Child {
  const option = (o: SelectOption) => (
    <option value={String(o.value)} selected={String(o.value) === String(p.value ?? '')}>
      {o.label}
    </option>
  );
  return (
    <>
      {p.blank !== undefined ? <option value="">{p.blank}</option> : null}
      {p.options.map(option)}
      {(p.groups ?? []).map((g) => (
        <optgroup label={g.label}>{g.options.map(option)}</optgroup>
      ))}
    </>
  );
}

const html = async (c: Child) => String(await (c as { toString(): unknown }).toString());
/** The <select>'s inner markup. */
const inner = (s: string) => s.slice(s.indexOf('>', s.indexOf('<select')) + 1, s.indexOf('</select>'));

const nasty = ['', 'a', '<b>', '"quoted"', "it's", 'A&B', '&amp;', '　全角', '𠮷', '\\', '1 < 2 > 0', ' x '];

describe('SelectField options as one string', () => {
  const cases: Props[] = [
    { name: 'unit', label: '所属', options: [] },
    { name: 'unit', label: '所属', options: [], blank: '' },
    { name: 'unit', label: '所属', options: [], blank: '—', value: '' },
    { name: 'unit', label: '所属', blank: '—', value: 3, options: [1, 2, 3, 4].map((n) => ({ value: n, label: `${'　'.repeat(n % 2)}課${n}` })) },
    { name: 'unit', label: '所属', value: '3', options: [1, 2, 3].map((n) => ({ value: n, label: String(n) })) },
    { name: 'kind', label: '種別', value: null, options: nasty.map((s, i) => ({ value: s || i, label: s })) },
    { name: 'kind', label: '種別', value: '<b>', options: nasty.map((s) => ({ value: s, label: s })), blank: '<none>' },
    { name: 'kind', label: '種別', value: "it's", options: [], groups: [{ label: '"G" & <H>', options: nasty.map((s) => ({ value: s, label: `${s}!` })) }, { label: '', options: [] }] },
    { name: 'kind', label: '種別', value: 0, options: [{ value: 0, label: 'zero' }], groups: [{ label: 'g', options: [{ value: '0', label: 'zero again' }] }], required: true },
  ];

  it('writes the same bytes the JSX wrote', async () => {
    for (const p of cases) {
      const got = await html(<SelectField t={t} {...p} />);
      const want = await html(jsxOptions(p));
      expect(inner(got), JSON.stringify(p)).toBe(want);
    }
  });

  it('marks only the chosen value selected and escapes what needs it', async () => {
    const got = await html(<SelectField t={t} name="u" label="所属" value={2} blank="—" options={[{ value: 1, label: 'A&B' }, { value: 2, label: '<課>' }]} />);
    expect(inner(got)).toBe('<option value="">—</option><option value="1">A&amp;B</option><option value="2" selected="">&lt;課&gt;</option>');
  });
});
