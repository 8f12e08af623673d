// Signed-in area. Users who have not finished onboarding are sent back to the step they left.
import { getOwnProfile } from '@polybot/db/user';
import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { Nav } from '~/components/nav.tsx';
import { asUser, requireClaims } from '~/lib/session.ts';
import { signOut } from '~/app/auth/actions.ts';

export default async function AppLayout({ children }: { children: ReactNode }) {
  const claims = await requireClaims();
  const profile = await asUser(claims, getOwnProfile);
  if (!profile) redirect('/sign-in');
  if (!profile.onboarding_completed) redirect('/onboarding');
  return (
    <>
      <header className="topbar">
        <a className="brand" href="/dashboard">
          PolyBot
        </a>
        <Nav />
        <form action={signOut}>
          <span className="muted who" style={{ marginRight: '.5rem' }}>
            {profile.email}
          </span>
          <button type="submit" className="btn btn-secondary">
            Sign out
          </button>
        </form>
      </header>
      <main className="shell">{children}</main>
    </>
  );
}
