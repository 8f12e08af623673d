/** The email channel's confirmation token as add_notification_channel makes it (32 random bytes, base64url). */
import { z } from 'zod';

export const ConfirmTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/);
