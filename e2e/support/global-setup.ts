// vitest globalSetup of the browser project: the web app built once per run. `npm test` runs these journeys after the
// web app's own browser tests (turbo.json), which have just built it from the same sources: that build is reused
// (its source fingerprint matches) rather than made twice; run alone, the journeys build it when it is missing or stale.
import { isBuilt } from '@polybot/web/start';
import { buildApp } from '@polybot/web/testing';

export default async function setup(): Promise<void> {
  if (!isBuilt()) await buildApp();
}
