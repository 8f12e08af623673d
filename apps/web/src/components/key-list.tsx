// Saved keys: hint, validation status and when. No secret is ever read back.
import type { SecretMetadata } from '@polybot/schemas';
import { deleteKeys } from '~/app/actions/keys.ts';
import { ActionForm, Field, Submit } from './form.tsx';

const STATUS: Record<SecretMetadata['validation_status'], string> = {
  pending: 'Checked when saved; the bot confirms it on start',
  valid: 'Valid',
  invalid: 'Rejected by the venue',
  expired: 'Expired — rotate it',
};

function when(d: Date | null): string {
  return d ? d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '—';
}

export function KeyList({ keys, allowDelete }: { keys: SecretMetadata[]; allowDelete: boolean }) {
  if (keys.length === 0) return <p className="muted">No keys connected yet.</p>;
  return (
    <ul className="stack" style={{ listStyle: 'none', padding: 0 }} aria-label="Connected keys">
      {keys.map((k) => {
        const name = `${k.platform === 'kalshi' ? 'Kalshi' : 'Polymarket'} ${k.is_paper ? 'paper' : 'live'}`;
        return (
          <li
            key={`${k.platform}-${k.is_paper}`}
            className="card"
            data-key={`${k.platform}-${k.is_paper ? 'paper' : 'live'}`}
          >
            <div className="row">
              <strong>{name}</strong>
              <span className={`badge ${k.is_paper ? 'badge-paper' : 'badge-live'}`}>
                {k.is_paper ? 'paper' : 'live'}
              </span>
              <span>
                {k.key_hint?.startsWith('0x') ? 'wallet' : 'key'}{' '}
                <code data-testid="key-hint">{k.key_hint ?? '—'}</code>
              </span>
            </div>
            <p className="muted" style={{ margin: '.4rem 0' }}>
              {STATUS[k.validation_status]}
              {k.validation_error ? `: ${k.validation_error}` : ''} · saved {when(k.rotated_at ?? k.updated_at)}
              {k.last_validated_at ? ` · last validated ${when(k.last_validated_at)}` : ''}
            </p>
            {allowDelete ? (
              <details>
                <summary>Delete {name} keys</summary>
                <ActionForm action={deleteKeys} label={`Delete ${name} keys`}>
                  <input type="hidden" name="platform" value={k.platform} />
                  <input type="hidden" name="mode" value={k.is_paper ? 'paper' : 'live'} />
                  <Field name="confirm" label='Type "delete" to confirm' autoComplete="off" />
                  <Submit variant="danger">Delete keys</Submit>
                </ActionForm>
              </details>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
