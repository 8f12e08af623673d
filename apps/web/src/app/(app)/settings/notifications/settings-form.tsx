// Which events go to which channels, quiet hours, and the daily summary's hour and time zone: one form
// (saveNotificationSettings). Alerts are shown but cannot be changed: they always reach at least one channel.
import {
  ALWAYS_ON_EVENT_KINDS,
  OPTIONAL_EVENT_KINDS,
  type NotificationChannelRow,
  type NotificationSettings,
  type UserConfigRow,
} from '@polybot/schemas';
import { saveNotificationSettings } from '~/app/actions/notification-settings.ts';
import { ActionForm, Check, FieldErrors, Select, Submit } from '~/components/form.tsx';
import { hourLabel, timeZones } from '~/lib/notifications/time-zones.ts';
import { EVENT_LABELS } from '~/lib/notifications/words.ts';
import { channelTitle } from './channel-name.ts';

const TOGGLES = {
  trade_executed: { name: 'notify_on_trade', text: 'Tell me when my bot trades (bursts come as one message)' },
  opportunity_found: { name: 'notify_on_opportunity', text: 'Tell me about opportunities found (at most 30 an hour)' },
  daily_summary: { name: 'notify_daily_summary', text: 'Send me a daily summary (P&L, trades, positions, limits)' },
} as const;

const HOURS = Array.from({ length: 24 }, (_, h) => h);

function HourSelect(props: { id: string; name: string; value: number | null; none?: string; label: string }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <Select id={props.id} name={props.name} defaultValue={props.value === null ? '' : String(props.value)}>
        {props.none ? <option value="">{props.none}</option> : null}
        {HOURS.map((h) => (
          <option key={h} value={h}>
            {hourLabel(h)}
          </option>
        ))}
      </Select>
      <FieldErrors name={props.name} />
    </div>
  );
}

export function NotificationSettingsForm(props: {
  channels: NotificationChannelRow[];
  settings: NotificationSettings;
  config: Pick<UserConfigRow, 'notify_on_trade' | 'notify_on_opportunity' | 'notify_daily_summary'>;
}) {
  const { channels, settings, config } = props;
  const goesTo = (kind: keyof NotificationSettings['routes'], id: string) =>
    settings.routes[kind] === undefined || (settings.routes[kind] ?? []).includes(id);
  return (
    <ActionForm action={saveNotificationSettings} label="Notification settings">
      {OPTIONAL_EVENT_KINDS.map((kind) => (
        <fieldset key={kind} data-event={kind}>
          <legend>{EVENT_LABELS[kind]}</legend>
          <label className="check">
            <Check name={TOGGLES[kind].name} defaultChecked={config[TOGGLES[kind].name]} /> {TOGGLES[kind].text}
          </label>
          {channels.length > 0 ? (
            <div className="route-channels">
              <p className="hint">Send to:</p>
              {channels.map((c) => (
                <label key={c.id} className="check">
                  <input type="checkbox" name={`route_${kind}`} value={c.id} defaultChecked={goesTo(kind, c.id)} />
                  <span className="channel-target">{channelTitle(c)}</span>
                </label>
              ))}
            </div>
          ) : null}
          <FieldErrors name="routes" />
        </fieldset>
      ))}
      <fieldset data-event="alerts">
        <legend>Alerts</legend>
        <p className="hint" id="alerts-why">
          Always on: {ALWAYS_ON_EVENT_KINDS.map((k) => EVENT_LABELS[k]).join(', ')}. They tell you when your bot or
          account needs you, so they go to every verified channel that is on, and quiet hours never hold them back.
        </p>
        {channels.map((c) => (
          <label key={c.id} className="check disabled">
            <input
              type="checkbox"
              checked={c.enabled && c.verified_at !== null && ALWAYS_ON_EVENT_KINDS.some((k) => goesTo(k, c.id))}
              disabled
              readOnly
              aria-describedby="alerts-why"
            />
            <span className="channel-target">{channelTitle(c)}</span>
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>When</legend>
        <div className="field">
          <label htmlFor="time-zone">Time zone</label>
          <Select id="time-zone" name="time_zone" defaultValue={settings.time_zone}>
            {timeZones().map((z) => (
              <option key={z} value={z}>
                {z.replaceAll('_', ' ')}
              </option>
            ))}
          </Select>
          <FieldErrors name="time_zone" />
        </div>
        <HourSelect id="summary-hour" name="summary_hour" value={settings.summary_hour} label="Daily summary at" />
        <p className="hint">
          Quiet hours hold trades, opportunities and summaries until they end (nothing is dropped); alerts still go.
        </p>
        <div className="row">
          <HourSelect id="quiet-start" name="quiet_start" value={settings.quiet_start} none="None" label="Quiet from" />
          <HourSelect id="quiet-end" name="quiet_end" value={settings.quiet_end} none="None" label="Quiet until" />
        </div>
      </fieldset>
      <Submit>Save notification settings</Submit>
    </ActionForm>
  );
}
