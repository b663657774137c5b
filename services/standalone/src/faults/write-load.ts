import type { DelegatedPartner } from './delegated-partner.js';
import { positionOf, versionOf, type Request } from './http-client.js';
import type { SeededRandom } from './seeded-random.js';

export type LoadKind = 'offer' | 'send' | 'request' | 'note' | 'status' | 'role';
const KINDS: LoadKind[] = ['offer', 'offer', 'send', 'request', 'request', 'note', 'note', 'status', 'role'];
const STATUSES = ['open', 'attentionNeeded', 'closed'];
const ROLES = ['full', 'limited', 'none'];

/** One command of the load, and what became of it. Its id is its Idempotency-Key and correlation id. */
export interface LoadCommand {
  id: string;
  kind: LoadKind;
  /** The offer, request or user it acts on (none for creations). */
  target?: string;
  value?: string;
  /** The process run it was first sent to. */
  cycle: number;
  /** The answer's status; undefined when the connection died first. */
  status?: number;
  /** 2xx received, first time or on the retry. */
  acknowledged?: boolean;
  /** The retry after a restart: replayed by its Idempotency-Key, applied fresh, or refused (status). */
  retry?: 'replayed' | 'applied' | number;
  /** The problem detail of a refused retry. */
  retryDetail?: string;
  created?: string;
  position?: number;
  version?: number;
  changed?: boolean;
}

/**
 * A write load over the whole API as a partner uses it: offers created and sent, service requests
 * created, noted and moved, delegated roles flipped. Every command carries an Idempotency-Key, so a
 * client may retry it after a crash.
 */
export class WriteLoad {
  readonly commands: LoadCommand[] = [];
  readonly offers: string[] = [];
  readonly requests: string[] = [];

  constructor(
    private readonly random: SeededRandom,
    private readonly partner: DelegatedPartner,
    private readonly users: string[],
  ) {}

  private next(cycle: number): LoadCommand {
    let kind = this.random.pick(KINDS);
    if (kind === 'send' && this.offers.length === 0) kind = 'offer';
    if ((kind === 'note' || kind === 'status') && this.requests.length === 0) kind = 'request';
    const id = `load-${this.random.seed}-${this.commands.length}`;
    const command: LoadCommand = { id, kind, cycle };
    if (kind === 'send') command.target = this.random.pick(this.offers);
    if (kind === 'note' || kind === 'status') command.target = this.random.pick(this.requests);
    if (kind === 'role') command.target = this.random.pick(this.users);
    if (kind === 'status') command.value = this.random.pick(STATUSES);
    if (kind === 'role') command.value = this.random.pick(ROLES);
    this.commands.push(command);
    return command;
  }

  /** Sends it (again) and records an acknowledgement; no status when the connection died first. */
  private async send(
    request: Request,
    c: LoadCommand,
  ): Promise<{ status?: number; replayed?: boolean; detail?: string }> {
    const p = this.partner;
    const headers: Record<string, string> = { 'idempotency-key': c.id, 'x-correlation-id': c.id };
    if (c.kind === 'request') headers['x-min-position'] = p.ready;
    const [method, path, token, body] = {
      offer: () => ['POST', '/api/v1/offers', p.admin, { grantedRoles: ['limited'], message: c.id }],
      send: () => [
        'POST',
        `/api/v1/offers/${c.target}/send`,
        p.admin,
        { recipients: [`it@${c.id}.example`] },
      ],
      request: () => [
        'POST',
        '/api/v1/service-requests',
        p.agent,
        {
          clientId: p.clientId,
          title: c.id,
          description: 'Written during kill -9',
          severity: 'minimal',
          contact: { name: 'Ops', email: 'ops@client.example' },
        },
      ],
      note: () => ['POST', `/api/v1/service-requests/${c.target}/notes`, p.agent, { text: c.id }],
      status: () => ['POST', `/api/v1/service-requests/${c.target}/status`, p.agent, { status: c.value }],
      role: () => ['PUT', `/api/v1/partner-users/${c.target}/delegated-role`, p.admin, { role: c.value }],
    }[c.kind]() as [string, string, string, object];
    const reply = await request(method, path, { token, body, headers }).catch(() => undefined);
    if (!reply) return {};
    if (reply.status < 300) {
      c.acknowledged = true;
      c.position = positionOf(reply);
      c.version = versionOf(reply);
      if (c.kind === 'role') c.changed = reply.body.changed;
      if (c.kind === 'offer') this.offers.push((c.created = reply.body.id));
      if (c.kind === 'request') this.requests.push((c.created = reply.body.id));
    }
    return {
      status: reply.status,
      replayed: reply.headers.get('idempotent-replayed') === 'true',
      detail: reply.body?.detail,
    };
  }

  /** A client retrying, with the same Idempotency-Key, a command it got no answer to. */
  async retry(request: Request, c: LoadCommand): Promise<void> {
    const { status, replayed, detail } = await this.send(request, c);
    if (status !== undefined) c.retry = status >= 300 ? status : replayed ? 'replayed' : 'applied';
    if (status !== undefined && status >= 300) c.retryDetail = detail;
  }

  /** `workers` clients sending new commands until `stop()` says so (the process died). */
  async run(request: Request, cycle: number, workers: number, stop: () => boolean): Promise<void> {
    const worker = async () => {
      while (!stop()) {
        const c = this.next(cycle);
        c.status = (await this.send(request, c)).status;
        // Refused commands (a 409 on a closed request, say) are part of the load; a dead connection ends it.
        if (c.status === undefined) return;
      }
    };
    await Promise.all(Array.from({ length: workers }, worker));
  }
}
