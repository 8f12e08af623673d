export type * from './venue.ts';
export * from './rate-limit/index.ts';
export * from './hub/index.ts';
export * from './polymarket/index.ts';
export * from './kalshi/index.ts';
export * from './paper/index.ts';
export * from './venue-errors.ts';
