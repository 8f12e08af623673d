export type * from './venue.ts';
export * from './rate-limit/index.ts';
// Kalshi adapter (owned by the Kalshi helper): uncomment once packages/venues/src/kalshi/index.ts exists.
// export * from './kalshi/index.ts';
