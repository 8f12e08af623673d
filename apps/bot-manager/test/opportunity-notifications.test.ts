// opportunity_found through the whole manager: a running bot meets opportunities on arb-rich, its runner reports the
// new ones (IPC `opportunity`, only while notify_on_opportunity is on), the manager emits them (throttled per key in
// SQL), and the manager's own notification worker (startBotManager's `notifications` option) delivers them — and the
// bot's trades — to the user's webhook, signed.
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createUser, until } from './harness.ts';
import { addWebhook, startWebhookReceiver, workerConfig, type WebhookReceiver } from './notification-world.ts';
import { useManagerStack } from './stack.ts';
import { startMailSink, type MailSink } from '@polybot/local-stack/mail';
import { startTelegramStandIn, type TelegramStandIn } from '@polybot/local-stack/telegram';

const stack = useManagerStack();
let receiver: WebhookReceiver;
let sink: MailSink;
let telegram: TelegramStandIn;

beforeAll(async () => {
  [receiver, sink, telegram] = await Promise.all([startWebhookReceiver(), startMailSink(), startTelegramStandIn()]);
});
// Registered after the stack's: runs first, so the managers stop before the receivers go.
afterAll(async () => {
  await Promise.allSettled(stack.managers.map((m) => m.stop()));
  await Promise.allSettled([receiver?.close(), sink?.close(), telegram?.close()]);
});

const opportunityRows = (user: string) =>
  stack.db.sql<{ dedupe_key: string; payload: { strategy: string; description: string } }[]>`
    select dedupe_key, payload from public.polybot_notifications
     where user_id = ${user} and kind = 'opportunity_found' order by id`;

test('a bot’s opportunities and trades reach its user’s webhook; a user who did not ask hears of no opportunity', async () => {
  const asked = await createUser(stack.db, { config: { notify_on_opportunity: true } });
  const quiet = await createUser(stack.db, { config: { notify_on_opportunity: false } });
  const hook = await addWebhook(stack.db, asked.id, `${receiver.origin}/asked`);
  await addWebhook(stack.db, quiet.id, `${receiver.origin}/quiet`);
  await stack.manager('opportunities', {
    notifications: workerConfig({ receiver, smtpUrl: sink.smtpUrl, telegram }),
  });

  const rows = await until(async () => {
    const r = await opportunityRows(asked.id);
    return r.length > 0 ? r : null;
  }, 'an opportunity_found notification');
  expect(rows[0]?.payload.description).toMatch(/\S/);
  // One per opportunity key (the window is 15 minutes; this test is far shorter).
  const keys = rows.map((r) => r.dedupe_key.replace(/:\d+$/, ''));
  expect(new Set(keys).size).toBe(keys.length);

  await until(() => {
    const types = receiver.receipts
      .filter((r) => r.path === '/asked')
      .map((r) => (new Webhook(hook.secret).verify(r.body, r.headers) as { type: string }).type);
    return types.includes('polybot.opportunity_found') && types.includes('polybot.trade_executed') ? types : null;
  }, 'the opportunity and a trade delivered to the webhook');

  // The quiet user's bot met the same opportunities (it traded) and nobody told them of any.
  await until(async () => {
    const [t] = await stack.db.sql`select 1 from public.polybot_trades where user_id = ${quiet.id} limit 1`;
    return t !== undefined;
  }, 'the quiet user’s bot traded');
  expect(await opportunityRows(quiet.id)).toEqual([]);
  expect(receiver.receipts.filter((r) => r.path === '/quiet').map((r) => JSON.parse(r.body).type)).not.toContain(
    'polybot.opportunity_found',
  );
});
