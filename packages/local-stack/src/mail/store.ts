// What the sink keeps of each message it accepted: mailparser's reading of it (from, to, subject, text, html, headers)
// plus the SMTP envelope. Held in memory only — the sink is for local runs and tests, and forgets on restart.
import { randomUUID } from 'node:crypto';
import type { AddressObject, ParsedMail } from 'mailparser';

export interface SinkMessage {
  /** Stable id within this sink (the inbox's `/messages/<id>` and the API's `/api/messages/<id>`). */
  id: string;
  /** ISO time the sink accepted the message. */
  receivedAt: string;
  /** The SMTP envelope (MAIL FROM / RCPT TO), which can differ from the headers (e.g. Bcc). */
  envelope: { from: string | null; to: string[] };
  /** The From header as written (`"PolyBot" <no-reply@example.com>`). */
  from: string;
  /** Addresses from the To header, lower-cased. */
  to: string[];
  subject: string;
  text: string;
  /** The HTML part, or null when the message had none. */
  html: string | null;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
}

/** Narrows what `messages()` / `waitFor()` / the JSON API return. All given fields must match. */
export interface MailFilter {
  /** An address in the To header or the envelope's recipients (case-insensitive, exact address). */
  to?: string;
  /** Substring of the subject (case-insensitive). */
  subject?: string;
}

export function toSinkMessage(parsed: ParsedMail, envelope: SinkMessage['envelope']): SinkMessage {
  const headers: Record<string, string> = {};
  for (const line of parsed.headerLines) {
    const value = line.line.slice(line.line.indexOf(':') + 1).trim();
    headers[line.key] = headers[line.key] === undefined ? value : `${headers[line.key]}, ${value}`;
  }
  return {
    id: randomUUID(),
    receivedAt: new Date().toISOString(),
    envelope,
    from: parsed.from?.text ?? '',
    to: addresses(parsed.to),
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : null,
    headers,
  };
}

export function matches(message: SinkMessage, filter: MailFilter = {}): boolean {
  if (filter.to !== undefined) {
    const wanted = filter.to.trim().toLowerCase();
    const recipients = [...message.to, ...message.envelope.to.map((a) => a.toLowerCase())];
    if (!recipients.includes(wanted)) return false;
  }
  if (filter.subject !== undefined && !message.subject.toLowerCase().includes(filter.subject.toLowerCase())) {
    return false;
  }
  return true;
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((o) => o.value.flatMap((a) => (a.address ? [a.address.toLowerCase()] : [])));
}
