// News signals' parameters: keyword rules on a feed, each naming the market side to buy and the prices it may pay.
// Market ids are typed in (no market list offline); the hint says where the trade page shows them.
import type { NewsRule } from '@polybot/schemas';
import { addNewsRule, removeNewsRule } from '~/app/actions/strategies.ts';
import { ActionForm, Field, FieldErrors, Select, Submit } from './form.tsx';

const VENUE = { polymarket: 'Polymarket', kalshi: 'Kalshi' } as const;

function RuleSelect(props: {
  id: string;
  name: string;
  label: string;
  defaultValue: string;
  options: Record<string, string>;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <Select id={props.id} name={props.name} defaultValue={props.defaultValue}>
        {Object.entries(props.options).map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </Select>
      <FieldErrors name={props.name} />
    </div>
  );
}

function Rule({ r, ignored }: { r: NewsRule; ignored: string | undefined }) {
  return (
    <li className={ignored ? 'entry entry-ignored' : 'entry'} data-rule={r.id}>
      <div className="entry-main">
        <strong>{r.feed}</strong>
        <span>
          on <q>{r.keywords.join('”, “')}</q>
        </span>
        <span>
          buy <strong>{r.side.toUpperCase()}</strong> on {VENUE[r.venue]}{' '}
          <code title={r.instrumentId}>{r.instrumentId}</code>
        </span>
        <span>
          while price + fees &lt; {r.confidence} and ≤ {r.maxPrice}
        </span>
        <span>
          {r.maxSizeUsd ? `up to $${r.maxSizeUsd.toLocaleString('en-US')} per signal, ` : ''}for {r.windowMinutes} min
          after the news
        </span>
        {/* Inside the rule's text, so Remove keeps its place at the top right. */}
        {ignored ? (
          <p className="rule-ignored" data-testid="rule-ignored">
            <strong>The bot ignores this rule:</strong> {ignored}
          </p>
        ) : null}
      </div>
      <details className="confirm">
        <summary>Remove</summary>
        <ActionForm action={removeNewsRule} label={`Remove news rule ${r.id}`} className="form confirm-form">
          <input type="hidden" name="id" value={r.id} />
          <p>Remove the {r.feed} rule? The bot stops acting on it; positions already open stay open.</p>
          <Submit variant="danger">Yes, remove rule</Submit>
        </ActionForm>
      </details>
    </li>
  );
}

/** `ignored`: the bot manager's reason by rule id, for the rules it reports it will not act on. */
export function NewsRules({
  rules,
  max,
  ignored,
}: {
  rules: NewsRule[];
  max: number;
  ignored: Record<string, string>;
}) {
  return (
    <div className="stack">
      {rules.length === 0 ? (
        <p className="muted" data-testid="rules-empty">
          You have no news rules yet.
        </p>
      ) : (
        <ul className="entries" aria-label="News rules">
          {rules.map((r) => (
            <Rule key={r.id} r={r} ignored={ignored[r.id]} />
          ))}
        </ul>
      )}
      {rules.length >= max ? (
        <p className="muted">You have {max} news rules, the most allowed. Remove one to add another.</p>
      ) : (
        <ActionForm action={addNewsRule} label="Add a news rule">
          <div className="grid">
            <Field name="feed" label="Feed" autoComplete="off" hint="The news feed to watch, by name (e.g. reuters)." />
            <Field
              name="keywords"
              label="Keywords"
              autoComplete="off"
              hint="Comma-separated, 1 – 20: a headline with any of them fires the rule."
            />
            <RuleSelect id="rule-venue" name="venue" label="Venue" defaultValue="polymarket" options={VENUE} />
            <Field
              name="instrumentId"
              label="Market id"
              autoComplete="off"
              hint="Polymarket: the outcome's token id; Kalshi: the market ticker. The trade page shows it as “Instrument”."
            />
            <RuleSelect
              id="rule-side"
              name="side"
              label="Side to buy"
              defaultValue="yes"
              options={{ yes: 'Yes', no: 'No' }}
            />
            <Field
              name="maxPrice"
              label="Max price"
              type="number"
              step="0.01"
              min={0.01}
              max={0.99}
              hint="Per share, between 0 and 1 (e.g. 0.65)."
            />
            <Field
              name="confidence"
              label="Confidence"
              type="number"
              step="0.01"
              min={0.01}
              max={0.99}
              hint="How likely you think the side pays after such news, between 0 and 1."
            />
            <Field
              name="maxSizeUsd"
              label="Budget per signal (USD)"
              type="number"
              step="0.01"
              min={1}
              max={100_000}
              hint="Optional: 1 – 100,000. Your max trade size applies too."
            />
            <Field
              name="windowMinutes"
              label="Window (minutes)"
              type="number"
              step="1"
              min={1}
              max={10_080}
              defaultValue={60}
              hint="How long after the news the bot may act: 1 – 10,080 (a week)."
            />
          </div>
          <Submit>Add news rule</Submit>
        </ActionForm>
      )}
    </div>
  );
}
