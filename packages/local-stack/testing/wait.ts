// Waiting in tests without asserting on wall-clock time: bounded by attempts, and a process check.

/** Polls `check` until it stops throwing (bounded by attempts, not by wall-clock assertions). */
export async function eventually(check: () => void | Promise<void>, attempts = 400): Promise<void> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      await check();
      return;
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  throw last;
}

/** Whether a process with this pid exists (signal 0 only checks). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
