// Plain-words messages for the shared schemas' checks that carry no message of their own (a schema's own message,
// like the wallet address one, always wins). Bounds read like the form hints: "more than 0", "at most 10".
import type { z } from 'zod';

const shown = (n: number | bigint): string => (typeof n === 'bigint' ? n.toString() : n.toLocaleString('en-US'));

type Issue = Parameters<z.core.$ZodErrorMap>[0];

/** A per-parse error map naming each field by its form label; `labels` maps the schema key to that label. */
export function friendlyErrors(labels: Record<string, string>): z.core.$ZodErrorMap {
  return (iss: Issue) => {
    const [key, index] = iss.path ?? [];
    const base = labels[String(key)] ?? String(key ?? 'This field');
    const label = typeof index === 'number' ? `${base.replace(/s$/, '')} ${index + 1}` : base;
    switch (iss.code) {
      case 'invalid_type':
        if (iss.expected === 'number') return `${label} must be a number`;
        if (iss.expected === 'int') return `${label} must be a whole number`;
        return `${label} is missing`;
      case 'invalid_value':
        return `Choose one of the ${base.toLowerCase()} options`;
      case 'too_small':
        if (iss.origin === 'array') return `Add at least ${shown(iss.minimum)} ${base.toLowerCase().replace(/s$/, '')}`;
        if (iss.origin === 'string')
          return iss.minimum === 1
            ? `${label} is required`
            : `${label} needs at least ${shown(iss.minimum)} characters`;
        return iss.inclusive
          ? `${label} must be at least ${shown(iss.minimum)}`
          : `${label} must be more than ${shown(iss.minimum)}`;
      case 'too_big':
        if (iss.origin === 'array') return `At most ${shown(iss.maximum)} ${base.toLowerCase()}`;
        if (iss.origin === 'string') return `${label} must be at most ${shown(iss.maximum)} characters`;
        return iss.inclusive
          ? `${label} must be at most ${shown(iss.maximum)}`
          : `${label} must be less than ${shown(iss.maximum)}`;
      default:
        return undefined;
    }
  };
}
