// How every benchmark ends: its process exits 0 when main finishes and 1 (the error printed) when it throws, so open
// handles (a simulator, a pool) cannot keep a finished run alive.

export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
