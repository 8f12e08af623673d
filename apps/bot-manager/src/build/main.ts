// `npm run build` (tsx src/build/main.ts): dist/ for production, see dist.ts.
import { relative } from 'node:path';
import { buildDist, DIST_MAIN, DIST_RUNNER } from './dist.ts';

const { external } = await buildDist();
const rel = (p: string): string => relative(process.cwd(), p);
console.log(`bot-manager built: ${rel(DIST_MAIN)}, runner ${rel(DIST_RUNNER)}`);
console.log(`loaded from node_modules at run time: ${external.filter((p) => !p.startsWith('node:')).join(', ')}`);
