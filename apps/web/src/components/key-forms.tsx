// Forms for connecting (or rotating) venue keys. Fields never get the saved value back: only a hint is shown.
import { ActionForm, Check, Field, FieldErrors, Select, Submit } from './form.tsx';
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

export function KalshiKeyForm({
  defaultMode = 'paper',
  submitLabel = 'Check and save Kalshi keys',
}: {
  defaultMode?: 'paper' | 'live';
  submitLabel?: string;
}) {
  return (
    <ActionForm action={saveKeys} label="Kalshi keys">
      <input type="hidden" name="platform" value="kalshi" />
      <ModeChoice platform="Kalshi" defaultMode={defaultMode} />
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
      <Submit>{submitLabel}</Submit>
    </ActionForm>
  );
}

export function PolymarketKeyForm({
  defaultMode = 'paper',
  submitLabel = 'Check and save Polymarket key',
}: {
  defaultMode?: 'paper' | 'live';
  submitLabel?: string;
}) {
  return (
    <ActionForm action={saveKeys} label="Polymarket keys">
      <input type="hidden" name="platform" value="polymarket" />
      <ModeChoice platform="Polymarket" defaultMode={defaultMode} />
      <Field
        name="privateKey"
        label="Polymarket wallet private key"
        type="password"
        autoComplete="off"
        hint="64 hex digits. API credentials are derived from it."
      />
      <Field
        name="funderAddress"
        label="Funder address (optional)"
        autoComplete="off"
        hint="Only for proxy or Safe wallets: the address that holds your USDC."
      />
      <div className="field">
        <label htmlFor="signatureType">Wallet type</label>
        <Select id="signatureType" name="signatureType" defaultValue="0">
          <option value="0">Plain wallet (EOA)</option>
          <option value="1">Email / Magic wallet</option>
          <option value="2">Browser wallet (Safe)</option>
        </Select>
        <FieldErrors name="signatureType" />
      </div>
      <Submit>{submitLabel}</Submit>
    </ActionForm>
  );
}
