'use client';
// Forms post to server actions (work without JavaScript too) and show the action's { error, fieldErrors } next to
// the fields they belong to. Fields are labelled and errors are linked with aria-describedby for screen readers.
import { createContext, useActionState, useContext, useEffect, useId, useRef, type ReactNode } from 'react';
import { useFormStatus } from 'react-dom';
import type { ActionState } from '~/lib/action.ts';

// The server action wrapper's result, as the form receives it (a type-only import: nothing server-side is bundled).
export type FormState = ActionState;
type Action = (prev: FormState, form: FormData) => Promise<FormState>;

const StateContext = createContext<FormState>({ ok: false, error: null, fieldErrors: {} });

export function ActionForm({
  action,
  children,
  label,
  className,
}: {
  action: Action;
  children: ReactNode;
  label: string;
  className?: string;
}) {
  const [state, formAction] = useActionState(action, { ok: false, error: null, fieldErrors: {} });
  const formErrors = state.fieldErrors._form ?? [];
  const formRef = useRef<HTMLFormElement>(null);
  // After a failed submit the errors may be far from the button just pressed (a long form on a phone): take the user
  // to the first field with an error, or to the form's own error when no field has one.
  useEffect(() => {
    if (state.ok || !state.at) return;
    const form = formRef.current;
    if (form) focusFirstError(form);
  }, [state.ok, state.at]);
  return (
    <form
      ref={formRef}
      action={formAction}
      aria-label={label}
      className={className ?? 'form'}
      noValidate
      data-result-at={state.at ?? 0}
    >
      <StateContext.Provider value={state}>
        {state.error ? (
          <div role="alert" className="banner banner-error" tabIndex={-1} data-form-error>
            {state.error}
            {formErrors.length > 0 ? <div>{formErrors.join(' ')}</div> : null}
          </div>
        ) : null}
        {state.ok && state.message ? (
          <div role="status" className="banner banner-ok">
            {state.message}
          </div>
        ) : null}
        {state.ok && state.reveal ? <Reveal {...state.reveal} /> : null}
        {children}
      </StateContext.Provider>
    </form>
  );
}

/** A value shown once (a signing secret, a link): selectable, wrapping on a phone, never kept by the page. */
function Reveal({ label, value, href }: NonNullable<FormState['reveal']>) {
  return (
    <div className="reveal">
      <p className="hint">{label}</p>
      {href ? (
        <a href={value} data-testid="revealed" target="_blank" rel="noreferrer">
          {value}
        </a>
      ) : (
        <code data-testid="revealed">{value}</code>
      )}
    </div>
  );
}

/**
 * Focuses (and scrolls to) the first field with an error in the form, in page order: an input marked aria-invalid, or
 * the input a FieldErrors message belongs to (checkboxes, radios). With none that can take focus, the form's error.
 */
function focusFirstError(form: HTMLFormElement): void {
  let target: HTMLElement | null = null;
  for (const el of Array.from(form.querySelectorAll<HTMLElement>('[aria-invalid="true"], [data-field-error]'))) {
    const input =
      el.hasAttribute('data-field-error') && !el.hasAttribute('aria-invalid')
        ? form.querySelector<HTMLInputElement>(`[name="${CSS.escape(el.dataset.fieldError ?? '')}"]:not([disabled])`)
        : el;
    if (input) {
      target = input;
      break;
    }
  }
  target ??= form.querySelector<HTMLElement>('[data-form-error]');
  if (!target) return;
  target.scrollIntoView({ block: 'center' });
  target.focus({ preventScroll: true });
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
  const describedBy =
    [props.hint ? `${id}-hint` : null, errors.length ? `${id}-err` : null].filter(Boolean).join(' ') || undefined;
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
        <input
          {...common}
          key={key}
          type={props.type ?? 'text'}
          step={props.step}
          min={props.min}
          max={props.max}
          inputMode={props.type === 'number' ? 'decimal' : undefined}
        />
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

/** What a failed submission sent (never secrets), or undefined on first render and after a success. */
export function useSubmitted(): { values: Record<string, string> | undefined; at: number } {
  const state = useContext(StateContext);
  return { values: state.ok ? undefined : state.values, at: state.at ?? 0 };
}

/**
 * A checkbox or radio that, after a failed submit, shows what the user submitted rather than the saved value.
 * Browsers send nothing for an unchecked box, so "absent from the submission" means unchecked. A disabled input is
 * never submitted and the user could not change it, so it keeps its default.
 */
export function Check(props: {
  type?: 'checkbox' | 'radio';
  name: string;
  value?: string;
  defaultChecked?: boolean;
  disabled?: boolean;
  id?: string;
  'aria-describedby'?: string;
}) {
  const { values, at } = useSubmitted();
  const type = props.type ?? 'checkbox';
  let checked = props.defaultChecked ?? false;
  if (values && !props.disabled) checked = type === 'radio' ? values[props.name] === props.value : props.name in values;
  return (
    <input
      key={`${props.name}-${props.value ?? ''}-${at}`}
      id={props.id}
      type={type}
      name={props.name}
      value={props.value}
      defaultChecked={checked}
      disabled={props.disabled}
      aria-describedby={props['aria-describedby']}
    />
  );
}

/** A select that keeps the submitted option after a failed submit (see Check). */
export function Select(props: {
  id: string;
  name: string;
  defaultValue: string;
  children: ReactNode;
  onChange?: (value: string) => void;
}) {
  const { values, at } = useSubmitted();
  const { onChange } = props;
  return (
    <select
      key={`${props.name}-${at}`}
      id={props.id}
      name={props.name}
      defaultValue={values?.[props.name] ?? props.defaultValue}
      onChange={onChange ? (e) => onChange(e.target.value) : undefined}
    >
      {props.children}
    </select>
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
