// Test helper: the real, unmodified supabase-js client pointed at a local auth server.
// Node 20 has no global WebSocket and supabase-js builds its realtime client eagerly, so one is handed in: `ws`
// implements the browser WebSocket API realtime-js uses; only its event-handler typings differ, hence the cast.
import { createClient, type SupabaseClient, type SupabaseClientOptions } from '@supabase/supabase-js';
import WebSocket from 'ws';

type Transport = NonNullable<NonNullable<SupabaseClientOptions<'public'>['realtime']>['transport']>;
export const transport = WebSocket as unknown as Transport;

export function createTestClient(url: string, apiKey: string): SupabaseClient {
  return createClient(url, apiKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport },
  });
}
