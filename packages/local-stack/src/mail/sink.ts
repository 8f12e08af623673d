// A local SMTP sink: accepts any mail on loopback (no TLS, any or no AUTH), parses it with mailparser and keeps it
// in memory for the browser inbox and for tests (`waitFor`). Nothing is relayed anywhere.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createInboxServer } from './inbox-server.ts';
import { matches, toSinkMessage, type MailFilter, type SinkMessage } from './store.ts';

export interface MailSinkOptions {
  /** Default 0 (a free port). */
  smtpPort?: number;
  /** Port of the browser inbox and JSON API. Default 0 (a free port). */
  httpPort?: number;
  host?: string;
  /** Largest message accepted (default 10 MB). */
  maxMessageBytes?: number;
  onError?: (error: unknown) => void;
}

export interface MailSink {
  smtpPort: number;
  /** `smtp://127.0.0.1:<port>`: give it to nodemailer's createTransport. */
  smtpUrl: string;
  /** The browser inbox; JSON at `${inboxUrl}/api/messages`. */
  inboxUrl: string;
  /** Accepted messages in arrival order, optionally filtered. */
  messages(filter?: MailFilter | ((message: SinkMessage) => boolean)): SinkMessage[];
  /** Resolves with the first message (already here or arriving) that matches; rejects after timeoutMs. */
  waitFor(match: MailFilter | ((message: SinkMessage) => boolean), timeoutMs?: number): Promise<SinkMessage>;
  /** Forget every message. */
  clear(): void;
  close(): Promise<void>;
}

export async function startMailSink(options: MailSinkOptions = {}): Promise<MailSink> {
  const host = options.host ?? '127.0.0.1';
  const onError = options.onError ?? ((error) => console.error(`mail sink: ${String(error)}`));
  const stored: SinkMessage[] = [];
  const waiters = new Set<(message: SinkMessage) => void>();
  const predicate = (match: MailFilter | ((m: SinkMessage) => boolean) = {}) =>
    typeof match === 'function' ? match : (m: SinkMessage) => matches(m, match);

  const smtp = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    size: options.maxMessageBytes ?? 10 * 1024 * 1024,
    logger: false,
    // close() waits this long for open SMTP sessions before ending them (local senders don't linger).
    closeTimeout: 1000,
    banner: 'PolyBot local mail sink',
    onAuth: (_auth, _session, callback) => callback(null, { user: 'local' }),
    onData: (stream, session, callback) => {
      simpleParser(stream)
        .then((parsed) => {
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
            to: session.envelope.rcptTo.map((r) => r.address),
          };
          const message = toSinkMessage(parsed, envelope);
          stored.push(message);
          for (const wake of waiters) wake(message);
          callback();
        })
        .catch((error: unknown) => {
          onError(error);
          callback(error instanceof Error ? error : new Error(String(error)));
        });
    },
  });
  smtp.on('error', onError);
  const inbox = createInboxServer({
    messages: (filter) => stored.filter(predicate(filter)),
    clear: () => stored.splice(0),
  });

  await listen((port, cb) => smtp.listen(port, host, cb), smtp.server, options.smtpPort ?? 0);
  try {
    await listen((port, cb) => inbox.listen(port, host, cb), inbox, options.httpPort ?? 0);
  } catch (error) {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    throw error;
  }
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const httpPort = (inbox.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;

  return {
    smtpPort,
    smtpUrl: `smtp://${shownHost}:${smtpPort}`,
    inboxUrl: `http://${shownHost}:${httpPort}`,
    messages: (filter) => stored.filter(predicate(filter)),
    waitFor: (match, timeoutMs = 10_000) => {
      const test = predicate(match);
      const already = stored.find(test);
      if (already) return Promise.resolve(already);
      return new Promise<SinkMessage>((resolve, reject) => {
        const wake = (message: SinkMessage): void => {
          if (!test(message)) return;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(message);
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          const seen = stored.map((m) => `${m.to.join(',')}: ${m.subject}`).join('; ') || 'none';
          reject(new Error(`mail sink: no matching message within ${timeoutMs} ms (messages: ${seen})`));
        }, timeoutMs);
        waiters.add(wake);
      });
    },
    clear: () => {
      stored.splice(0);
    },
    close: async () => {
      inbox.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => inbox.close(() => resolve())),
        new Promise<void>((resolve) => smtp.close(() => resolve())),
      ]);
    },
  };
}

function listen(
  start: (port: number, callback: () => void) => void,
  emitter: NodeJS.EventEmitter,
  port: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    emitter.once('error', reject);
    start(port, () => {
      emitter.off('error', reject);
      resolve();
    });
  });
}
