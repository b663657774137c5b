import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { isPartner, getSession } from '../api/session';
import type { ServiceRequest } from '../api/types';
import { Link } from '../components/Link';
import { ProblemView } from '../components/ProblemView';
import { dateTime } from '../components/format';
import { useAsync } from '../components/useAsync';

/** One service request: its details, notes and status changes; partner users add notes and change status. */
export function ServiceRequestDetail({ id }: { id: string }) {
  const request = useAsync(
    () => api.get<ServiceRequest>(`/service-requests/${encodeURIComponent(id)}`),
    [id],
  );
  const [note, setNote] = useState('');
  const [status, setStatus] = useState('');
  const [statusNote, setStatusNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const r = request.data;

  async function act(run: () => Promise<unknown>, reset: () => void) {
    try {
      await run();
      setError(null);
      reset();
      await request.reload();
    } catch (e) {
      setError(e);
    }
  }
  const addNote = (e: FormEvent) => {
    e.preventDefault();
    void act(
      () => api.post(`/service-requests/${encodeURIComponent(id)}/notes`, { text: note }),
      () => setNote(''),
    );
  };
  const changeStatus = (e: FormEvent) => {
    e.preventDefault();
    void act(
      () =>
        api.post(`/service-requests/${encodeURIComponent(id)}/status`, {
          status,
          ...(statusNote && { note: statusNote }),
        }),
      () => (setStatus(''), setStatusNote('')),
    );
  };

  return (
    <main id="main" aria-labelledby="srd-title">
      <ProblemView error={request.error} />
      {r && (
        <>
          <p className="crumbs">
            <Link href={`/clients/${encodeURIComponent(r.clientId)}/service-requests`}>
              ← Service requests of this client
            </Link>
          </p>
          <h1 id="srd-title">{r.title}</h1>
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <span className={`status ${r.status}`}>{r.status}</span>
            </dd>
            <dt>Severity</dt>
            <dd>{r.severity}</dd>
            <dt>Contact</dt>
            <dd>
              {r.contact.name} &lt;{r.contact.email}&gt;{r.contact.phone && `, ${r.contact.phone}`}
            </dd>
            <dt>Opened</dt>
            <dd>
              {dateTime(r.createdAt)} by {r.createdBy}
            </dd>
          </dl>
          <p className="description">{r.description}</p>
          <h2>Activity</h2>
          {r.activity?.length ? (
            <ol className="activity">
              {r.activity.map((a, i) => (
                <li key={i}>
                  <span className="hint">
                    {dateTime(a.at)} · {a.author}
                  </span>
                  <br />
                  {a.kind === 'status' && (
                    <>
                      Status <code>{a.from}</code> → <code>{a.to}</code>
                      {a.text && ': '}
                    </>
                  )}
                  {a.text}
                </li>
              ))}
            </ol>
          ) : (
            <p className="empty">No notes or status changes yet.</p>
          )}
          <ProblemView error={error} />
          {isPartner(getSession()) && (
            <div className="two-forms">
              <form onSubmit={addNote} className="card">
                <label>
                  Add a note
                  <textarea value={note} onChange={(e) => setNote(e.target.value)} required rows={3} />
                </label>
                <button type="submit">Add note</button>
              </form>
              <form onSubmit={changeStatus} className="card">
                <label>
                  New status
                  <select value={status} onChange={(e) => setStatus(e.target.value)} required>
                    <option value="">Choose…</option>
                    <option value="open">Open</option>
                    <option value="attentionNeeded">Attention needed</option>
                    <option value="closed">Closed</option>
                  </select>
                </label>
                <label>
                  Note <span className="hint">(optional)</span>
                  <input value={statusNote} onChange={(e) => setStatusNote(e.target.value)} />
                </label>
                <button type="submit">Change status</button>
              </form>
            </div>
          )}
        </>
      )}
    </main>
  );
}
