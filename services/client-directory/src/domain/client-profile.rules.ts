import { invalid } from '@dap/eventsourcing';
import type { ClientAddress } from '@dap/contracts';
import type { SubscriptionSpec } from './client-profile.commands.js';

export const MAX_TAGS = 30;
export const MAX_TAG_LENGTH = 40;
export const MAX_NAME_LENGTH = 256;
const SUBSCRIPTION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Trims, drops duplicates (keeping the first spelling) and checks the limits. */
export function normalizeTags(tags: string[]): string[] {
  const out: string[] = [];
  for (const [i, raw] of tags.entries()) {
    const tag = raw.trim();
    if (tag.length === 0) throw invalid('a tag cannot be empty', `tags[${i}]`);
    if (tag.length > MAX_TAG_LENGTH)
      throw invalid(`a tag has at most ${MAX_TAG_LENGTH} characters`, `tags[${i}]`);
    if (!out.some((t) => t.toLowerCase() === tag.toLowerCase())) out.push(tag);
  }
  if (out.length > MAX_TAGS) throw invalid(`at most ${MAX_TAGS} tags`, 'tags');
  return out;
}

export function normalizeName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw invalid('the name cannot be empty', 'name');
  if (trimmed.length > MAX_NAME_LENGTH)
    throw invalid(`the name has at most ${MAX_NAME_LENGTH} characters`, 'name');
  return trimmed;
}

export function checkAddress(address: ClientAddress): ClientAddress {
  for (const field of ['line1', 'city', 'postalCode'] as const) {
    if (!address[field]?.trim()) throw invalid(`address.${field} is required`, `address.${field}`);
  }
  if (!/^[A-Z]{2}$/.test(address.country))
    throw invalid('address.country is an ISO 3166-1 alpha-2 code', 'address.country');
  return address;
}

export function checkSubscription(spec: SubscriptionSpec): void {
  if (!SUBSCRIPTION_ID.test(spec.subscriptionId))
    throw invalid('malformed subscription id', 'subscriptionId');
  if (!spec.productId.trim()) throw invalid('productId is required', 'productId');
  if (!spec.name.trim()) throw invalid('name is required', 'name');
  if (!Number.isInteger(spec.quantity) || spec.quantity < 1)
    throw invalid('quantity is a positive integer', 'quantity');
}

/** Structural equality of plain JSON values, whatever the key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as any)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as any)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameJson((a as any)[k], (b as any)[k]));
}
