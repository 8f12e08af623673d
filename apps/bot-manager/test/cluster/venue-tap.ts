// A recording proxy in front of the simulator's Polymarket CLOB that knows which PROCESS sent each request: at each
// new connection it looks the client's socket up in /proc/net/tcp and finds the process holding it (/proc/<pid>/fd),
// while that process is still connected. With the request's API key (whose wallet) this is the venue's per-key log
// attributed to runners, without trusting anything a runner says about itself. Needs to see other processes' fds
// (the tests run as root, or as the runners' user).
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

export interface TappedRequest {
  atMs: number;
  method: string;
  path: string;
  /** POLY_API_KEY: whose wallet (null for public requests). */
  apiKey: string | null;
  /** The process that sent it (null if it was gone before its connection could be looked up). */
  pid: number | null;
  status: number | null;
}

export interface VenueTap {
  origin: string;
  requests: TappedRequest[];
  close(): Promise<void>;
}

const hexPort = (port: number): string => port.toString(16).toUpperCase().padStart(4, '0');

/** The inode of the client end of a loopback TCP connection from `clientPort` to `serverPort`. */
function clientSocketInode(clientPort: number, serverPort: number): string | null {
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      const local = f[1];
      const remote = f[2];
      if (local?.endsWith(`:${hexPort(clientPort)}`) && remote?.endsWith(`:${hexPort(serverPort)}`))
        return f[9] ?? null;
    }
  }
  return null;
}

function holds(pid: number, target: string): boolean {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) === target) return true;
    } catch {
      // closed meanwhile
    }
  }
  return false;
}

/** The process holding socket `inode` open: the likely ones first, then every process. */
function socketOwner(inode: string, likely: readonly number[]): number | null {
  const target = `socket:[${inode}]`;
  for (const pid of likely) if (holds(pid, target)) return pid;
  for (const d of readdirSync('/proc')) {
    if (/^\d+$/.test(d) && Number(d) !== process.pid && holds(Number(d), target)) return Number(d);
  }
  return null;
}

const header = (req: IncomingMessage, name: string): string | null => {
  const v = req.headers[name.toLowerCase()];
  return typeof v === 'string' ? v : null;
};

/** `likely`: the pids to look at first (the cluster's runners and managers), for speed only. */
export async function startVenueTap(target: string, likely: () => number[] = () => []): Promise<VenueTap> {
  const requests: TappedRequest[] = [];
  const owners = new WeakMap<Socket, number | null>();
  let port = 0;
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    const entry: TappedRequest = {
      atMs: Date.now(),
      method,
      path: url.split('?')[0] ?? url,
      apiKey: header(req, 'POLY_API_KEY'),
      pid: owners.get(req.socket) ?? null,
      status: null,
    };
    requests.push(entry);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && k !== 'host' && k !== 'content-length' && k !== 'connection') headers[k] = v;
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      fetch(`${target}${url}`, { method, headers, ...(body ? { body } : {}) }).then(
        async (r) => {
          const buf = Buffer.from(await r.arrayBuffer());
          entry.status = r.status;
          res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' }).end(buf);
        },
        () => {
          entry.status = 502;
          res.writeHead(502).end();
        },
      );
    });
  });
  // At connection time the client is connected and waiting for us: its socket is in its fd table now.
  server.on('connection', (socket: Socket) => {
    const inode = socket.remotePort === undefined ? null : clientSocketInode(socket.remotePort, port);
    owners.set(socket, inode ? socketOwner(inode, likely()) : null);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
