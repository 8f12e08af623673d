'use server';
// Venue keys: validated by zod, then checked against the venue, then stored through save_user_secret (Vault).
// Nothing is saved when either check fails. Only the key hint ever comes back (for Polymarket: the key's address).
import { deleteOwnSecret, saveOwnSecret } from '@polybot/db/user';
import { SecretInputSchema, toSaveUserSecretArgs } from '@polybot/schemas';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { action, str, UserError } from '~/lib/action.ts';
import { asUser } from '~/lib/session.ts';
import { checkKeysWithVenue } from '~/lib/venue-check.ts';

const Mode = z.enum(['paper', 'live'], { error: 'Choose paper or live keys' });

// The shared schema words some checks without their subject ("must be a 0x-prefixed … address"): name the field.
const SUBJECTS: Record<string, string> = { funderAddress: 'Funder address' };
const worded = (field: PropertyKey | undefined, message: string): string => {
  const subject = typeof field === 'string' ? SUBJECTS[field] : undefined;
  return subject && /^must\b/.test(message) ? `${subject} ${message}` : message;
};

// The form speaks in "mode"; the shared schema in isPaper. Issues keep their field names so errors land in place.
const KeyFormSchema = z.looseObject({ mode: Mode }).transform((v, ctx) => {
  const r = SecretInputSchema.safeParse({ ...v, isPaper: v.mode === 'paper' });
  if (!r.success) {
    for (const issue of r.error.issues)
      ctx.addIssue({ code: 'custom', message: worded(issue.path[0], issue.message), path: issue.path });
    return z.NEVER;
  }
  return r.data;
});

function readKeyForm(form: FormData) {
  const platform = str(form, 'platform');
  const base = { platform, mode: str(form, 'mode') };
  if (platform === 'kalshi')
    return { ...base, keyId: str(form, 'keyId')?.trim() ?? '', privateKeyPem: str(form, 'privateKeyPem') ?? '' };
  const sig = str(form, 'signatureType');
  // An own wallet (EOA) has no funder: a value left in the hidden field is not the user's intent.
  const funder = sig && sig !== '0' ? str(form, 'funderAddress')?.trim() : undefined;
  return {
    ...base,
    privateKey: str(form, 'privateKey') ?? '',
    ...(funder ? { funderAddress: funder } : {}),
    ...(sig ? { signatureType: Number(sig) } : {}),
  };
}

export const saveKeys = action(KeyFormSchema, readKeyForm, async (claims, input) => {
  const check = await checkKeysWithVenue(input);
  if (!check.ok) {
    // Field problems are explained at the field; the banner only says which step failed.
    const banner = check.field === '_form' ? check.message : 'The venue did not accept these keys. Nothing was saved.';
    throw new UserError(banner, { [check.field]: [check.message] });
  }
  // The hint of a Polymarket key is its address (the check derived it), never characters of the key itself.
  const derived = check.address === undefined ? undefined : { address: check.address };
  const saved = await asUser(claims, (tx) => saveOwnSecret(tx, toSaveUserSecretArgs(input, derived)));
  revalidatePath('/settings/keys');
  revalidatePath('/onboarding');
  const mode = input.isPaper ? 'paper' : 'live';
  const done = saved.rotated ? 'rotated' : 'saved';
  if (input.platform === 'polymarket') return `Polymarket ${mode} keys ${done} (wallet ${saved.key_hint}).`;
  // "key ending in 1a2b", not the hint's "…1a2b": a phone may break the line after an ellipsis.
  return `Kalshi ${mode} keys ${done} (key ending in ${saved.key_hint.replace(/^…/, '')}).`;
});

const DeleteSchema = z.object({
  platform: z.enum(['polymarket', 'kalshi'], { error: 'Unknown platform' }),
  mode: Mode,
  confirm: z.literal('delete', { error: 'Type delete to confirm' }),
});

export const deleteKeys = action(
  DeleteSchema,
  (form) => ({
    platform: str(form, 'platform'),
    mode: str(form, 'mode'),
    confirm: str(form, 'confirm')?.trim().toLowerCase(),
  }),
  async (claims, input) => {
    const deleted = await asUser(claims, (tx) => deleteOwnSecret(tx, input.platform, input.mode === 'paper'));
    if (!deleted) throw new UserError('There are no such keys to delete.');
    // The form lives inside the deleted key's card, so the confirmation is shown by the page instead.
    redirect(`/settings/keys?deleted=${input.platform}-${input.mode}`);
  },
);
