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

// Deno trusts only its bundled Mozilla roots unless told otherwise, so behind a TLS-inspecting proxy (a corporate
// CA installed in the system store, as on our CI machines) its first `npm:` download fails with "invalid peer
// certificate: UnknownIssuer" while npm itself works. Trust the system store as well, as Node and npm do here.
export function denoTlsEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = { DENO_TLS_CA_STORE: env.DENO_TLS_CA_STORE ?? 'mozilla,system' };
  if (env.DENO_CERT) out.DENO_CERT = env.DENO_CERT;
  return out;
}
