// What the BotManager tells whoever listens (tests, an embedding process): typed, so a listener and the emitting code
// cannot disagree on an event's name or payload.
export interface RunnerEvent {
  userId: string;
  pid: number;
  configVersion: number;
}

export interface ManagerEvents {
  /** A runner's first heartbeat: it has its init and trades. */
  runnerReady: [RunnerEvent];
  /** A runner acknowledged a config change applied in place. */
  configApplied: [RunnerEvent];
  /** A user's bot was taken out (policy, or an invalid config) and its status row says why. */
  runnerStopped: [{ userId: string }];
}
