// Browser client (client components). The session lives in cookies that the server clients read as well.
import { createBrowserClient } from '@supabase/ssr';

export function createSupabaseBrowserClient(url: string, anonKey: string) {
  return createBrowserClient(url, anonKey);
}
