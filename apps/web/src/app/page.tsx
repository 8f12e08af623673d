import { redirect } from 'next/navigation';
import { getClaims } from '~/lib/session.ts';

export default async function Home() {
  redirect((await getClaims()) ? '/dashboard' : '/sign-in');
}
