// The terms of service: their text here, their version in @polybot/schemas (TERMS_VERSION, which the database's
// accept_terms also holds to). The wizard has the database record the version with the time a user accepts
// (polybot_user_profiles.accepted_terms_version); /terms shows the same version and text to anyone.
// A change of wording is a new version (a new date), so what each user accepted stays knowable.
export { TERMS_VERSION } from '@polybot/schemas';

export interface TermsSection {
  id: string;
  title: string;
  paragraphs: string[];
}

/** The short version the wizard shows next to the checkbox; the full text is at /terms. */
export const TERMS_SUMMARY =
  'PolyBot places orders on prediction markets with your own venue accounts. Markets move; arbitrage can fail when a leg does not fill. Paper trading uses no real money. You are responsible for complying with each venue’s rules in your jurisdiction.';

export const TERMS_SECTIONS: TermsSection[] = [
  {
    id: 'service',
    title: '1. What PolyBot does',
    paragraphs: [
      'PolyBot runs a trading bot for you on prediction markets (Polymarket and Kalshi). The bot looks for opportunities within the limits and strategies you choose and places orders through your own venue accounts, with the API keys you connect.',
      'PolyBot never holds your funds. Money stays in your venue accounts; the bot can only do what those keys allow.',
    ],
  },
  {
    id: 'paper-live',
    title: '2. Paper and live trading',
    paragraphs: [
      'In paper mode the bot simulates fills against real order books and uses no real money. Paper results are estimates: a real order can fill at a different price or not at all.',
      'In live mode (paid plans only) the bot places real orders with real money. You choose live mode yourself, per account, and can pause the bot or switch back to paper at any time.',
    ],
  },
  {
    id: 'risk',
    title: '3. Risk',
    paragraphs: [
      'Prediction markets move quickly. An arbitrage needs every leg to fill; when one does not, the bot tries to unwind the others and can lose money doing so. Fees, slippage and market rules (for example how a market resolves) can turn an expected profit into a loss.',
      'Your limits (trade size, daily loss, open positions) cap what the bot does, but they are not a guarantee against loss. Past results, paper or live, do not predict future ones.',
    ],
  },
  {
    id: 'your-duties',
    title: '4. Your responsibilities',
    paragraphs: [
      'You are responsible for complying with each venue’s terms and with the laws of your jurisdiction, including whether you may trade on prediction markets at all.',
      'Keep your venue keys to yourself. PolyBot stores them encrypted and shows only their last characters; rotate or delete them on the API keys page whenever you like.',
    ],
  },
  {
    id: 'plans',
    title: '5. Plans and payment',
    paragraphs: [
      'The Free plan costs nothing. Paid plans are billed monthly through Stripe and renew until you cancel; a cancellation takes effect at the end of the period you paid for. If a payment fails, your plan stays active for a short grace period, after which the bot returns to the Free plan’s limits.',
      'Monthly trade limits count every order the bot places. When you reach the limit the bot pauses until the next month or until you upgrade.',
    ],
  },
  {
    id: 'changes',
    title: '6. Changes to these terms',
    paragraphs: [
      'When these terms change they get a new version (the date at the top). We tell you before a new version applies, and we keep a record of which version you accepted and when.',
    ],
  },
];
