// Supabase Edge Function: Stripe → PolyBot subscription state. Deployed with verify_jwt = false (Stripe sends no
// Supabase JWT; the Stripe signature is the authentication). Configuration comes from the function's secrets (see
// config.ts). The declarative `export default { fetch }` is what both the hosted Edge Runtime and `deno serve`
// (local runs: serveEdgeFunction) load; neither needs the module to start a server itself.
import { webhookFromEnv } from './config.ts';

const webhook = webhookFromEnv(Deno.env.toObject());

export default {
  fetch: (req) => webhook.handle(req),
} satisfies Deno.ServeDefaultExport;
