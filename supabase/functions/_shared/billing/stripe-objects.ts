// The parts of Stripe's event payloads billing reads, narrowed with zod. Stripe adds fields freely, so every schema
// is non-strict; a payload missing a field we rely on is a bug we want to hear about (the webhook answers 500 and
// Stripe retries), not something to guess around.
import { SubscriptionStatusSchema } from '@polybot/schemas';
import { z } from 'zod';

/** Expandable references arrive as an id or as the expanded object; we only need the id. */
const Ref = z.union([z.string(), z.object({ id: z.string() })]).transform((v) => (typeof v === 'string' ? v : v.id));
const Metadata = z
  .record(z.string(), z.string())
  .nullish()
  .transform((m) => m ?? {});

export const EventSchema = z.object({
  id: z.string().startsWith('evt_'),
  type: z.string(),
  created: z.number().int().positive(),
  livemode: z.boolean(),
  data: z.object({ object: z.unknown() }),
});
export type StripeEventEnvelope = z.infer<typeof EventSchema>;

export const SubscriptionSchema = z.object({
  id: z.string().startsWith('sub_'),
  object: z.literal('subscription'),
  customer: Ref,
  status: SubscriptionStatusSchema,
  cancel_at_period_end: z.boolean(),
  cancel_at: z.number().int().nullish(),
  metadata: Metadata,
  items: z.object({
    data: z.array(z.object({ price: z.object({ id: z.string() }), current_period_end: z.number().int() })).min(1),
  }),
});
export type StripeSubscription = z.infer<typeof SubscriptionSchema>;

export const CheckoutSessionSchema = z.object({
  id: z.string().startsWith('cs_'),
  object: z.literal('checkout.session'),
  mode: z.string(),
  client_reference_id: z.string().nullish(),
  customer: Ref.nullish(),
  subscription: Ref.nullish(),
  metadata: Metadata,
});

export const InvoiceSchema = z.object({
  id: z.string().startsWith('in_'),
  object: z.literal('invoice'),
  customer: Ref,
  // Since API 2025-03-31 an invoice names its subscription under parent.subscription_details.
  parent: z
    .object({
      subscription_details: z.object({ subscription: Ref, metadata: Metadata }).nullish(),
    })
    .nullish(),
});
