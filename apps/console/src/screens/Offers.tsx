import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { Offer, Page } from '../api/types';
import { ProblemView } from '../components/ProblemView';
import { date, duration, includesText, roleName } from '../components/format';
import { useAsync } from '../components/useAsync';
import { Pager } from '../components/Pager';

/** Delegated-administration offers: create (optionally with a trial or purchase), copy, send, rotate, revoke. */
export function Offers() {
  const [cursor, setCursor] = useState<string[]>([]);
  const list = useAsync(
    () => api.get<Page<Offer>>('/offers', { limit: 20, cursor: cursor[cursor.length - 1] }),
    [cursor.join()],
  );
  const [created, setCreated] = useState<Offer | null>(null);
  return (
    <main id="main" aria-labelledby="offers-title">
      <h1 id="offers-title">Delegated administration offers</h1>
      <p className="lead">
        An offer is a reusable link, not tied to one client. A client administrator who follows it and accepts
        grants you delegated administration.
      </p>
      <CreateOffer
        onCreated={(offer) => {
          setCreated(offer);
          setCursor([]);
          void list.reload();
        }}
      />
      {created && (
        <p role="status" className="notice">
          Offer created. Its link: <code className="accept-url">{created.acceptUrl}</code>
        </p>
      )}
      <ProblemView error={list.error} />
      <ul className="offers">
        {list.data?.items.map((o) => (
          <OfferCard key={o.id + o.version} offer={o} onChanged={() => void list.reload()} />
        ))}
      </ul>
      {list.data?.items.length === 0 && <p className="empty">No offers yet.</p>}
      <Pager cursors={cursor} next={list.data?.nextCursor} onChange={setCursor} />
    </main>
  );
}

function CreateOffer({ onCreated }: { onCreated: (offer: Offer) => void }) {
  const [roles, setRoles] = useState({ full: false, limited: true });
  const [days, setDays] = useState('90');
  const [autoExtend, setAutoExtend] = useState(false);
  const [bundle, setBundle] = useState<'none' | 'trial' | 'purchase'>('trial');
  const [product, setProduct] = useState('m365-business-basic');
  const [quantity, setQuantity] = useState('10');
  const [message, setMessage] = useState('');
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const grantedRoles = (['full', 'limited'] as const).filter((r) => roles[r]);
    try {
      const offer = await api.post<Offer>('/offers', {
        grantedRoles,
        ...(days && { delegationDuration: `P${days}D` }),
        ...(days && autoExtend && { autoExtend: true }),
        ...(bundle === 'trial' && { includes: { trial: { productId: product } } }),
        ...(bundle === 'purchase' && {
          includes: { purchase: { productId: product, quantity: Number(quantity) } },
        }),
        ...(message && { message }),
      });
      setError(null);
      onCreated(offer);
    } catch (e) {
      setError(e);
    }
  }

  return (
    <form onSubmit={submit} className="card" aria-labelledby="create-offer-title">
      <h2 id="create-offer-title">New offer</h2>
      <ProblemView error={error} />
      <fieldset>
        <legend>Roles the client grants</legend>
        {(['full', 'limited'] as const).map((r) => (
          <label key={r} className="inline">
            <input
              type="checkbox"
              checked={roles[r]}
              onChange={(e) => setRoles({ ...roles, [r]: e.target.checked })}
            />{' '}
            {roleName(r)}
          </label>
        ))}
      </fieldset>
      <label>
        Delegation lasts (days; empty for no expiry)
        <input
          inputMode="numeric"
          value={days}
          onChange={(e) => setDays(e.target.value.replace(/\D/g, ''))}
          name="days"
        />
      </label>
      <label className="inline">
        <input
          type="checkbox"
          checked={autoExtend}
          onChange={(e) => setAutoExtend(e.target.checked)}
          disabled={!days}
        />{' '}
        Extend automatically by 180 days (not with Full administration)
      </label>
      <fieldset>
        <legend>Bundled with</legend>
        {(['none', 'trial', 'purchase'] as const).map((b) => (
          <label key={b} className="inline">
            <input type="radio" name="bundle" checked={bundle === b} onChange={() => setBundle(b)} />{' '}
            {b === 'none' ? 'Nothing' : b === 'trial' ? 'A trial' : 'A purchase'}
          </label>
        ))}
        {bundle !== 'none' && (
          <div className="row">
            <label>
              Product
              <input value={product} onChange={(e) => setProduct(e.target.value)} required name="productId" />
            </label>
            {bundle === 'purchase' && (
              <label>
                Quantity
                <input
                  inputMode="numeric"
                  value={quantity}
                  onChange={(e) => setQuantity(e.target.value.replace(/\D/g, ''))}
                  required
                />
              </label>
            )}
          </div>
        )}
      </fieldset>
      <label>
        Message to the client <span className="hint">(optional)</span>
        <textarea value={message} onChange={(e) => setMessage(e.target.value)} maxLength={2000} rows={2} />
      </label>
      <button type="submit" className="primary">
        Create offer
      </button>
    </form>
  );
}

function OfferCard({ offer, onChanged }: { offer: Offer; onChanged: () => void }) {
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const [recipients, setRecipients] = useState('');
  const active = offer.status === 'active';
  const path = `/offers/${encodeURIComponent(offer.id)}`;

  async function act(run: () => Promise<unknown>, done: string) {
    try {
      await run();
      setError(null);
      setNote(done);
      onChanged();
    } catch (e) {
      setError(e);
    }
  }
  async function copy() {
    try {
      await navigator.clipboard.writeText(offer.acceptUrl);
      setNote('Link copied.');
    } catch {
      setNote('Copying is not allowed here: select the link and copy it.');
    }
  }
  function send(event: FormEvent) {
    event.preventDefault();
    const list = recipients.split(/[\s,;]+/).filter(Boolean);
    void act(() => api.post(`${path}/send`, { recipients: list }), `Sent to ${list.length} recipient(s).`);
  }

  return (
    <li className="card offer" aria-label={`Offer ${offer.id}`}>
      <p>
        <span className={`status ${offer.status}`}>{offer.status}</span>{' '}
        {offer.grantedRoles.map(roleName).join(' + ')} · {duration(offer.delegationDuration)}
        {offer.autoExtend && ' (auto-extend)'} · {includesText(offer.includes)}
      </p>
      <p className="hint">
        Created {date(offer.createdAt)} by {offer.createdBy}
        {offer.expiresAt && ` · link expires ${date(offer.expiresAt)}`} · {offer.counts.sends} send(s) to{' '}
        {offer.counts.recipients} recipient(s) · <strong>{offer.counts.acceptances} acceptance(s)</strong>
      </p>
      {active && (
        <>
          <label>
            Offer link
            <input
              readOnly
              value={offer.acceptUrl}
              className="accept-url"
              onFocus={(e) => e.target.select()}
            />
          </label>
          <div className="actions">
            <button type="button" onClick={() => void copy()}>
              Copy link
            </button>
            <button
              type="button"
              onClick={() =>
                void act(() => api.post(`${path}/rotate-link`), 'New link made; the old one no longer works.')
              }
            >
              Rotate link
            </button>
            <button
              type="button"
              className="danger"
              onClick={() =>
                confirm('Revoke this offer? Its link stops working.') &&
                void act(() => api.post(`${path}/revoke`), 'Revoked.')
              }
            >
              Revoke offer
            </button>
          </div>
          <form onSubmit={send} className="row">
            <label>
              Send by e-mail to
              <input
                value={recipients}
                onChange={(e) => setRecipients(e.target.value)}
                placeholder="it@client.example, …"
                required
              />
            </label>
            <button type="submit">Send</button>
          </form>
        </>
      )}
      {note && <p role="status">{note}</p>}
      <ProblemView error={error} />
    </li>
  );
}
