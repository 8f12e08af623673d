// @polybot/local-stack/testing: test scaffolding around the simulated outside world — real clients pointed at it,
// venue simulators with a test-held clock, a proxy that records what a venue would see, and bounded waits.
// Tests only; production code never imports it.
export { createTestClient, transport } from './supabase-client.ts';
export { registerKalshiKey, startKalshiSim, type KalshiKey, type SimHandle } from './kalshi-sim.ts';
export { apis as kalshiApis, errorOf, keyPair, loadScenario as loadKalshiScenario } from './kalshi-sdk.ts';
export { serveVenue, type TestServer } from './venue-server.ts';
export { startCountingProxy, type CountingProxy } from './counting-proxy.ts';
export { alive, eventually } from './wait.ts';
export { refuseEoaMakers, registerPolymarketWallet, type PolymarketWalletType } from './polymarket-wallets.ts';
export { polymarketOrders, setPolymarketHeartbeatTimeout, type SimPolymarketOrder } from './polymarket-dead-man.ts';
export { seededRandom } from '../src/venue-sim/seeded-random.ts';
