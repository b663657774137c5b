/**
 * Upcasters turn an old payload version into the next one, on read: `{ OfferCreated: { 1: v1ToV2 } }`
 * lifts a version-1 payload to version 2. Stored events are never rewritten.
 */
export type Upcasters = Record<string, Record<number, (data: any) => unknown>>;

export function upcast(upcasters: Upcasters, type: string, schemaVersion: number, data: unknown) {
  let version = schemaVersion;
  let current = data;
  for (let step = upcasters[type]?.[version]; step; step = upcasters[type]?.[version]) {
    current = step(current);
    version += 1;
  }
  return { schemaVersion: version, data: current };
}
