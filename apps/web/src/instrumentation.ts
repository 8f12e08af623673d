// Next calls register() once when the server starts: the environment is checked then, not at the first request.
import { checkServerEnvAtBoot } from './env.ts';

export function register(): void {
  try {
    checkServerEnvAtBoot();
  } catch (e) {
    // A server answering 500 to every request hides its misconfiguration; one that exits at once names it, and an
    // orchestrator shows the crash with this line instead of a healthy-looking process.
    console.error(`polybot web: not starting, bad configuration:\n${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
