import { describe, expect, it } from '@jest/globals';
import { validateEventData } from '@dap/contracts';
import { DomainError, fold } from '@dap/eventsourcing';
import {
  healthIssueDecider,
  type HealthIssueCommand,
  type HealthIssueEvent,
  type RaiseHealthIssue,
} from './health-issue.decider.js';

const now = new Date('2026-11-21T10:00:00.000Z');

const raise: RaiseHealthIssue = {
  type: 'RaiseHealthIssue',
  issueId: 'EX1001',
  clientId: 'client-1',
  service: 'Exchange Online',
  feature: 'E-mail and calendar access',
  classification: 'incident',
  title: 'Users cannot send mail',
  impactDescription: 'Some users cannot send mail from Outlook.',
  status: 'investigating',
  startDateTime: '2026-11-21T09:30:00.000Z',
};
const { type: _type, ...raisedData } = raise;
const raised: HealthIssueEvent = { type: 'HealthIssueRaised', data: raisedData };

const given = (events: HealthIssueEvent[]) => ({
  when: (command: HealthIssueCommand) =>
    healthIssueDecider.decide(command, fold(healthIssueDecider, events), now),
});
const update = (status: string, message = `now ${status}`): HealthIssueCommand => ({
  type: 'UpdateHealthIssue',
  issueId: 'EX1001',
  clientId: 'client-1',
  status: status as never,
  message,
});

describe('health issue decider', () => {
  it('raises a new issue for a client', () => {
    expect(given([]).when(raise)).toEqual([raised]);
  });

  it('changes nothing when the same issue is raised again for the same client', () => {
    expect(given([raised]).when(raise)).toEqual([]);
    expect(given([raised]).when({ ...raise, title: 'changed title' })).toEqual([]);
  });

  it('raises and resolves at once an issue published already over', () => {
    const events = given([]).when({ ...raise, status: 'serviceRestored' });
    expect(events.map((e) => e.type)).toEqual(['HealthIssueRaised', 'HealthIssueResolved']);
    expect(events[1].data).toEqual({
      issueId: 'EX1001',
      clientId: 'client-1',
      status: 'serviceRestored',
      endDateTime: now.toISOString(),
    });
  });

  it('records progress on an active issue as an update', () => {
    expect(given([raised]).when(update('serviceDegradation', 'Mitigation in progress'))).toEqual([
      {
        type: 'HealthIssueUpdated',
        data: {
          issueId: 'EX1001',
          clientId: 'client-1',
          status: 'serviceDegradation',
          message: 'Mitigation in progress',
        },
      },
    ]);
  });

  it.each(['serviceRestored', 'postIncidentReviewPublished', 'falsePositive', 'serviceOperational'])(
    'resolves an active issue at %s',
    (status) => {
      expect(given([raised]).when(update(status, 'Fixed'))).toEqual([
        {
          type: 'HealthIssueResolved',
          data: {
            issueId: 'EX1001',
            clientId: 'client-1',
            status,
            endDateTime: now.toISOString(),
            message: 'Fixed',
          },
        },
      ]);
    },
  );

  it.each([
    'investigating',
    'serviceDegradation',
    'serviceInterruption',
    'restoringService',
    'extendedRecovery',
    'verifyingService',
    'investigationSuspended',
  ])('keeps the issue active at %s', (status) => {
    const [event] = given([raised]).when(update(status));
    expect(event.type).toBe('HealthIssueUpdated');
    expect(fold(healthIssueDecider, [raised, event]).resolved).toBe(false);
  });

  it('records a later status of a resolved issue as an update, and it stays resolved', () => {
    const resolved = given([raised]).when(update('serviceRestored'));
    const events = given([raised, ...resolved]).when(
      update('postIncidentReviewPublished', 'Review published'),
    );
    expect(events.map((e) => e.type)).toEqual(['HealthIssueUpdated']);
    expect(fold(healthIssueDecider, [raised, ...resolved, ...events]).resolved).toBe(true);
  });

  it('reopens a resolved issue when an active status comes again', () => {
    const resolved = given([raised]).when(update('serviceRestored'));
    const events = given([raised, ...resolved]).when(update('serviceInterruption', 'It is back'));
    expect(events.map((e) => e.type)).toEqual(['HealthIssueUpdated']);
    const state = fold(healthIssueDecider, [raised, ...resolved, ...events]);
    expect(state).toMatchObject({ resolved: false, status: 'serviceInterruption' });
  });

  it('changes nothing when the same update is posted again', () => {
    const first = given([raised]).when(update('restoringService', 'Rolling out a fix'));
    expect(given([raised, ...first]).when(update('restoringService', 'Rolling out a fix'))).toEqual([]);
    const resolved = given([raised]).when(update('serviceRestored', 'Fixed'));
    expect(given([raised, ...resolved]).when(update('serviceRestored', 'Fixed'))).toEqual([]);
  });

  it('refuses an update of an issue the client does not have', () => {
    expect(() => given([]).when(update('serviceRestored'))).toThrow(DomainError);
    try {
      given([]).when(update('serviceRestored'));
    } catch (error) {
      expect((error as DomainError).kind).toBe('not-found');
    }
  });
});

describe('health issue events', () => {
  it('match their published JSON Schemas', () => {
    const resolved = given([]).when({ ...raise, status: 'falsePositive' });
    const updated = given([raised]).when(update('serviceDegradation', 'Mitigating'));
    for (const event of [...resolved, ...updated]) {
      expect(validateEventData(event.type, 1, event.data)).toEqual({ ok: true, errors: [] });
    }
    expect(validateEventData('HealthIssueRaised', 1, { ...raisedData, classification: 'rumour' }).ok).toBe(
      false,
    );
  });
});
