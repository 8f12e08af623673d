// Next calls register() once when the server starts: the environment is checked then, not at the first request.
import { checkServerEnvAtBoot } from './env.ts';

export function register(): void {
  checkServerEnvAtBoot();
}
