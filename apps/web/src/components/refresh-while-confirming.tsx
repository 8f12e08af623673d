'use client';
// After Checkout the user lands (on billing or on the wizard's plan step) before Stripe's webhook may have arrived:
// refresh the page (server data only) every two seconds for up to a minute, so "confirming" turns into the new plan
// without the user reloading.
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

export function RefreshWhileConfirming() {
  const router = useRouter();
  useEffect(() => {
    let n = 0;
    const timer = setInterval(() => {
      n += 1;
      if (n > 30) clearInterval(timer);
      else router.refresh();
    }, 2000);
    return () => clearInterval(timer);
  }, [router]);
  return null;
}
