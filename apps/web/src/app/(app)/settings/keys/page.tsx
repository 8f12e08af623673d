import { listOwnSecretMetadata } from '@polybot/db/user';
import { KalshiKeyForm, PolymarketKeyForm } from '~/components/key-forms.tsx';
import { KeyList } from '~/components/key-list.tsx';
import { asUser, requireClaims } from '~/lib/session.ts';

export const metadata = { title: 'API keys · PolyBot' };
export const dynamic = 'force-dynamic';

export default async function KeysPage({ searchParams }: { searchParams: Promise<{ deleted?: string }> }) {
  const { deleted } = await searchParams;
  const gone = /^(kalshi|polymarket)-(paper|live)$/.exec(deleted ?? '');
  const deletedName = gone ? `${gone[1] === 'kalshi' ? 'Kalshi' : 'Polymarket'} ${gone[2]}` : null;
  const claims = await requireClaims('/settings/keys');
  const keys = await asUser(claims, listOwnSecretMetadata);
  return (
    <div className="stack">
      <h1>API keys</h1>
      <p className="muted">
        Keys are checked with the venue before they are saved, stored encrypted, and never shown again. Each is named by
        something that is not secret: the end of its wallet address (Polymarket) or of its key id.
      </p>
      {deletedName ? (
        <p role="status" className="banner banner-ok">
          {deletedName} keys deleted. Your bot stops using them within seconds.
        </p>
      ) : null}
      <KeyList keys={keys} allowDelete />
      <div className="grid">
        <section className="card stack" aria-labelledby="pm-h">
          <h2 id="pm-h">Add or rotate Polymarket key</h2>
          <PolymarketKeyForm submitLabel="Check and save" />
        </section>
        <section className="card stack" aria-labelledby="k-h">
          <h2 id="k-h">Add or rotate Kalshi keys</h2>
          <KalshiKeyForm submitLabel="Check and save" />
        </section>
      </div>
    </div>
  );
}
