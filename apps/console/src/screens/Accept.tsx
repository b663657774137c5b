import { useState, type FormEvent } from 'react';
import { ApiError, api } from '../api/client';
import { getSession, isClientAdmin, setSession } from '../api/session';
import type { Delegation, OfferTerms } from '../api/types';
import { Link } from '../components/Link';
import { ProblemView } from '../components/ProblemView';
import { date, duration, includesText, roleName } from '../components/format';
import { useAsync } from '../components/useAsync';
import { SignIn } from './SignIn';

/**
 * The page an offer link leads to (`/accept/{offerId}?code=…`): a client administrator sees what
 * the partner asks for, describes the organization, accepts, and can revoke the delegation later.
 */
export function Accept({ offerId, code }: { offerId: string; code: string }) {
  const session = getSession();
  if (!isClientAdmin(session))
    return (
      <SignIn
        preferRole="client.admin"
        reason={
          session
            ? `You are signed in as ${session.sub}, who is not a client administrator. Sign in as your organization's administrator to review this offer.`
            : "A partner offers to administer your organization. Sign in as your organization's administrator to review the offer."
        }
      />
    );
  return <AcceptOffer offerId={offerId} code={code} />;
}

function AcceptOffer({ offerId, code }: { offerId: string; code: string }) {
  const terms = useAsync(
    () => api.get<OfferTerms>(`/offer-links/${encodeURIComponent(offerId)}`, { code }),
    [offerId, code],
  );
  const [delegation, setDelegation] = useState<Delegation | null>(null);
  if (delegation) return <Accepted delegation={delegation} onChange={setDelegation} />;
  if (terms.error) return <LinkProblem error={terms.error} />;
  if (!terms.data)
    return (
      <main id="main" aria-busy="true">
        <p>Loading the offer…</p>
      </main>
    );
  const t = terms.data;
  return (
    <main id="main" aria-labelledby="accept-title" className="narrow">
      <h1 id="accept-title">Grant delegated administration</h1>
      <section className="card terms" aria-label="What you agree to">
        <p className="lead">
          Partner <strong className="partner">{t.partner.name ?? t.partner.id}</strong> asks to administer
          your organization on your behalf.
        </p>
        <dl className="facts">
          <dt>Roles</dt>
          <dd>{t.grantedRoles.map(roleName).join(' and ')}</dd>
          <dt>For</dt>
          <dd>
            {t.delegationDuration ? duration(t.delegationDuration) : 'no fixed time (until revoked)'}
            {t.autoExtend && ', extended automatically by 180 days unless revoked'}
          </dd>
          <dt>Included</dt>
          <dd>{includesText(t.includes)}</dd>
          {t.expiresAt && (
            <>
              <dt>Offer valid until</dt>
              <dd>{date(t.expiresAt)}</dd>
            </>
          )}
        </dl>
        {t.message && <blockquote>{t.message}</blockquote>}
        <p className="hint">
          Full administration has the privileges of your global administrator; Limited administration those of
          a password administrator. Mobile device management is never delegated. You can revoke at any time.
        </p>
      </section>
      <AcceptForm offerId={offerId} code={code} onAccepted={setDelegation} />
    </main>
  );
}

function AcceptForm(props: { offerId: string; code: string; onAccepted: (d: Delegation) => void }) {
  const [f, setF] = useState({
    name: '',
    primaryDomain: '',
    line1: '',
    line2: '',
    city: '',
    region: '',
    postalCode: '',
    country: '',
  });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) =>
    setF({ ...f, [k]: e.target.value });
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      const address = {
        line1: f.line1,
        ...(f.line2 && { line2: f.line2 }),
        city: f.city,
        ...(f.region && { region: f.region }),
        postalCode: f.postalCode,
        country: f.country.toUpperCase(),
      };
      const d = await api.post<Delegation>(
        `/offer-links/${encodeURIComponent(props.offerId)}/accept`,
        { client: { name: f.name, primaryDomain: f.primaryDomain, address } },
        { code: props.code },
      );
      props.onAccepted(d);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  if (error instanceof ApiError && [404, 410, 429].includes(error.status))
    return <LinkProblem error={error} />;
  return (
    <form onSubmit={submit} className="card" aria-labelledby="org-title">
      <h2 id="org-title">Your organization</h2>
      <ProblemView error={error} />
      <label>
        Organization name
        <input value={f.name} onChange={set('name')} required name="name" autoComplete="organization" />
      </label>
      <label>
        Primary domain
        <input
          value={f.primaryDomain}
          onChange={set('primaryDomain')}
          required
          name="primaryDomain"
          placeholder="contoso.partner.onmschina.cn"
        />
      </label>
      <fieldset>
        <legend>Address</legend>
        <label>
          Street and number
          <input value={f.line1} onChange={set('line1')} required name="line1" autoComplete="address-line1" />
        </label>
        <label>
          More address <span className="hint">(optional)</span>
          <input value={f.line2} onChange={set('line2')} name="line2" autoComplete="address-line2" />
        </label>
        <div className="row">
          <label>
            Postal code
            <input
              value={f.postalCode}
              onChange={set('postalCode')}
              required
              name="postalCode"
              autoComplete="postal-code"
            />
          </label>
          <label>
            City
            <input value={f.city} onChange={set('city')} required name="city" autoComplete="address-level2" />
          </label>
        </div>
        <div className="row">
          <label>
            Region <span className="hint">(optional)</span>
            <input value={f.region} onChange={set('region')} name="region" autoComplete="address-level1" />
          </label>
          <label>
            Country <span className="hint">(two-letter code, e.g. CN)</span>
            <input
              value={f.country}
              onChange={set('country')}
              required
              name="country"
              maxLength={2}
              pattern="[A-Za-z]{2}"
              autoComplete="country"
            />
          </label>
        </div>
      </fieldset>
      <button type="submit" className="primary" disabled={busy}>
        Accept and grant access
      </button>
    </form>
  );
}

function Accepted({
  delegation: d,
  onChange,
}: {
  delegation: Delegation;
  onChange: (d: Delegation) => void;
}) {
  const [error, setError] = useState<unknown>(null);
  async function revoke() {
    if (!confirm(`Revoke the delegation to partner ${d.partnerId}? Its access ends at once.`)) return;
    try {
      await api.post(`/delegations/${encodeURIComponent(d.delegationId)}/revoke`, {});
      onChange(await api.get<Delegation>(`/delegations/${encodeURIComponent(d.delegationId)}`));
    } catch (e) {
      setError(e);
    }
  }
  const active = d.status === 'active';
  return (
    <main id="main" aria-labelledby="accepted-title" className="narrow">
      <h1 id="accepted-title">{active ? 'Delegated administration granted' : 'Delegation revoked'}</h1>
      <section className="card" aria-label="Delegation">
        <dl className="facts">
          <dt>Partner</dt>
          <dd>{d.partnerId}</dd>
          <dt>Organization</dt>
          <dd>
            {d.client.name} ({d.client.primaryDomain})
          </dd>
          <dt>Roles</dt>
          <dd>{d.grantedRoles.map(roleName).join(' and ')}</dd>
          <dt>Granted</dt>
          <dd>{date(d.grantedAt)}</dd>
          <dt>Expires</dt>
          <dd>{d.expiresAt ? date(d.expiresAt) : 'No expiry'}</dd>
          <dt>Status</dt>
          <dd>
            <span className={`status ${d.status}`} role="status">
              {d.status}
            </span>
          </dd>
        </dl>
        <ProblemView error={error} />
        {active && (
          <button type="button" className="danger" onClick={() => void revoke()}>
            Revoke this delegation
          </button>
        )}
      </section>
      <p>
        <Link href="/delegations">All partners with access to your organization →</Link>
      </p>
    </main>
  );
}

/** The clear pages: revoked or expired (410), wrong code (404), too many attempts (429), not allowed (403). */
function LinkProblem({ error }: { error: unknown }) {
  const status = error instanceof ApiError ? error.status : 0;
  const [title, text] =
    status === 410
      ? [
          'This offer is no longer available',
          'The partner revoked this offer, or it expired. Ask the partner for a new link.',
        ]
      : status === 404
        ? [
            'This link is not valid',
            'The link is incomplete or its code is wrong (the partner may have replaced it with a new link). Check that you copied the whole link, or ask the partner for a new one.',
          ]
        : status === 429
          ? [
              'Too many attempts',
              'This offer was tried too many times in a short while. Wait a minute and try again.',
            ]
          : status === 403
            ? ['Not allowed', 'Only a client administrator can accept an offer.']
            : ['Something went wrong', 'The offer could not be loaded.'];
  return (
    <main id="main" aria-labelledby="link-problem-title" className="narrow">
      <h1 id="link-problem-title">{title}</h1>
      <p className="lead">{text}</p>
      <ProblemView error={error} />
      {status === 403 && (
        <button type="button" onClick={() => setSession(null)}>
          Sign in as someone else
        </button>
      )}
    </main>
  );
}
