// Copy trading's parameters: the wallets the bot mirrors, each scaled and capped. Add and remove are separate
// forms (each its own server action); removing asks for a second click inside the entry.
import { COPY_DEFAULT_MAX_SLIPPAGE, COPY_MAX_SLIPPAGE_LIMIT, type FollowedWallet } from '@polybot/schemas';
import { addFollowedWallet, removeFollowedWallet } from '~/app/actions/strategies.ts';
import { ActionForm, Field, Submit } from './form.tsx';

const short = (a: string): string => `${a.slice(0, 6)}…${a.slice(-4)}`;
const usd = (n: number): string => `$${n.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;

export function FollowedWallets({ wallets, max }: { wallets: FollowedWallet[]; max: number }) {
  return (
    <div className="stack">
      {wallets.length === 0 ? (
        <p className="muted" data-testid="wallets-empty">
          You follow no wallets yet.
        </p>
      ) : (
        <ul className="entries" aria-label="Followed wallets">
          {wallets.map((w) => (
            <li key={w.address} className="entry" data-wallet={w.address}>
              <div className="entry-main">
                <code title={w.address}>{short(w.address)}</code>
                <span>
                  scale <strong>{w.scale}×</strong>
                </span>
                <span>
                  max <strong>{usd(w.maxPerTradeUsd)}</strong> per trade
                </span>
                <span>
                  pays at most{' '}
                  <strong>
                    $
                    {(w.maxSlippage ?? COPY_DEFAULT_MAX_SLIPPAGE).toLocaleString('en-US', { maximumFractionDigits: 3 })}
                  </strong>{' '}
                  above their price
                </span>
              </div>
              <details className="confirm">
                <summary>Remove</summary>
                <ActionForm
                  action={removeFollowedWallet}
                  label={`Remove wallet ${w.address}`}
                  className="form confirm-form"
                >
                  <input type="hidden" name="address" value={w.address} />
                  <p>
                    Stop following <code title={w.address}>{short(w.address)}</code>? The bot copies none of its new
                    trades; positions already open stay open.
                  </p>
                  <Submit variant="danger">Yes, remove wallet</Submit>
                </ActionForm>
              </details>
            </li>
          ))}
        </ul>
      )}
      {wallets.length >= max ? (
        <p className="muted">You follow {max} wallets, the most allowed. Remove one to add another.</p>
      ) : (
        <ActionForm action={addFollowedWallet} label="Follow a wallet">
          <div className="grid">
            <Field
              name="address"
              label="Wallet address"
              autoComplete="off"
              hint="A Polymarket wallet: 0x followed by 40 hex digits."
            />
            <Field
              name="scale"
              label="Scale"
              type="number"
              step="0.01"
              min={0.01}
              max={10}
              defaultValue={1}
              hint="Their size × this (more than 0, at most 10)."
            />
            <Field
              name="maxPerTradeUsd"
              label="Max per trade (USD)"
              type="number"
              step="0.01"
              min={1}
              max={100_000}
              defaultValue={100}
              hint="Cap per copied trade: 1 – 100,000."
            />
            <Field
              name="maxSlippage"
              label="Max over their price ($)"
              type="number"
              step="0.001"
              min={0}
              max={COPY_MAX_SLIPPAGE_LIMIT}
              hint={`Optional: 0 – ${COPY_MAX_SLIPPAGE_LIMIT}; empty means ${COPY_DEFAULT_MAX_SLIPPAGE}. Prices run 0 – 1, so 0.02 is 2¢ a share.`}
            />
          </div>
          <Submit>Follow wallet</Submit>
        </ActionForm>
      )}
    </div>
  );
}
