// How to run Deno: the binary the `deno` npm package installs, called directly so signals reach Deno itself (an
// `npx` wrapper in between would be the process we kill, leaving Deno running). Falls back to `npx deno`.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function denoCommand(args: string[]): { command: string; args: string[] } {
  try {
    const pkg = createRequire(import.meta.url).resolve('deno/package.json');
    const binary = join(dirname(pkg), process.platform === 'win32' ? 'deno.exe' : 'deno');
    if (existsSync(binary)) return { command: binary, args };
  } catch {
    // not resolvable from here: use npx below
  }
  return { command: 'npx', args: ['--no-install', 'deno', ...args] };
}
