export * from './types.ts';
export * from './book.ts';
export * from './basket.ts';
export * from './plans.ts';
export * from './arbitrage.ts';
