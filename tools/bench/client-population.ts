/**
 * The synthetic clients of one benchmark partner: ids, names and domains as pure functions of an
 * index 1..N, and which of them the suite's queries and health issues pick. 1% of names carry the
 * word SEARCH_TERM, so `search=<SEARCH_TERM>` matches exactly 1% of the partner's clients.
 */
export const PARTNER = 'bench-partner';
export const SEARCH_TERM = 'zephyr';

const FIRST = ['Contoso', 'Fabrikam', 'Northwind', 'Tailspin', 'Litware', 'Adatum', 'Woodgrove', 'Proseware'];
const SECOND = ['Holdings', 'Trading', 'Logistics', 'Pharma', 'Bank', 'Foods', 'Motors', 'Energy', 'Media'];
const CITIES: [string, string][] = [
  ['Paris', 'FR'],
  ['Berlin', 'DE'],
  ['Madrid', 'ES'],
  ['Dublin', 'IE'],
];

export const clientIdOf = (i: number) => `bench-client-${String(i).padStart(6, '0')}`;
const firstOf = (i: number) => (i % 100 === 0 ? 'Zephyr' : FIRST[i % FIRST.length]);
const secondOf = (i: number) => SECOND[Math.floor(i / FIRST.length) % SECOND.length];
export const nameOf = (i: number) => `${firstOf(i)} ${secondOf(i)} ${i}`;
export const domainOf = (i: number) =>
  `${firstOf(i).toLowerCase()}-${secondOf(i).toLowerCase()}-${i}.example`;

export function clientDescription(i: number) {
  const [city, country] = CITIES[i % CITIES.length];
  return {
    name: nameOf(i),
    primaryDomain: domainOf(i),
    address: {
      line1: `${1 + (i % 200)} Main Street`,
      city,
      postalCode: String(10000 + (i % 90000)),
      country,
    },
  };
}

/** Indexes 1..count that match `pick`. */
export const indexes = (count: number, pick: (i: number) => boolean) =>
  Array.from({ length: count }, (_, k) => k + 1).filter(pick);

/** Seeded health: an incident on 1% of the clients, an advisory on about 3% (none of the burst's). */
export const seededIncident = (i: number) => i % 100 === 1;
export const seededAdvisory = (i: number) => i % 33 === 0 && i % 10 !== 5 && !seededIncident(i);
/** The measured incident burst: 10% of the clients (10,000 of 100,000), none with a seeded incident. */
export const burstIncident = (i: number) => i % 10 === 5;
