import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { getSession } from '../api/session';
import type { ServiceRequest } from '../api/types';
import { ProblemView } from '../components/ProblemView';

/** Opens a service request on a client's behalf; a refusal shows the API's reason (no-delegation, …). */
export function NewServiceRequest(props: {
  clientId: string;
  clientName?: string;
  onCreated: (request: ServiceRequest) => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState({
    title: '',
    description: '',
    severity: 'moderate',
    name: '',
    email: getSession()?.sub.includes('@') ? getSession()!.sub : '',
    phone: '',
  });
  const [error, setError] = useState<unknown>(null);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      const created = await api.post<ServiceRequest>('/service-requests', {
        clientId: props.clientId,
        title: form.title,
        description: form.description,
        severity: form.severity,
        contact: { name: form.name, email: form.email, ...(form.phone && { phone: form.phone }) },
      });
      props.onCreated(created);
    } catch (e) {
      setError(e);
    }
  }

  return (
    <form onSubmit={submit} className="card" aria-labelledby="new-sr-title">
      <h2 id="new-sr-title">New service request{props.clientName ? ` for ${props.clientName}` : ''}</h2>
      <ProblemView error={error} />
      <label>
        Title
        <input value={form.title} onChange={set('title')} required maxLength={200} name="title" />
      </label>
      <label>
        Description
        <textarea
          value={form.description}
          onChange={set('description')}
          required
          maxLength={10000}
          rows={4}
          name="description"
        />
      </label>
      <label>
        Severity
        <select value={form.severity} onChange={set('severity')} name="severity">
          <option value="critical">Critical</option>
          <option value="moderate">Moderate</option>
          <option value="minimal">Minimal</option>
        </select>
      </label>
      <fieldset>
        <legend>Contact at the client</legend>
        <label>
          Name
          <input value={form.name} onChange={set('name')} required name="contactName" autoComplete="name" />
        </label>
        <label>
          E-mail
          <input
            type="email"
            value={form.email}
            onChange={set('email')}
            required
            name="contactEmail"
            autoComplete="email"
          />
        </label>
        <label>
          Phone <span className="hint">(optional)</span>
          <input
            type="tel"
            value={form.phone}
            onChange={set('phone')}
            name="contactPhone"
            autoComplete="tel"
          />
        </label>
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary">
          Open service request
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
