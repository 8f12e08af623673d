// How Polymarket's public APIs (Gamma, data-API) spell values on the wire, parsed once for both.
import { z } from 'zod';

/** A number sent either as a JSON number or as a decimal string (`"0.52"`), read as a number. */
export const NumberLike = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);
