// What the BotManager tells the runners in its slots outside a reconcile — market links, settled positions, the
// lease deadline — and what it reports about them. Free functions over the slots, so bot-manager.ts keeps only the
// lifecycle (reconcile, start, stop, fence).
import type { MarketLink } from '@polybot/schemas';
import type { PositionsSettledMessage } from '../shared/ipc.ts';
import { liveOf, type Slot } from './slot.ts';

export interface RunnerInfo {
  userId: string;
  pid: number;
  configVersion: number | null;
  /** Told to stop: it finishes, cancels and exits (and sends no order past its lease deadline). */
  stopping: boolean;
}

/** Live runner processes. */
export function listRunners(slots: Iterable<Slot>): RunnerInfo[] {
  const out: RunnerInfo[] = [];
  for (const s of slots) {
    const live = liveOf(s.state);
    const p = live?.proc;
    if (live && p && !p.exited)
      out.push({ userId: s.userId, pid: p.pid, configVersion: p.configVersion, stopping: live.kind === 'stopping' });
  }
  return out;
}

/** Every runner that has its init gets the new approved links; one still starting reads them from the feed at init. */
export function sendLinks(slots: Iterable<Slot>, links: MarketLink[]): void {
  for (const s of slots) {
    const p = liveOf(s.state)?.proc;
    if (p && !p.exited && p.ready) p.send({ type: 'links', links });
  }
}

/**
 * This manager still holds its users until `until` (monotonicMs()): each runner that has its init learns its new
 * deadline (runner/lease-guard.ts). A runner still starting reads opts.leaseUntil() when its init is sent.
 */
export function sendLease(slots: Iterable<Slot>, until: number): void {
  for (const s of slots) {
    const p = liveOf(s.state)?.proc;
    if (p && !p.exited && p.ready) p.send({ type: 'lease', until });
  }
}

/**
 * Some of this user's positions were settled: a running runner stops counting them as open (and reconciles live
 * Kalshi ones with the venue); a runner still starting gets an init without them. A stopped bot needs nothing: its
 * next start reads the open positions afresh (readRiskStart).
 */
export function sendPositionsSettled(s: Slot | undefined, settled: Omit<PositionsSettledMessage, 'type'>): void {
  const live = s ? liveOf(s.state) : null;
  if (!s || !live || live.proc.exited) return;
  if (s.state.kind === 'starting') {
    const gone = new Set(settled.instrumentIds);
    const risk = s.state.init.risk;
    s.state.init = {
      ...s.state.init,
      risk: { ...risk, openInstrumentIds: risk.openInstrumentIds.filter((id) => !gone.has(id)) },
    };
    return;
  }
  live.proc.send({ type: 'positionsSettled', ...settled });
}
