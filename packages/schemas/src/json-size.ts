// How big a JSON value is as the database counts it: the UTF-8 bytes of Postgres' text form of a jsonb value
// (`value::jsonb::text`), which is what a `check (octet_length(col::text) <= N)` measures. Postgres writes ", " and
// ": " between items and numbers in plain decimal (1e-7 → 0.0000001), so JSON.stringify's length is not it; this is.
// supabase/tests/user-config-sizes.test.ts holds the two equal over awkward values (escapes, non-ASCII, exponents).

/** UTF-8 bytes of `value` written the way Postgres writes a jsonb back as text. */
export function jsonbTextBytes(value: unknown): number {
  return new TextEncoder().encode(jsonbText(value)).length;
}

function jsonbText(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : jsonbText(v))).join(', ')}]`;
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return plainNumber(value);
    case 'boolean':
      return String(value);
    case 'object': {
      const members = Object.entries(value).filter(([, v]) => v !== undefined);
      return `{${members.map(([k, v]) => `${JSON.stringify(k)}: ${jsonbText(v)}`).join(', ')}}`;
    }
    default:
      return 'null';
  }
}

/** A number as Postgres' numeric prints it after reading JavaScript's text for it: never in exponent form. */
function plainNumber(n: number): string {
  if (!Number.isFinite(n)) return 'null';
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(String(n));
  if (!m) return String(n);
  const [, sign = '', int = '', frac = '', exp = '0'] = m;
  const digits = int + frac;
  const point = int.length + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
