// Serve a Supabase edge function locally the way the platform runs it: `deno serve` on the function's
// `export default { fetch }` (the declarative handler the hosted Edge Runtime loads too), the function's own
// deno.json, its environment, nothing else. Used by `npm start` and end-to-end tests; production uses
// `supabase functions deploy`.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '../postgres/index.ts';
import { stopChild } from '../process.ts';
import { denoCommand, denoTlsEnv } from './deno.ts';

const FUNCTIONS_DIR = fileURLToPath(new URL('../../../../supabase/functions/', import.meta.url));

export interface EdgeFunctionServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function serveEdgeFunction(options: {
  name: string;
  env: Record<string, string>;
  port?: number;
  onLog?: (line: string) => void;
}): Promise<EdgeFunctionServer> {
  if (!/^[a-z0-9-]+$/.test(options.name)) throw new Error(`invalid edge function name ${options.name}`);
  const dir = `${FUNCTIONS_DIR}${options.name}/`;
  const port = options.port ?? (await findFreePort());
  const deno = denoCommand([
    'serve',
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
    '--allow-net',
    '--allow-env',
    '--allow-read',
    '--no-prompt',
    '--config',
    `${dir}deno.json`,
    `${dir}index.ts`,
  ]);
  const child = spawn(deno.command, deno.args, {
    cwd: dir,
    // Only what the function needs (plus what npx/deno need to start): never the parent's secrets wholesale.
    env: { ...passThroughEnv(), ...denoTlsEnv(), NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = options.onLog ?? (() => {});
  let output = '';
  const onData = (chunk: Buffer): void => {
    const text = chunk.toString();
    output = (output + text).slice(-4000);
    for (const line of text.split('\n').filter(Boolean)) log(line);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilListening(child, url, () => output);
  return { url, port, close: () => stop(child) };
}

// What Deno itself needs to start and fetch npm packages (cache dir, registry, proxies), never the parent's secrets.
const PASS_THROUGH = [
  'PATH',
  'HOME',
  'DENO_DIR',
  'NPM_CONFIG_REGISTRY',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'SSL_CERT_FILE',
];

function passThroughEnv(): Record<string, string> {
  return Object.fromEntries(
    PASS_THROUGH.flatMap((name) => {
      const value = process.env[name];
      return value ? [[name, value]] : [];
    }),
  );
}

async function waitUntilListening(child: ChildProcess, url: string, output: () => string): Promise<void> {
  let exited = false;
  child.once('exit', () => (exited = true));
  // First start may download npm packages into Deno's cache; bounded by attempts, not by asserting a duration.
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (exited) throw new Error(`edge function exited before listening:\n${output()}`);
    try {
      const res = await fetch(url, { method: 'GET' });
      await res.body?.cancel();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await stop(child);
  throw new Error(`edge function did not start listening on ${url}:\n${output()}`);
}

function stop(child: ChildProcess): Promise<void> {
  return stopChild(child, 5000);
}
