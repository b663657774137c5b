import { describe, expect, it } from '@jest/globals';
import { validateEventData, type ServiceRequestStatus } from '@dap/contracts';
import { DomainError, fold } from '@dap/eventsourcing';
import {
  serviceRequestDecider,
  type CreateServiceRequest,
  type ServiceRequestCommand,
  type ServiceRequestEvent,
} from './service-request.decider.js';

const now = new Date('2026-11-21T10:00:00.000Z');
const create: CreateServiceRequest = {
  type: 'CreateServiceRequest',
  requestId: 'sr-1',
  partnerId: 'partner-a',
  clientId: 'client-1',
  title: 'Mailbox migration fails',
  description: 'The migration batch stops at 40%.',
  severity: 'moderate',
  contact: { name: 'Ada', email: 'ada@client.example', phone: '+33 1 23 45 67 89' },
  createdBy: 'agent@partner-a.example',
};
const { type: _type, ...createdData } = create;
const created: ServiceRequestEvent = { type: 'ServiceRequestCreated', data: createdData };
const statusChanged = (from: ServiceRequestStatus, to: ServiceRequestStatus): ServiceRequestEvent => ({
  type: 'ServiceRequestStatusChanged',
  data: { requestId: 'sr-1', from, to, changedBy: 'agent' },
});
const inStatus: Record<ServiceRequestStatus, ServiceRequestEvent[]> = {
  open: [created],
  attentionNeeded: [created, statusChanged('open', 'attentionNeeded')],
  closed: [created, statusChanged('open', 'closed')],
};

const given = (events: ServiceRequestEvent[]) => ({
  when: (command: ServiceRequestCommand) =>
    serviceRequestDecider.decide(command, fold(serviceRequestDecider, events), now),
});
const errorOf = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a DomainError');
};
const change = (to: ServiceRequestStatus, note?: string): ServiceRequestCommand => ({
  type: 'ChangeServiceRequestStatus',
  requestId: 'sr-1',
  to,
  note,
  changedBy: 'agent',
});

describe('service request decider', () => {
  describe('create', () => {
    it('opens a new service request', () => {
      expect(given([]).when(create)).toEqual([created]);
      expect(fold(serviceRequestDecider, [created])).toMatchObject({
        exists: true,
        status: 'open',
        partnerId: 'partner-a',
      });
    });

    it('refuses to create the same request twice', () => {
      expect(errorOf(() => given([created]).when(create)).kind).toBe('conflict');
    });

    it.each([
      ['title', { title: '' }],
      ['title', { title: 'x'.repeat(201) }],
      ['description', { description: '   ' }],
      ['description', { description: 'x'.repeat(10001) }],
    ])('refuses a bad %s', (field, change) => {
      const error = errorOf(() => given([]).when({ ...create, ...change }));
      expect(error.kind).toBe('invalid');
      expect(error.details.field).toBe(field);
    });

    it('accepts the longest title and description', () => {
      expect(
        given([]).when({ ...create, title: 'x'.repeat(200), description: 'y'.repeat(10000) }),
      ).toHaveLength(1);
    });
  });

  describe('notes', () => {
    it.each(['open', 'attentionNeeded'] as const)('adds a note to a request that is %s', (status) => {
      expect(
        given(inStatus[status]).when({
          type: 'AddServiceRequestNote',
          requestId: 'sr-1',
          text: 'Any news?',
          author: 'agent',
        }),
      ).toEqual([
        { type: 'ServiceRequestNoteAdded', data: { requestId: 'sr-1', text: 'Any news?', author: 'agent' } },
      ]);
    });

    it('refuses a note on a closed request', () => {
      const error = errorOf(() =>
        given(inStatus.closed).when({
          type: 'AddServiceRequestNote',
          requestId: 'sr-1',
          text: 'x',
          author: 'a',
        }),
      );
      expect(error.kind).toBe('conflict');
    });

    it('refuses an empty note and a note on an unknown request', () => {
      expect(
        errorOf(() =>
          given([created]).when({ type: 'AddServiceRequestNote', requestId: 'sr-1', text: ' ', author: 'a' }),
        ).kind,
      ).toBe('invalid');
      expect(
        errorOf(() =>
          given([]).when({ type: 'AddServiceRequestNote', requestId: 'sr-1', text: 'x', author: 'a' }),
        ).kind,
      ).toBe('not-found');
    });
  });

  describe('status', () => {
    it.each([
      ['open', 'attentionNeeded'],
      ['open', 'closed'],
      ['attentionNeeded', 'open'],
      ['attentionNeeded', 'closed'],
      ['closed', 'open'],
    ] as const)('moves from %s to %s', (from, to) => {
      const events = given(inStatus[from]).when(change(to, 'because'));
      expect(events).toEqual([
        {
          type: 'ServiceRequestStatusChanged',
          data: { requestId: 'sr-1', from, to, note: 'because', changedBy: 'agent' },
        },
      ]);
      expect(fold(serviceRequestDecider, [...inStatus[from], ...events]).status).toBe(to);
    });

    it('refuses to move a closed request to attentionNeeded', () => {
      const error = errorOf(() => given(inStatus.closed).when(change('attentionNeeded')));
      expect(error.kind).toBe('conflict');
      expect(error.details.reason).toBe('invalid-transition');
    });

    it.each(['open', 'attentionNeeded', 'closed'] as const)(
      'changes nothing when asked for %s it already has',
      (status) => {
        expect(given(inStatus[status]).when(change(status))).toEqual([]);
      },
    );

    it('leaves out an absent note', () => {
      const [event] = given(inStatus.open).when(change('closed'));
      expect(event.data).not.toHaveProperty('note');
    });

    it('refuses a status change on an unknown request', () => {
      expect(errorOf(() => given([]).when(change('closed'))).kind).toBe('not-found');
    });
  });
});

describe('service request events', () => {
  it('match their published JSON Schemas', () => {
    const events = [
      ...given([]).when(create),
      ...given([created]).when({
        type: 'AddServiceRequestNote',
        requestId: 'sr-1',
        text: 'note',
        author: 'agent',
      }),
      ...given([created]).when(change('closed', 'done')),
    ];
    for (const event of events)
      expect(validateEventData(event.type, 1, event.data)).toEqual({ ok: true, errors: [] });
    expect(validateEventData('ServiceRequestCreated', 1, { ...createdData, severity: 'urgent' }).ok).toBe(
      false,
    );
  });
});
