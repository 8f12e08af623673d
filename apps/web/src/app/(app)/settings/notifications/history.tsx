// The last 50 notifications and how each delivery went, in words; a list (not a table) so it reads on a phone.
import type { NotificationHistoryRow } from '@polybot/db/user';
import { NotificationPayloadSchema, type NotificationChannelRow } from '@polybot/schemas';
import { utc } from '~/lib/labels.ts';
import { CHANNEL_LABELS, deliveryWords, EVENT_LABELS, SUPPRESSED_WORDS } from '~/lib/notifications/words.ts';
import { channelName } from './channel-name.ts';

/** One line about what happened, from the payload (alerts carry their reason). */
function gist(payload: unknown): string | null {
  const p = NotificationPayloadSchema.safeParse(payload);
  if (!p.success) return null;
  switch (p.data.kind) {
    case 'trade_executed':
      return p.data.count === 1 ? '1 trade' : `${p.data.count} trades`;
    case 'opportunity_found':
      return p.data.description;
    case 'daily_summary':
      return `For ${p.data.date} (${p.data.time_zone})`;
    default:
      return p.data.reason;
  }
}

export function NotificationHistory(props: { rows: NotificationHistoryRow[]; channels: NotificationChannelRow[] }) {
  if (props.rows.length === 0) return <p className="muted">Nothing sent yet.</p>;
  const byId = new Map(props.channels.map((c) => [c.id, c]));
  const now = new Date();
  return (
    <ol className="history" aria-label="Recent notifications">
      {props.rows.map((n) => {
        const line = gist(n.payload);
        const held = n.deliver_after && n.deliver_after > now && n.deliveries.some((d) => d.status === 'pending');
        return (
          <li key={n.id} className="entry" data-kind={n.kind}>
            <div className="row">
              <strong>{EVENT_LABELS[n.kind]}</strong>
              <span className="muted">{utc(n.created_at)}</span>
            </div>
            {line ? <p className="history-gist">{line}</p> : null}
            {n.suppressed ? <p className="muted">{SUPPRESSED_WORDS[n.suppressed]}</p> : null}
            {held && n.deliver_after ? (
              <p className="muted">Held by your quiet hours until {utc(n.deliver_after)}</p>
            ) : null}
            {n.deliveries.length > 0 ? (
              <ul className="deliveries">
                {n.deliveries.map((d, i) => {
                  const channel = d.channel_id ? byId.get(d.channel_id) : undefined;
                  return (
                    <li key={`${d.channel_id ?? 'gone'}-${i}`} data-status={d.status}>
                      {CHANNEL_LABELS[d.channel_kind]} {channel ? channelName(channel) : '(removed)'}:{' '}
                      {deliveryWords(d)}
                    </li>
                  );
                })}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
