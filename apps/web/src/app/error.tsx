'use client';
// Errors outside the signed-in area's layout (or in it): the whole page is the error panel.
import { ErrorPanel } from '~/components/error-panel.tsx';

export default function ErrorPage(props: { error: Error & { digest?: string }; retry: () => void }) {
  return (
    <main>
      <ErrorPanel {...props} />
    </main>
  );
}
