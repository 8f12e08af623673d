// Test-only: a runner that burns CPU without end (init testHooks.burnCpuFor names its user), so the manager's CPU
// budget watch (manager/cpu-budget.ts) can be proven on a real process. It ignores the throttle on purpose: the load
// is not a decision. Each slice yields to the event loop, so heartbeats and the manager's 'stop' still get through.
const SLICE_MS = 20;

export function burnCpu(): () => void {
  let on = true;
  const slice = (): void => {
    if (!on) return;
    const end = Date.now() + SLICE_MS;
    while (Date.now() < end) {
      // spin
    }
    setImmediate(slice);
  };
  setImmediate(slice);
  return () => {
    on = false;
  };
}
