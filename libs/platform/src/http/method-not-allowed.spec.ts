import { describe, expect, it } from '@jest/globals';
import type { RouteOptions } from 'fastify';
import { MethodTable } from './method-not-allowed.js';

describe('MethodTable', () => {
  it('lists the methods a concrete path has under any route pattern', () => {
    const table = new MethodTable();
    const route = (method: string | string[], url: string) => table.record({ method, url } as RouteOptions);
    route(['GET', 'HEAD'], '/api/v1/offers');
    route('POST', '/api/v1/offers');
    route('GET', '/api/v1/offers/:id');
    route('POST', '/api/v1/offers/:id/send');
    expect(table.allowed('/api/v1/offers')).toEqual(['GET', 'HEAD', 'POST']);
    expect(table.allowed('/api/v1/offers/')).toEqual(['GET', 'HEAD', 'POST']);
    expect(table.allowed('/api/v1/offers/abc')).toEqual(['GET']);
    expect(table.allowed('/api/v1/offers/abc/send')).toEqual(['POST']);
    expect(table.allowed('/api/v1/offers/a/b')).toEqual([]);
    expect(table.allowed('/api/v1/offersX')).toEqual([]);
  });
});
