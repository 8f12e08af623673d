// vitest globalSetup of the browser project: builds the app once per run, before any test file starts its stack.
import { buildApp } from './stack.ts';

export default async function setup(): Promise<void> {
  await buildApp();
}
