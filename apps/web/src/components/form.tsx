'use client';
// Forms post to server actions (work without JavaScript too) and show the action's { error, fieldErrors } next to
// the fields they belong to. Fields are labelled and errors are linked with aria-describedby for screen readers.
import { createContext, useActionState, useContext, useId, type ReactNode } from 'react';
import { useFormStatus } from 'react-dom';

export interface FormState {
  ok: boolean;
  error: string | null;
  fieldErrors: Record<string, string[]>;
  message?: string;
  values?: Record<string, string>;
  at?: number;
}
type Action = (prev: FormState, form: FormData) => Promise<FormState>;

const StateContext = createContext<FormState>({ ok: false, error: null, fieldErrors: {} });

export function ActionForm({ action, children, label, className }: { action: Action; children: ReactNode; label: string; className?: string }) {
  const [state, formAction] = useActionState(action, { ok: false, error: null, fieldErrors: {} });
  const formErrors = state.fieldErrors._form ?? [];
  return (
    <form action={formAction} aria-label={label} className={className ?? 'form'} noValidate data-result-at={state.at ?? 0}>
      <StateContext.Provider value={state}>
        {state.error ? (
          <div role="alert" className="banner banner-error">
            {state.error}
            {formErrors.length > 0 ? <div>{formErrors.join(' ')}</div> : null}
          </div>
        ) : null}
        {state.ok && state.message ? (
          <div role="status" className="banner banner-ok">
            {state.message}
          </div>
        ) : null}
        {children}
      </StateContext.Provider>
    </form>
  );
}

export function Field(props: {
  name: string;
  label: string;
  type?: string;
  defaultValue?: string | number;
  hint?: string;
  required?: boolean;
  autoComplete?: string;
  multiline?: boolean;
  step?: string;
  min?: number;
  max?: number;
}) {
  const state = useContext(StateContext);
  const id = useId();
  const errors = state.fieldErrors[props.name] ?? [];
  const describedBy = [props.hint ? `${id}-hint` : null, errors.length ? `${id}-err` : null].filter(Boolean).join(' ') || undefined;
  // React resets a form after its action runs; refill it with what was submitted when the submission failed.
  const key = `${props.name}-${state.at ?? 0}`;
  const common = {
    id,
    name: props.name,
    defaultValue: state.ok ? props.defaultValue : (state.values?.[props.name] ?? props.defaultValue),
    'aria-invalid': errors.length > 0 || undefined,
    'aria-describedby': describedBy,
    required: props.required,
    autoComplete: props.autoComplete,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.multiline ? (
        <textarea {...common} key={key} rows={5} spellCheck={false} />
      ) : (
        <input {...common} key={key} type={props.type ?? 'text'} step={props.step} min={props.min} max={props.max} inputMode={props.type === 'number' ? 'decimal' : undefined} />
      )}
      {props.hint ? (
        <p id={`${id}-hint`} className="hint">
          {props.hint}
        </p>
      ) : null}
      {errors.length > 0 ? (
        <p id={`${id}-err`} className="field-error" data-field-error={props.name}>
          {errors.join(' ')}
        </p>
      ) : null}
    </div>
  );
}

export function FieldErrors({ name }: { name: string }) {
  const state = useContext(StateContext);
  const errors = state.fieldErrors[name] ?? [];
  return errors.length > 0 ? (
    <p className="field-error" data-field-error={name}>
      {errors.join(' ')}
    </p>
  ) : null;
}

export function Submit({ children, variant }: { children: ReactNode; variant?: 'danger' | 'secondary' }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className={`btn ${variant ? `btn-${variant}` : ''}`} disabled={pending} aria-busy={pending}>
      {pending ? 'Working…' : children}
    </button>
  );
}
