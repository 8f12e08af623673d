// Cuts one manager off the database, as a network partition would: its open connections are terminated
// (pg_terminate_backend on its application_name) and its new logins refused at the server for as long as the test
// says, by a Postgres 17 login event trigger (the technique of test/refuse-listen.ts) that raises for application
// names listed in a table. Every other connection — the other managers, the test's own — is untouched.
import type { Sql } from 'postgres';

/**
 * The application_name of manager `id`'s connections (issue 15: pool and lease); its LISTEN connection adds
 * `/listen`. A connection is the manager's if its name is this or starts with this and a '/'.
 */
export function managerAppName(id: string): string {
  return Buffer.from(`polybot-bot-manager/${id}`).subarray(0, 63).toString('utf8');
}

const OF_MANAGER = `(application_name = $1 or starts_with(application_name, $1 || '/'))`;

export interface LoginRefusal {
  /** Refuse manager `id`'s new logins and terminate its open connections; resolves with how many were terminated. */
  cut(id: string): Promise<number>;
  /** Let manager `id` log in again. */
  restore(id: string): Promise<void>;
  /** The manager's connections open now (0 while it is cut off). */
  connections(id: string): Promise<number>;
  remove(): Promise<void>;
}

export async function installLoginRefusal(superuser: Sql): Promise<LoginRefusal> {
  await superuser.unsafe(`
    create table if not exists public.test_refused_logins (application_name text primary key);
    create or replace function public.test_refuse_logins() returns event_trigger
      language plpgsql security definer set search_path = '' as $$
    begin
      if exists (select 1 from public.test_refused_logins r
                  where current_setting('application_name') = r.application_name
                     or starts_with(current_setting('application_name'), r.application_name || '/')) then
        raise exception 'test: the database refuses % (cut off)', current_setting('application_name');
      end if;
    end $$;
    drop event trigger if exists test_refuse_logins;
    create event trigger test_refuse_logins on login execute function public.test_refuse_logins();`);
  return {
    async cut(id) {
      const app = managerAppName(id);
      await superuser`insert into public.test_refused_logins values (${app}) on conflict do nothing`;
      const rows = await superuser.unsafe<{ ok: boolean }[]>(
        `select pg_terminate_backend(pid) as ok from pg_stat_activity where ${OF_MANAGER}`,
        [app],
      );
      return rows.filter((r) => r.ok).length;
    },
    async restore(id) {
      await superuser`delete from public.test_refused_logins where application_name = ${managerAppName(id)}`;
    },
    async connections(id) {
      const [r] = await superuser.unsafe<{ n: number }[]>(
        `select count(*)::int as n from pg_stat_activity where ${OF_MANAGER}`,
        [managerAppName(id)],
      );
      return r?.n ?? 0;
    },
    async remove() {
      await superuser.unsafe(
        `drop event trigger if exists test_refuse_logins; delete from public.test_refused_logins;`,
      );
    },
  };
}
