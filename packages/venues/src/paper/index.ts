export * from './paper-trading.ts';
export * from './execute-arbitrage.ts';
