// /settings/notifications: channels (with their verification), the Telegram link, what goes where and when, and the
// history of the last 50 notifications. Everything it changes goes through the server actions of
// app/actions/notification-channels.ts and notification-settings.ts.
import {
  getOwnConfig,
  getOwnNotificationSettings,
  listOwnNotificationChannels,
  listOwnNotifications,
} from '@polybot/db/user';
import { linkTelegram } from '~/app/actions/notification-channels.ts';
import { ActionForm, Submit } from '~/components/form.tsx';
import { notifyConfig } from '~/lib/notifications/config.ts';
import { asUser, requireClaims } from '~/lib/session.ts';
import { AddChannelForm } from './add-channel-form.tsx';
import { ChannelList } from './channel-list.tsx';
import { channelName } from './channel-name.ts';
import { NotificationHistory } from './history.tsx';
import { NotificationSettingsForm } from './settings-form.tsx';

export const metadata = { title: 'Notifications · PolyBot' };
export const dynamic = 'force-dynamic';

const NOTICES: Record<string, { ok: boolean; text: string }> = {
  'email-confirmed': { ok: true, text: 'Email confirmed: notifications go to it from now on.' },
  'confirm-failed': {
    ok: false,
    text: 'That confirmation link did not work: it expired (links last 24 hours), was used already, or belongs to another account. Press “Resend confirmation” beside the address for a new link.',
  },
};

export default async function NotificationsPage({ searchParams }: { searchParams: Promise<{ notice?: string }> }) {
  const { notice } = await searchParams;
  const shown = notice ? NOTICES[notice] : undefined;
  const claims = await requireClaims('/settings/notifications');
  const { channels, settings, config, history } = await asUser(claims, async (tx) => ({
    channels: await listOwnNotificationChannels(tx),
    settings: await getOwnNotificationSettings(tx),
    config: await getOwnConfig(tx),
    history: await listOwnNotifications(tx, 50),
  }));
  const platform = notifyConfig();
  const telegramChats = channels.filter((c) => c.kind === 'telegram');
  return (
    <div className="stack">
      <h1>Notifications</h1>
      <p className="muted">
        Where PolyBot tells you about trades, daily summaries and anything that needs you. A channel gets messages once
        it is verified: an email by its confirmation link, a webhook, Slack or Discord by a test that arrives, Telegram
        by linking your chat.
      </p>
      {shown ? (
        <p role={shown.ok ? 'status' : 'alert'} className={`banner ${shown.ok ? 'banner-ok' : 'banner-error'}`}>
          {shown.text}
        </p>
      ) : null}
      <section className="card stack" aria-labelledby="channels-h">
        <h2 id="channels-h">Channels</h2>
        <ChannelList channels={channels} />
      </section>
      <div className="grid">
        <section className="card stack" aria-labelledby="add-h">
          <h2 id="add-h">Add a channel</h2>
          {platform.mail ? null : <p className="muted">Email is not configured on this platform.</p>}
          <AddChannelForm emailAvailable={platform.mail !== null} />
        </section>
        <section className="card stack" aria-labelledby="telegram-h" data-testid="telegram">
          <h2 id="telegram-h">Telegram</h2>
          {telegramChats.length > 0 ? (
            <p>
              Linked: {telegramChats.map((c) => channelName(c)).join(', ')}. Commands from that chat: /status, /pnl,
              /pause, /resume.
            </p>
          ) : (
            <p className="muted">Not linked.</p>
          )}
          {platform.telegram ? (
            <ActionForm action={linkTelegram} label="Link Telegram">
              <Submit variant="secondary">{telegramChats.length > 0 ? 'Link another chat' : 'Link Telegram'}</Submit>
            </ActionForm>
          ) : (
            <p className="muted">Telegram is not configured on this platform.</p>
          )}
        </section>
      </div>
      <section className="card stack" aria-labelledby="routes-h">
        <h2 id="routes-h">What goes where, and when</h2>
        <NotificationSettingsForm
          channels={channels}
          settings={settings}
          config={{
            notify_on_trade: config?.notify_on_trade ?? false,
            notify_on_opportunity: config?.notify_on_opportunity ?? false,
            notify_daily_summary: config?.notify_daily_summary ?? false,
          }}
        />
      </section>
      <section className="card stack" aria-labelledby="history-h">
        <h2 id="history-h">Recent notifications</h2>
        <NotificationHistory rows={history} channels={channels} />
      </section>
    </div>
  );
}
