// /settings has no page of its own: the menu's "Settings" pages are config, keys, notifications and billing. A visitor who types
// /settings (or follows an old link) lands on the first of them instead of a 404.
import { redirect } from 'next/navigation';

export default function SettingsIndex(): never {
  redirect('/settings/config');
}
