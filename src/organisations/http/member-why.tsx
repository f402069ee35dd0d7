import type { MessageKey } from '../../i18n/index.ts';
import { type PageContext, translator } from '../../web/render.tsx';

const SECTIONS = ['contacts', 'setup', 'phishing', 'uptodate', 'incident'] as const;

/**
 * "Why this matters" (`/organisation/why`): Mamori's own short words on why sign-in methods matter, how to
 * set them up, phishing, keeping them up to date and what to do in an incident. Public, so admins can link it.
 */
export function WhyPage(p: { pc: PageContext }) {
  const tr = translator(p.pc.locale);
  return (
    <div class="card narrow" data-testid="why">
      <h1>{tr('org.why.title')}</h1>
      <p class="lead">{tr('org.why.lead')}</p>
      {SECTIONS.map((k) => (
        <section data-section={k}>
          <h2>{tr(`org.why.${k}_title` as MessageKey)}</h2>
          <p>{tr(`org.why.${k}_body` as MessageKey)}</p>
        </section>
      ))}
      <p>
        <a class="button" href="/security/secure">
          {tr('org.why.secure')}
        </a>
      </p>
    </div>
  );
}
