export * from './market.ts';
export * from './fees.ts';
export * from './config.ts';
export * from './secrets.ts';
export * from './plans.ts';
export * from './notifications.ts';
export * from './errors.ts';
export * from './subscription.ts';
