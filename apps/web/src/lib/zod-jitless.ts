// Zod compiles object parsers with `new Function` when it can, and first probes whether it can. Our CSP has no
// 'unsafe-eval' (src/lib/security-headers.ts), so in the browser that probe is refused and reported as a CSP violation
// on every page whose client code loads a schema. Jitless parsing is plenty for the few parses a page (or this web
// server, which renders the same client modules) does. Imported first by client components that use @polybot/schemas.
import { z } from 'zod';

z.config({ jitless: true });
