// Local SMTP sink with a browser inbox, for `npm start` and tests: point any SMTP client (nodemailer, the local
// auth server) at `smtpUrl`; read mail at `inboxUrl` or through `messages()` / `waitFor()`.
export { startMailSink, type MailSink, type MailSinkOptions } from './sink.ts';
export type { MailFilter, SinkMessage } from './store.ts';
export { messageLinks } from './inbox-pages.ts';
