export { createDb, type Db, type DbOptions } from './client.ts';
export { withUser, withUserClaims, withAnon, JwtClaimsSchema, type JwtClaims, type UserTx } from './with-user.ts';
