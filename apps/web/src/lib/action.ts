// The one wrapper every server action goes through: authenticate from verified claims, parse the form with the
// shared zod schema, run the handler as the user. User mistakes come back as { error, fieldErrors } for the form
// to show; anything else is a bug and throws (the error boundary shows it, the log keeps it).
import 'server-only';
import type { JwtClaims } from '@polybot/db';
import type { z } from 'zod';
import { getClaims } from './session.ts';

export interface ActionState {
  ok: boolean;
  error: string | null;
  fieldErrors: Record<string, string[]>;
  message?: string;
  /** What was submitted (never secrets), so a form with errors keeps the user's input instead of resetting. */
  values?: Record<string, string>;
  /** Bumped on every submission so forms can tell a new result from an old one. */
  at?: number;
  /** A value shown this once after a success (a new webhook signing secret, a Telegram link): never stored here. */
  reveal?: { label: string; value: string; href?: boolean };
}

/** What a handler may return: the success message, or the message and a value to show once (ActionState.reveal). */
export type ActionResult = string | void | { message: string; reveal: NonNullable<ActionState['reveal']> };

export const initialActionState: ActionState = { ok: false, error: null, fieldErrors: {} };

/** Thrown by handlers for a problem the user can fix (bad key, unavailable option): shown, not logged as a bug. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly fieldErrors: Record<string, string[]> = {},
  ) {
    super(message);
  }
}

/** Errors by field; `topLevel` files an item's error under its list field (keywords.2 → keywords), the form's input. */
export function fieldErrorsOf(error: z.ZodError, topLevel = false): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const path = topLevel ? issue.path.slice(0, 1) : issue.path;
    const key = path.length > 0 ? path.join('.') : '_form';
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

// Form fields that must never travel back to the browser, even to refill a form after an error.
const SECRET_FIELDS = new Set(['password', 'privateKey', 'privateKeyPem', 'password_confirm']);

/** What was submitted, minus secrets and React's internal fields: refills a form that failed. */
export function echo(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries())
    if (typeof v === 'string' && !SECRET_FIELDS.has(k) && !k.startsWith('$')) out[k] = v;
  return out;
}

/** The answer to a form that fails its schema: every action's (and sign-in's, sign-up's) same words and shape. */
export function invalidForm(error: z.ZodError, form: FormData, topLevel = false): ActionState {
  return {
    ok: false,
    error: 'Some fields need attention.',
    fieldErrors: fieldErrorsOf(error, topLevel),
    values: echo(form),
    at: Date.now(),
  };
}

export interface ActionOptions {
  /** Messages for the shared schema's checks that have none of their own (see friendly-errors.ts). */
  errorMap?: z.core.$ZodErrorMap;
  /** One form field fills a whole list (comma-separated keywords): show an item's error under that field. */
  topLevelErrors?: boolean;
}

export function action<S extends z.ZodType>(
  schema: S,
  toInput: (form: FormData) => unknown,
  handler: (claims: JwtClaims, input: z.output<S>) => Promise<ActionResult>,
  options: ActionOptions = {},
): (prev: ActionState, form: FormData) => Promise<ActionState> {
  return async (_prev, form) => {
    const claims = await getClaims();
    if (!claims)
      return {
        ok: false,
        error: 'Your session has ended. Sign in again to continue.',
        fieldErrors: {},
        at: Date.now(),
      };
    const parsed = schema.safeParse(toInput(form), options.errorMap ? { error: options.errorMap } : undefined);
    if (!parsed.success) return invalidForm(parsed.error, form, options.topLevelErrors);
    try {
      const result = await handler(claims, parsed.data);
      if (typeof result === 'object')
        return {
          ok: true,
          error: null,
          fieldErrors: {},
          message: result.message,
          reveal: result.reveal,
          at: Date.now(),
        };
      return { ok: true, error: null, fieldErrors: {}, message: result ?? 'Saved.', at: Date.now() };
    } catch (e) {
      if (e instanceof UserError)
        return { ok: false, error: e.message, fieldErrors: e.fieldErrors, values: echo(form), at: Date.now() };
      throw e;
    }
  };
}

/** Form values arrive as strings; an empty field is "missing", not 0. */
export function num(form: FormData, key: string): number | undefined {
  const v = form.get(key);
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  return Number(v.trim());
}

export function str(form: FormData, key: string): string | undefined {
  const v = form.get(key);
  return typeof v === 'string' ? v : undefined;
}

export function bool(form: FormData, key: string): boolean {
  return form.get(key) === 'on' || form.get(key) === 'true';
}
