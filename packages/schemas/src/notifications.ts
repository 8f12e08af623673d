// Payload of pg_notify('polybot_user_changed', ...) fired by the triggers in supabase/migrations.
import { z } from 'zod';

export const USER_CHANGED_CHANNEL = 'polybot_user_changed';

export const UserChangedPayloadSchema = z.strictObject({
  user_id: z.uuid(),
  table: z.enum(['polybot_user_profiles', 'polybot_user_config', 'polybot_user_secrets']),
  op: z.enum(['insert', 'update', 'delete']),
});
export type UserChangedPayload = z.infer<typeof UserChangedPayloadSchema>;
