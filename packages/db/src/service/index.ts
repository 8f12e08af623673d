export * from './queries.ts';
export * from './billing.ts';
export * from './bot-run.ts';
export * from './bot-status.ts';
export * from './positions.ts';
export * from './runner-user.ts';
export * from './secrets.ts';
export * from './trades.ts';
