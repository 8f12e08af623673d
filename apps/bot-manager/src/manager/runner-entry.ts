// Where the runner's compiled entry is. Production runs the manager built by `npm run build` (scripts/build.ts), which
// builds the runner beside it into dist/runner/ and sets POLYBOT_PREBUILT_RUNNER to that path (relative to the
// manager's own bundle): nothing is compiled at run time and no build tool is needed. From sources (tsx, vitest, the
// in-process manager of `npm start`) the identifier is not defined, and the runner is bundled on demand, cached by a
// hash of its sources (runner-bundle.ts), so an edit is picked up without a build step.
import { fileURLToPath } from 'node:url';

declare const POLYBOT_PREBUILT_RUNNER: string | undefined;

export function runnerEntry(): Promise<string> {
  if (typeof POLYBOT_PREBUILT_RUNNER === 'string')
    return Promise.resolve(fileURLToPath(new URL(POLYBOT_PREBUILT_RUNNER, import.meta.url)));
  return import('./runner-bundle.ts').then((m) => m.runnerBundle());
}
