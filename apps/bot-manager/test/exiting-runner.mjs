// A stand-in runner for runner-process.test.ts (plain JavaScript: the manager forks runners without a loader): exits
// at the first message it gets, as a runner told to stop does, while the manager may still be writing to it.
import process from 'node:process';

process.on('message', () => process.exit(0));
