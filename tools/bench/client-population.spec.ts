import { describe, expect, it } from '@jest/globals';
import { validateEventData } from '@dap/contracts';
import {
  burstIncident,
  clientDescription,
  domainOf,
  indexes,
  nameOf,
  SEARCH_TERM,
  seededAdvisory,
  seededIncident,
} from './client-population.js';

// The suite's figures are only what they say if the synthetic population has these properties.
describe('the benchmark client population', () => {
  const N = 100_000;
  const all = indexes(N, () => true);
  const matches = (i: number, term: string) =>
    nameOf(i).toLowerCase().includes(term) || domainOf(i).includes(term);

  it(`matches exactly 1% of the clients on search=${SEARCH_TERM}, in name or domain`, () => {
    expect(all.filter((i) => matches(i, SEARCH_TERM))).toHaveLength(N / 100);
  });

  it('gives every client a domain that no other domain contains (exact-domain search matches one)', () => {
    for (const i of [1, 42, 4242, 99_999]) expect(all.filter((j) => matches(j, domainOf(i)))).toEqual([i]);
  });

  it('raises the measured incident on 10,000 clients that have no seeded incident or advisory', () => {
    const burst = indexes(N, burstIncident);
    expect(burst).toHaveLength(10_000);
    expect(burst.filter((i) => seededIncident(i) || seededAdvisory(i))).toEqual([]);
    expect(indexes(N, seededIncident)).toHaveLength(1_000);
  });

  it('describes each client the way DelegationGranted publishes it', () => {
    const data = {
      delegationId: '00000000-0000-5000-8000-000000000000',
      partnerId: 'bench-partner',
      clientId: 'bench-client-000001',
      offerId: 'o1',
      grantedRoles: ['full', 'limited'],
      grantedBy: 'admin@bench-client-000001',
      grantedAt: '2026-01-01T00:00:00.000Z',
      expiresAt: null,
      delegationDuration: null,
      autoExtend: false,
      client: clientDescription(1),
      includes: {},
      partnerContacts: [],
    };
    expect(validateEventData('DelegationGranted', 1, data)).toEqual({ ok: true, errors: [] });
  });
});
