// Database access for a runner goes through the manager over IPC: the runner holds no database credentials, and the
// manager binds every operation to this runner's user id, so a runner can only ever touch its own user's rows.
import type { DbOp } from '../shared/ipc.ts';

type Send = (msg: { type: 'db'; id: number; request: DbOp }) => void;

export class DbRpc {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly send: Send) {}

  call(request: DbOp): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ type: 'db', id, request });
    });
  }

  settle(id: number, ok: boolean, value: unknown, error: string | null): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (ok) p.resolve(value);
    else p.reject(new Error(error ?? 'database operation failed'));
  }

  get inFlight(): number {
    return this.pending.size;
  }
}
