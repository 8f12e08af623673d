// Scenario loading: a scenario is a directory scenarios/<name>/ with one file per venue (polymarket.json,
// kalshi.json) and optionally links.json (cross-venue relations and the opportunities the scenario plants) and
// news.json (news items served as RSS feeds, news.ts) — or, for the continuous `live` scenario, live.json (its fixed
// parts), from which the venues' files are generated when the simulator starts (live/generate.ts).
// Each venue's file is handed, unparsed, to that venue's module, which validates its own format.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCENARIOS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../scenarios');

export interface Scenario {
  name: string;
  dir: string;
  polymarket: unknown;
  kalshi: unknown;
  links: unknown;
  news: unknown;
  /** live.json of a continuous scenario (live/config.ts), or null. */
  live: unknown;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (e) {
    throw new Error(`venue-sim: cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

export function listScenarios(): string[] {
  return readdirSync(SCENARIOS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** `nameOrDir`: a scenario name under scenarios/, or a path to a scenario directory. */
export function loadScenario(nameOrDir: string): Scenario {
  const dir = isAbsolute(nameOrDir) || nameOrDir.includes('/') ? resolve(nameOrDir) : join(SCENARIOS_DIR, nameOrDir);
  if (!existsSync(dir)) {
    throw new Error(`venue-sim: unknown scenario "${nameOrDir}" (known: ${listScenarios().join(', ') || 'none'})`);
  }
  const optional = (file: string): unknown => (existsSync(join(dir, file)) ? readJson(join(dir, file)) : null);
  const scenario: Scenario = {
    name: nameOrDir,
    dir,
    polymarket: optional('polymarket.json'),
    kalshi: optional('kalshi.json'),
    links: optional('links.json'),
    news: optional('news.json'),
    live: optional('live.json'),
  };
  if (scenario.polymarket === null && scenario.kalshi === null && scenario.live === null)
    throw new Error(`venue-sim: scenario ${dir} has neither polymarket.json, kalshi.json nor live.json`);
  return scenario;
}
