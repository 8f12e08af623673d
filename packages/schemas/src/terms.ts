// The version of the terms of service users accept now. Its text is the web app's (apps/web/src/lib/terms.ts, shown
// at /terms); the database accepts only this version (accept_terms checks private.current_terms_version(), and
// supabase/tests/onboarding-flows.test.ts keeps the two equal). A new wording is a new version: a new date here and a
// migration replacing private.current_terms_version().
export const TERMS_VERSION = '2026-11-01';
