// Stripe's request encoding, as the `stripe` SDK produces it: application/x-www-form-urlencoded with bracketed keys
// (`line_items[0][price]=price_1&metadata[user_id]=...`). Decoded into nested objects; objects whose keys are all
// indices become arrays, so `line_items` reads as an array like in Stripe's docs.
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

export function parseForm(body: string): FormObject {
  const root: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const path = keyPath(rawKey);
    let node: FormObject = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) {
        node[part] = value;
        return;
      }
      const next = node[part];
      if (typeof next === 'object' && !Array.isArray(next)) node = next;
      else {
        const created: FormObject = {};
        node[part] = created;
        node = created;
      }
    });
  }
  return arrayify(root) as FormObject;
}

function keyPath(key: string): string[] {
  const head = key.split('[', 1)[0] ?? key;
  const rest = [...key.slice(head.length).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? '');
  return [head, ...rest];
}

function arrayify(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const converted = Object.fromEntries(keys.map((k) => [k, arrayify(value[k] ?? '')]));
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => converted[k] ?? '');
  }
  return converted;
}

/** Readers that turn a missing/mistyped parameter into Stripe's own error. */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: 'invalid_request_error' | 'card_error' | 'api_error',
    message: string,
    readonly param?: string,
    readonly code?: string,
  ) {
    super(message);
  }

  toJSON(): { error: Record<string, string> } {
    return {
      error: {
        type: this.type,
        message: this.message,
        ...(this.param ? { param: this.param } : {}),
        ...(this.code ? { code: this.code } : {}),
      },
    };
  }
}

export function str(form: FormObject, name: string): string | undefined {
  const v = form[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new StripeApiError(400, 'invalid_request_error', `Invalid string: ${name}`, name);
  return v;
}

export function required(form: FormObject, name: string): string {
  const v = str(form, name);
  if (!v)
    throw new StripeApiError(
      400,
      'invalid_request_error',
      `Missing required param: ${name}.`,
      name,
      'parameter_missing',
    );
  return v;
}

export function obj(form: FormObject, name: string): FormObject {
  const v = form[name];
  if (v === undefined || v === '') return {};
  if (typeof v === 'string' || Array.isArray(v))
    throw new StripeApiError(400, 'invalid_request_error', `Invalid object: ${name}`, name);
  return v;
}

export function list(form: FormObject, name: string): FormObject[] {
  const v = form[name];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new StripeApiError(400, 'invalid_request_error', `Invalid array: ${name}`, name);
  return v.map((item) => {
    if (typeof item !== 'object' || Array.isArray(item))
      throw new StripeApiError(400, 'invalid_request_error', `Invalid array: ${name}`, name);
    return item;
  });
}

/** metadata[key]=value pairs; Stripe treats an empty value as "unset this key". */
export function metadata(form: FormObject, name = 'metadata'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(form, name))) {
    if (typeof v === 'string' && v !== '') out[k] = v;
  }
  return out;
}

export function bool(form: FormObject, name: string): boolean | undefined {
  const v = str(form, name);
  if (v === undefined) return undefined;
  if (v !== 'true' && v !== 'false')
    throw new StripeApiError(400, 'invalid_request_error', `Invalid boolean: ${v}`, name);
  return v === 'true';
}
