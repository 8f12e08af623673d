// `npm run venue-sim -- --scenario <name> --port <p>`: runs the venue simulator until SIGTERM/SIGINT.
import { parseArgs } from 'node:util';
import { startVenueSim } from '../venue-sim/server.ts';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'arb-rich' },
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`venue-sim: --port must be 0..65535, got ${values.port}`);
  process.exit(2);
}

const sim = await startVenueSim({ scenario: values.scenario, port, host: values.host });
console.log(`venue-sim: scenario ${values.scenario} ready`);
for (const [name, url] of Object.entries(sim.urls)) console.log(`  ${name.padEnd(18)} ${url}`);

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  console.log(`venue-sim: ${signal}, shutting down`);
  const force = setTimeout(() => process.exit(1), 5000);
  force.unref();
  sim.close().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error('venue-sim: close failed', e);
      process.exit(1);
    },
  );
};
process.once('SIGTERM', () => stop('SIGTERM'));
process.once('SIGINT', () => stop('SIGINT'));
