// The user's channels: what each is, whether it is verified and on, and what can be done with it. Each button is its
// own small form, so its result shows beside the channel it is about.
import type { NotificationChannelRow } from '@polybot/schemas';
import {
  removeChannel,
  resendConfirmation,
  rotateSecret,
  sendTest,
  setChannelEnabled,
} from '~/app/actions/notification-channels.ts';
import { ActionForm, Submit } from '~/components/form.tsx';
import { utc } from '~/lib/labels.ts';
import { CHANNEL_LABELS } from '~/lib/notifications/words.ts';
import { channelName, channelTitle } from './channel-name.ts';

function verification(c: NotificationChannelRow): string {
  if (c.verified_at) return `Verified ${utc(c.verified_at)}`;
  if (c.kind === 'email')
    return c.confirm_expires_at && c.confirm_expires_at > new Date()
      ? `Waiting for confirmation: follow the link we emailed (until ${utc(c.confirm_expires_at)})`
      : 'Not confirmed: the link expired. Press “Resend confirmation” for a new one.';
  return 'Not verified yet: send a test. Nothing else is sent to it until a test arrives.';
}

export function ChannelList({ channels }: { channels: NotificationChannelRow[] }) {
  if (channels.length === 0)
    return <p className="muted">No channels yet. Add an email address, a webhook, Slack or Discord below.</p>;
  return (
    <ul className="stack channel-list" aria-label="Your channels">
      {channels.map((c) => {
        const title = channelTitle(c);
        return (
          <li
            key={c.id}
            className="channel"
            data-channel-kind={c.kind}
            data-verified={c.verified_at ? 'yes' : 'no'}
            data-enabled={c.enabled ? 'yes' : 'no'}
          >
            <div className="row">
              <strong>{CHANNEL_LABELS[c.kind]}</strong>
              <span className="channel-target">{channelName(c)}</span>
              {c.label && c.kind !== 'telegram' ? <span className="muted channel-target">{c.target}</span> : null}
            </div>
            <p className="muted channel-state">
              <span data-testid="verification">{verification(c)}</span> ·{' '}
              <span data-testid="enabled">{c.enabled ? 'On' : 'Off'}</span>
            </p>
            <div className="row channel-actions">
              {c.kind === 'email' && !c.verified_at ? (
                // A test would be refused until the address is confirmed: offer a new link instead.
                <ActionForm
                  action={resendConfirmation}
                  label={`Resend the confirmation of ${title}`}
                  className="inline-form"
                >
                  <input type="hidden" name="channel" value={c.id} />
                  <Submit variant="secondary">Resend confirmation</Submit>
                </ActionForm>
              ) : (
                <ActionForm action={sendTest} label={`Send a test to ${title}`} className="inline-form">
                  <input type="hidden" name="channel" value={c.id} />
                  <Submit variant="secondary">Send test</Submit>
                </ActionForm>
              )}
              <ActionForm
                action={setChannelEnabled}
                label={`Turn ${c.enabled ? 'off' : 'on'} ${title}`}
                className="inline-form"
              >
                <input type="hidden" name="channel" value={c.id} />
                <input type="hidden" name="enabled" value={c.enabled ? 'false' : 'true'} />
                <Submit variant="secondary">{c.enabled ? 'Turn off' : 'Turn on'}</Submit>
              </ActionForm>
              {c.kind === 'webhook' ? (
                <ActionForm action={rotateSecret} label={`Rotate the secret of ${title}`} className="inline-form">
                  <input type="hidden" name="channel" value={c.id} />
                  <Submit variant="secondary">Rotate secret</Submit>
                </ActionForm>
              ) : null}
              <ActionForm action={removeChannel} label={`Remove ${title}`} className="inline-form">
                <input type="hidden" name="channel" value={c.id} />
                <Submit variant="danger">Remove</Submit>
              </ActionForm>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
