// pino with redaction of every field that can carry a secret. Runner loggers are children bound to the user id, so
// every runner line says whose bot wrote it.
import { pino, type Logger } from 'pino';

export const REDACT_PATHS = [
  'keys',
  '*.keys',
  'apiKey',
  '*.apiKey',
  'apiSecret',
  '*.apiSecret',
  'privateKey',
  '*.privateKey',
  'secret',
  '*.secret',
  'passphrase',
  '*.passphrase',
  'databaseUrl',
  '*.databaseUrl',
  'password',
  '*.password',
  'api_key',
  '*.api_key',
  'api_secret',
  '*.api_secret',
  'private_key',
  '*.private_key',
  'creds',
  '*.creds',
  // The manager's platform Kalshi market-data key.
  'credentials',
  '*.credentials',
  'privateKeyPem',
  '*.privateKeyPem',
  'KALSHI_MARKET_DATA_PRIVATE_KEY_PEM',
  '*.KALSHI_MARKET_DATA_PRIVATE_KEY_PEM',
];

export function createLogger(name: string, level: string): Logger {
  return pino({ name, level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}
