// Unsubscribing from an email's link, shared by the one-click POST (/api/unsubscribe, RFC 8058) and the page's button
// (/unsubscribe): the token's signature (NOTIFY_UNSUBSCRIBE_SECRET) is the proof, no sign-in is needed, and the
// database function runs as the web role (packages/db notification-web.ts).
import 'server-only';
import { unsubscribeNotificationChannel, type UnsubscribeOutcome } from '@polybot/db/user';
import { verifyUnsubscribeToken, type UnsubscribeClaims } from '@polybot/notify';
import { db } from '../db.ts';
import { notifyConfig } from './config.ts';

/** The token's claims when it is genuine and unexpired; null otherwise (or when this platform signs none). */
export function readUnsubscribeToken(token: string | null | undefined): UnsubscribeClaims | null {
  const secret = notifyConfig().unsubscribeSecret;
  if (!secret || !token || token.length > 2000) return null;
  return verifyUnsubscribeToken(token, secret);
}

export async function unsubscribe(claims: UnsubscribeClaims): Promise<UnsubscribeOutcome> {
  return unsubscribeNotificationChannel(db(), claims);
}
