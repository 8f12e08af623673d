// The terms of service, public (the proxy lets signed-out visitors in): the version the wizard records when a user
// accepts, and the full text. A plain server page: nothing here depends on who is asking.
import Link from 'next/link';
import { TERMS_SECTIONS, TERMS_VERSION } from '~/lib/terms.ts';

export const metadata = { title: 'Terms of service · PolyBot' };

export default function TermsPage() {
  return (
    <main className="shell prose">
      <Link className="auth-brand" href="/">
        PolyBot
      </Link>
      <h1>Terms of service</h1>
      <p className="muted" data-testid="terms-version">
        Version <span className="nowrap">{TERMS_VERSION}</span>, the version you accept in the first setup step.
      </p>
      <nav aria-label="Sections" className="card">
        <ol className="toc">
          {TERMS_SECTIONS.map((s) => (
            <li key={s.id}>
              <a href={`#${s.id}`}>{s.title.replace(/^\d+\.\s*/, '')}</a>
            </li>
          ))}
        </ol>
      </nav>
      {TERMS_SECTIONS.map((s) => (
        <section key={s.id} id={s.id} aria-labelledby={`${s.id}-h`}>
          <h2 id={`${s.id}-h`}>{s.title}</h2>
          {s.paragraphs.map((p, i) => (
            <p key={i}>{p}</p>
          ))}
        </section>
      ))}
      <p className="muted prose-footer">
        Setting up your bot? <Link href="/onboarding">Back to setup</Link> · New here?{' '}
        <Link href="/sign-up">Create an account</Link>
      </p>
    </main>
  );
}
