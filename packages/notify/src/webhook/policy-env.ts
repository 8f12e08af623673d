// The webhook address policy's two settings (address-policy.ts, safe-fetch.ts) as environment variables, read by both
// apps that send to webhooks: the web app ("Send test", apps/web/src/env.ts) and the manager (deliveries,
// apps/bot-manager/src/env.ts). One schema, so a value one of them accepts the other cannot refuse or read otherwise.
import { z } from 'zod';

const CidrSchema = z.union([z.cidrv4(), z.cidrv6()]);

export const WEBHOOK_POLICY_ENV = {
  /** `true` only locally: webhook URLs may be http://. */
  NOTIFY_WEBHOOK_ALLOW_HTTP: z
    .enum(['true', 'false'], { error: 'NOTIFY_WEBHOOK_ALLOW_HTTP must be true or false' })
    .default('false')
    .transform((v) => v === 'true'),
  /** Comma-separated CIDRs webhook URLs may point into although private (locally 127.0.0.1/32; production: none). */
  NOTIFY_WEBHOOK_EXEMPT_RANGES: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const ranges = v
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean);
      for (const r of ranges)
        if (!CidrSchema.safeParse(r).success)
          ctx.addIssue({
            code: 'custom',
            message: `NOTIFY_WEBHOOK_EXEMPT_RANGES must list CIDRs: "${r}" is not a CIDR`,
          });
      return ranges;
    }),
};
