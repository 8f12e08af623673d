// Turns the manager's LISTEN logins away at the server while the test says so: a Postgres 17 login event trigger
// that raises for the LISTEN connection's application_name when a database setting is on. Every other connection
// (the manager's pool, the test's own) is untouched, so only the LISTEN path sees the outage.
import type { Sql } from 'postgres';

/**
 * The application_name of a manager's LISTEN connection, as a LIKE pattern: `polybot-bot-manager/<managerId>/listen`
 * (manager/coordination/coordination-db.ts; its pool and lease connections are `polybot-bot-manager/<managerId>`).
 */
export const LISTEN_APP = 'polybot-bot-manager/%/listen';

export interface ListenRefusal {
  /** New LISTEN logins are refused (existing connections stay open). */
  start(): Promise<void>;
  /** New LISTEN logins are let in again; the trigger stays until `remove`. */
  end(): Promise<void>;
  remove(): Promise<void>;
}

export function refuseListenLogins(superuser: Sql): ListenRefusal {
  return {
    async start() {
      await superuser.unsafe(`
        create or replace function public.test_refuse_listen_logins() returns event_trigger language plpgsql as $$
        begin
          if current_setting('application_name') like '${LISTEN_APP}'
             and coalesce(current_setting('polybot.refuse_listen', true), '') = 'on' then
            raise exception 'test: the database refuses the LISTEN connection';
          end if;
        end $$;
        drop event trigger if exists test_refuse_listen_logins;
        create event trigger test_refuse_listen_logins on login execute function public.test_refuse_listen_logins();`);
      await superuser.unsafe(`alter database postgres set polybot.refuse_listen = 'on'`);
    },
    async end() {
      await superuser.unsafe(`alter database postgres reset polybot.refuse_listen`);
    },
    async remove() {
      await superuser.unsafe(`alter database postgres reset polybot.refuse_listen`);
      await superuser.unsafe(`drop event trigger if exists test_refuse_listen_logins`);
    },
  };
}
