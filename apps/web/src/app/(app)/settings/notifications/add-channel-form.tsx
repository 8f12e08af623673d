// Adding an email address, a Standard Webhooks endpoint, or a Slack or Discord incoming webhook.
import { addChannel } from '~/app/actions/notification-channels.ts';
import { ActionForm, Field, FieldErrors, Select, Submit } from '~/components/form.tsx';

export function AddChannelForm({ emailAvailable }: { emailAvailable: boolean }) {
  return (
    <ActionForm action={addChannel} label="Add a channel">
      <div className="field">
        <label htmlFor="channel-kind">Kind</label>
        <Select id="channel-kind" name="kind" defaultValue={emailAvailable ? 'email' : 'webhook'}>
          {emailAvailable ? <option value="email">Email</option> : null}
          <option value="webhook">Webhook (signed JSON, Standard Webhooks)</option>
          <option value="slack">Slack incoming webhook</option>
          <option value="discord">Discord webhook</option>
        </Select>
        <FieldErrors name="kind" />
      </div>
      <Field
        name="target"
        label="Address or URL"
        autoComplete="off"
        hint="An email address, or an https:// URL for a webhook, Slack or Discord. Private and internal addresses are refused."
      />
      <Field
        name="label"
        label="Label (optional)"
        autoComplete="off"
        hint="A name for it on this page, e.g. “Ops Slack”."
      />
      <Submit>Add channel</Submit>
    </ActionForm>
  );
}
