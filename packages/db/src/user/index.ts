export * from './queries.ts';
export * from './billing.ts';
export * from './dashboard.ts';
export * from './onboarding.ts';
export * from './plans.ts';
export * from './trades.ts';
export * from './positions.ts';
export * from './notifications.ts';
