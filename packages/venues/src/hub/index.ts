export { MarketDataHub, type HubConsumer, type HubStats } from './market-data-hub.ts';
export { DEFAULT_SILENCE_MS, SilenceWatchdog, type SilenceWatchdogOptions } from './silence-watchdog.ts';
