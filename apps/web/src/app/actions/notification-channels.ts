'use server';
// Notification channels on /settings/notifications: add (email gets a confirmation mail; a URL is checked against
// the platform's SSRF rules before it is stored; a webhook's signing secret is shown once), enable/disable, remove,
// rotate a webhook secret, "Send test" (which verifies a URL channel), and the Telegram link. Every input through a
// shared schema; a refusal changes nothing and says why.
import {
  addNotificationChannel,
  createTelegramLinkToken,
  limitUserSends,
  listOwnNotificationChannels,
  removeNotificationChannel,
  renewEmailConfirmation,
  rotateWebhookSecret,
  setNotificationChannelEnabled,
} from '@polybot/db/user';
import { checkSafeFetchUrl, SafeFetchError } from '@polybot/notify';
import {
  ChannelKindSchema,
  NotificationChannelInputSchema,
  type NotificationChannelInput,
  type NotificationSendKind,
} from '@polybot/schemas';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { action, str, UserError } from '~/lib/action.ts';
import { notifyConfig, telegramDeepLink, type NotifyConfig } from '~/lib/notifications/config.ts';
import { sendConfirmationMail } from '~/lib/notifications/mail.ts';
import { sendChannelTest } from '~/lib/notifications/test-send.ts';
import { CHANNEL_LABELS, failureWords, testResultWords } from '~/lib/notifications/words.ts';
import { db } from '~/lib/db.ts';
import { asUser } from '~/lib/session.ts';

const PAGE = '/settings/notifications';

const TARGET_WORDS: Record<NotificationChannelInput['kind'], string> = {
  email: 'Enter an email address, like you@example.com.',
  webhook: 'Enter an https:// URL (plain http:// is not accepted).',
  slack: 'Enter the https://hooks.slack.com/… URL Slack gave you.',
  discord: 'Enter the https://discord.com/api/webhooks/… URL Discord gave you.',
};

// The shared schema names its checks tersely ("not a valid webhook target"): say what to type instead.
const AddChannelFormSchema = z.looseObject({}).transform((v, ctx) => {
  const r = NotificationChannelInputSchema.safeParse(v);
  if (r.success) return r.data;
  const kind = ChannelKindSchema.exclude(['telegram']).safeParse(v.kind);
  for (const issue of r.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    const message =
      field === 'kind'
        ? 'Choose email, webhook, Slack or Discord.'
        : field === 'target' && kind.success
          ? TARGET_WORDS[kind.data]
          : field === 'label'
            ? 'A label is at most 60 characters.'
            : issue.message;
    ctx.addIssue({ code: 'custom', message, path: [field] });
  }
  return z.NEVER;
});

function readAddForm(form: FormData) {
  const label = str(form, 'label')?.trim();
  return { kind: str(form, 'kind'), target: str(form, 'target') ?? '', label: label ? label : null };
}

/** The database's refusals a user can act on, in words; anything else is a bug and propagates. */
function userErrorFrom(error: unknown): UserError | null {
  const code = (error as { code?: string }).code;
  if (code === '23505') return new UserError('You have added this one already.', { target: ['Already added.'] });
  if (code === '54000') return new UserError('You have 10 channels, the most there can be. Remove one first.');
  return null;
}

/**
 * Counts a confirmation email or test message about to go out for this user; one too many (the database's limit,
 * 20261211000100) is refused in the database's words, which say when to try again.
 */
async function countSend(claims: Parameters<typeof asUser>[0], kind: NotificationSendKind): Promise<void> {
  try {
    await limitUserSends(db(), claims, kind);
  } catch (error) {
    if ((error as { code?: string }).code === '54000') throw new UserError((error as Error).message);
    throw error;
  }
}

async function refuseUnsafeUrl(url: string, config: NotifyConfig): Promise<void> {
  try {
    await checkSafeFetchUrl(url, config.safeFetch);
  } catch (error) {
    if (!(error instanceof SafeFetchError)) throw error;
    const words = failureWords(`${error.kind}: ${error.message}`, false);
    throw new UserError(`${words} Nothing was added.`, { target: [words] });
  }
}

export const addChannel = action(AddChannelFormSchema, readAddForm, async (claims, input) => {
  const config = notifyConfig();
  if (input.kind === 'email' && !config.mail)
    throw new UserError('Email is not configured on this platform.', { kind: ['Choose another kind.'] });
  if (input.kind !== 'email') await refuseUnsafeUrl(input.target, config);
  else await countSend(claims, 'confirmation');
  let added;
  try {
    added = await asUser(claims, async (tx) => {
      const channel = await addNotificationChannel(tx, input);
      // Mailed before the channel commits: when the mail cannot go, nothing is added (and the user can try again).
      if (channel.confirm_token) {
        const sent = await sendConfirmationMail(config, {
          to: input.target.trim().toLowerCase(),
          channelId: channel.id,
          userId: claims.sub,
          token: channel.confirm_token,
        });
        if (!sent.ok)
          throw new UserError(
            `We could not send the confirmation email (${failureWords(sent.error, sent.retryable)}). Nothing was added.`,
          );
      }
      return channel;
    });
  } catch (error) {
    throw userErrorFrom(error) ?? error;
  }
  revalidatePath(PAGE);
  const what = input.label ? `“${input.label}”` : CHANNEL_LABELS[input.kind];
  if (input.kind === 'email')
    return `Confirmation email sent to ${input.target.trim().toLowerCase()}. Follow its link to start getting notifications there.`;
  const verify = 'Then press “Send test”: nothing is sent to it until a test arrives.';
  if (added.webhook_secret)
    return {
      message: `${what} added. Copy its signing secret now: it is shown only this once. ${verify}`,
      reveal: { label: 'Signing secret (Standard Webhooks)', value: added.webhook_secret },
    };
  return `${what} added. ${verify.replace(/^Then p/, 'P')}`;
});

const ChannelSchema = z.object({ channel: z.uuid({ error: 'Unknown channel.' }) });
const readChannel = (form: FormData) => ({ channel: str(form, 'channel') });

async function ownChannel(claims: Parameters<typeof asUser>[0], id: string) {
  const channel = (await asUser(claims, listOwnNotificationChannels)).find((c) => c.id === id);
  if (!channel) throw new UserError('This channel is gone: it was removed.');
  return channel;
}

export const removeChannel = action(ChannelSchema, readChannel, async (claims, { channel }) => {
  if (!(await asUser(claims, (tx) => removeNotificationChannel(tx, channel))))
    throw new UserError('This channel is gone: it was removed already.');
  revalidatePath(PAGE);
  return 'Channel removed.';
});

const EnableSchema = ChannelSchema.extend({
  enabled: z.enum(['true', 'false'], { error: 'Choose on or off.' }).transform((v) => v === 'true'),
});

export const setChannelEnabled = action(
  EnableSchema,
  (form) => ({ ...readChannel(form), enabled: str(form, 'enabled') }),
  async (claims, { channel, enabled }) => {
    if (!(await asUser(claims, (tx) => setNotificationChannelEnabled(tx, channel, enabled))))
      throw new UserError('This channel is gone: it was removed.');
    revalidatePath(PAGE);
    return enabled ? 'Channel turned on.' : 'Channel turned off: nothing is sent to it until you turn it on.';
  },
);

export const rotateSecret = action(ChannelSchema, readChannel, async (claims, { channel }) => {
  const own = await ownChannel(claims, channel);
  if (own.kind !== 'webhook') throw new UserError('Only webhooks have a signing secret.');
  const secret = await asUser(claims, (tx) => rotateWebhookSecret(tx, channel));
  revalidatePath(PAGE);
  return {
    message: 'New signing secret: the old one stopped working just now. Copy it: it is shown only this once.',
    reveal: { label: 'Signing secret (Standard Webhooks)', value: secret },
  };
});

export const resendConfirmation = action(ChannelSchema, readChannel, async (claims, { channel }) => {
  const own = await ownChannel(claims, channel);
  if (own.kind !== 'email') throw new UserError('Only an email address is confirmed by a link.');
  if (own.verified_at) throw new UserError('This address is confirmed already.');
  await countSend(claims, 'confirmation');
  const config = notifyConfig();
  // The new token commits only if its mail went out: otherwise the link the user already has keeps working.
  await asUser(claims, async (tx) => {
    const token = await renewEmailConfirmation(tx, channel);
    const sent = await sendConfirmationMail(config, { to: own.target, channelId: own.id, userId: claims.sub, token });
    if (!sent.ok)
      throw new UserError(`We could not send the confirmation email (${failureWords(sent.error, sent.retryable)}).`);
  });
  revalidatePath(PAGE);
  return `A new confirmation email is on its way to ${own.target}: follow its link (the one in any earlier email no longer works).`;
});

export const sendTest = action(ChannelSchema, readChannel, async (claims, { channel }) => {
  const own = await ownChannel(claims, channel);
  if (own.kind === 'email' && !own.verified_at)
    throw new UserError('Confirm this address first: follow the link in the confirmation email we sent.');
  await countSend(claims, 'test');
  const config = notifyConfig();
  const { result, verifiedNow } = await sendChannelTest(claims, own, config);
  if (!result.ok) throw new UserError(testResultWords(own.kind, result));
  revalidatePath(PAGE);
  return `${testResultWords(own.kind, result)}${verifiedNow ? ' Verified: notifications go to it from now on.' : ''}`;
});

export const linkTelegram = action(
  z.object({}),
  () => ({}),
  async (claims) => {
    const telegram = notifyConfig().telegram;
    if (!telegram) throw new UserError('Telegram is not configured on this platform.');
    const token = await asUser(claims, createTelegramLinkToken);
    return {
      message: 'Open this link where you use Telegram and press Start. It works once, for 15 minutes.',
      reveal: { label: 'Link to the PolyBot bot', value: telegramDeepLink(telegram, token), href: true },
    };
  },
);
