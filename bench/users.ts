// Many users for a benchmark in one statement: auth.users rows (the database's own triggers add each profile, config
// and status row, as for a sign-up), emails `<prefix>-<i>@example.test`. Their ids, in insertion order.
import type { Sql } from 'postgres';

export async function insertUsers(sql: Sql, n: number, prefix: string): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    insert into auth.users (id, email, aud, role)
    select gen_random_uuid(), ${prefix} || '-' || i || '@example.test', 'authenticated', 'authenticated'
      from generate_series(1, ${n}) i
    returning id`;
  return rows.map((r) => r.id);
}
