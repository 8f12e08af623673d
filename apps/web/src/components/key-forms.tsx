// Forms for connecting (or rotating) venue keys. Fields never get the saved value back: only a hint is shown.
import type { ReactNode } from 'react';
import { ActionForm, Check, Field, FieldErrors, Submit } from './form.tsx';
import { PolymarketWalletFields } from './polymarket-wallet-fields.tsx';
import { saveKeys } from '~/app/actions/keys.ts';

function ModeChoice({ platform, defaultMode }: { platform: string; defaultMode: 'paper' | 'live' }) {
  return (
    <fieldset>
      <legend>Mode</legend>
      <label className="check">
        <Check type="radio" name="mode" value="paper" defaultChecked={defaultMode === 'paper'} /> Paper (simulated
        fills, no real money)
      </label>
      <label className="check">
        <Check type="radio" name="mode" value="live" defaultChecked={defaultMode === 'live'} /> Live (real orders with
        your {platform} account)
      </label>
      <FieldErrors name="mode" />
    </fieldset>
  );
}

interface KeyFormProps {
  defaultMode?: 'paper' | 'live';
  submitLabel?: string;
}

/** What every venue's key form shares: the form itself, which venue it is for, the mode choice and the button. */
function VenueKeyForm({
  platform,
  venueName,
  defaultMode,
  submitLabel,
  children,
}: {
  platform: 'kalshi' | 'polymarket';
  venueName: string;
  defaultMode: 'paper' | 'live';
  submitLabel: string;
  children: ReactNode;
}) {
  return (
    <ActionForm action={saveKeys} label={`${venueName} keys`}>
      <input type="hidden" name="platform" value={platform} />
      <ModeChoice platform={venueName} defaultMode={defaultMode} />
      {children}
      <Submit>{submitLabel}</Submit>
    </ActionForm>
  );
}

export function KalshiKeyForm({ defaultMode = 'paper', submitLabel = 'Check and save Kalshi keys' }: KeyFormProps) {
  return (
    <VenueKeyForm platform="kalshi" venueName="Kalshi" defaultMode={defaultMode} submitLabel={submitLabel}>
      <Field
        name="keyId"
        label="Kalshi API key id"
        hint="A UUID, from Kalshi → Account → API keys."
        autoComplete="off"
      />
      <Field
        name="privateKeyPem"
        label="Kalshi private key (PEM)"
        multiline
        hint="Pasted once, stored encrypted in Vault, never shown again."
      />
    </VenueKeyForm>
  );
}

export function PolymarketKeyForm({
  defaultMode = 'paper',
  submitLabel = 'Check and save Polymarket key',
}: KeyFormProps) {
  return (
    <VenueKeyForm platform="polymarket" venueName="Polymarket" defaultMode={defaultMode} submitLabel={submitLabel}>
      <Field
        name="privateKey"
        label="Polymarket wallet private key"
        type="password"
        autoComplete="off"
        hint="64 hex digits. API credentials are derived from it."
      />
      <PolymarketWalletFields />
    </VenueKeyForm>
  );
}
