export * from './market.ts';
export * from './fees.ts';
