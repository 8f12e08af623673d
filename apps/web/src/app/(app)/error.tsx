'use client';
// Errors in a signed-in page: the panel takes the page's place and the menu stays, so the user can go elsewhere.
import { ErrorPanel } from '~/components/error-panel.tsx';

export default function AppErrorPage(props: { error: Error & { digest?: string }; retry: () => void }) {
  return <ErrorPanel {...props} />;
}
