// A new Supabase client per request (never shared: it carries this request's session). Cookies through getAll/setAll.
import 'server-only';
import { createServerClient } from '@supabase/ssr';
import { cookies } from 'next/headers';
import { publicEnv } from '~/env.ts';
import { authCookieOptions } from './cookie-options.ts';

export async function createSupabaseServerClient() {
  const store = await cookies();
  const { supabaseUrl, supabaseAnonKey } = publicEnv();
  return createServerClient(supabaseUrl, supabaseAnonKey, {
    cookieOptions: authCookieOptions(),
    cookies: {
      getAll: () => store.getAll(),
      setAll: (toSet) => {
        try {
          for (const { name, value, options } of toSet) store.set(name, value, options);
        } catch {
          // Server components cannot set cookies; the proxy refreshes the session on the next request instead.
        }
      },
    },
  });
}
