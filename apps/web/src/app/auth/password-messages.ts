// What the forgot-password and reset-password pages say (a 'use server' module may export only actions).

/** The one answer to a reset request, whether or not the email has an account. */
export const RESET_LINK_SENT =
  'If an account exists for that email, we have sent it a link to choose a new password. The link works once, for one hour.';
export const RESET_SESSION_MISSING = 'Your reset link has expired or was already used. Ask for a new one.';
