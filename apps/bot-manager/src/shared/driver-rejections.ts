// postgres.js 3.4.9 drops promises of its own while a connection starts: its internal array-types query (fetch_types)
// and a login the server refuses can reject with nobody listening (porsager/postgres#1192, #1205, #1223). Node ends
// the process on an unhandled rejection, so a database incident — the very moment a manager must fence itself and
// rejoin (ARCHITECTURE §7.9) — killed the whole manager with every user it ran. The caller's own query fails on its
// own terms; the dropped copy carries nothing to act on. So exactly those are logged and the manager goes on; any other
// unhandled rejection still ends the process, as before.
import type { Logger } from 'pino';

/** An error the database sent (postgres.js's PostgresError: a server ErrorResponse, with its SQLSTATE). */
export function isDatabaseError(e: unknown): e is Error & { code: string; severity?: string } {
  return e instanceof Error && e.name === 'PostgresError' && typeof (e as { code?: unknown }).code === 'string';
}

/** The handler for process 'unhandledRejection': database errors are logged, anything else is rethrown (exit). */
export function driverRejectionHandler(log: Pick<Logger, 'error'>): (reason: unknown) => void {
  return (reason) => {
    if (!isDatabaseError(reason)) throw reason;
    log.error(
      { code: reason.code, severity: reason.severity, err: reason.message },
      'a database error no query was waiting for (postgres.js dropped it while a connection started): continuing',
    );
  };
}
