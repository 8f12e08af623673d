import { describe, expect, it } from 'vitest';
import { driverRejectionHandler } from './driver-rejections.ts';

class PostgresError extends Error {
  code: string;
  severity = 'FATAL';
  constructor(message: string, code: string) {
    super(message);
    this.name = 'PostgresError';
    this.code = code;
  }
}

describe('driverRejectionHandler', () => {
  it('logs a database error nobody awaited and lets the process go on', () => {
    const logged: unknown[] = [];
    const handle = driverRejectionHandler({ error: (o: unknown) => void logged.push(o) } as never);
    expect(() => handle(new PostgresError('the database refuses this login', 'P0001'))).not.toThrow();
    expect(logged).toEqual([expect.objectContaining({ code: 'P0001', severity: 'FATAL' })]);
  });

  it('rethrows anything else, so a real bug still ends the process', () => {
    const handle = driverRejectionHandler({ error: () => undefined } as never);
    const bug = new TypeError('x is undefined');
    expect(() => handle(bug)).toThrow(bug);
    expect(() => handle(Object.assign(new Error('no sqlstate'), { name: 'PostgresError' }))).toThrow();
    expect(() => handle('a string')).toThrow();
  });
});
