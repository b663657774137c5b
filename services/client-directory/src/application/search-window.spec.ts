import { describe, expect, it } from '@jest/globals';
import { fractionContaining, indexPattern, type ColumnSample } from './search-window.js';

/** A histogram of `n` values, `k` of them holding `word`. */
const histogram = (n: number, holding: Record<string, number>): string[] =>
  Array.from({ length: n }, (_, i) =>
    Object.entries(holding)
      .filter(([, k]) => i < k)
      .map(([word]) => word)
      .concat(`v${i}`)
      .join('-'),
  );
const column = (values: string[], common: [string, number][] = []): ColumnSample => ({
  common: common.map(([v]) => v),
  frequencies: common.map(([, f]) => f),
  histogram: values,
});

describe('fractionContaining', () => {
  it('adds the common values that hold the word to its share of the histogram', () => {
    const c = column(histogram(100, { media: 20 }), [
      ['northwind media', 0.1],
      ['contoso', 0.3],
    ]);
    // 0.1 from the common values, then 20% of the other 60% of the rows.
    expect(fractionContaining(c, 'media')).toBeCloseTo(0.1 + 0.6 * 0.2);
    expect(fractionContaining(c, 'contoso')).toBeCloseTo(0.3);
    expect(fractionContaining(c, 'fabrikam')).toBe(0);
  });
});

describe('indexPattern', () => {
  const domains = column(histogram(100, { example: 100, northwind: 12, media: 11 }));
  const names = column(histogram(100, { northwind: 12, media: 11 }));
  const sample = [names, domains];

  it('asks for the rarest word alone when it is rare enough', () => {
    expect(indexPattern('northwind-media-4242.example', sample)).toBe('%4242%');
  });

  it('adds words, rarest first, until the candidates are few, and keeps them in the term order', () => {
    const wider = [names, column(histogram(100, { example: 100, alpha: 10, beta: 5 }))];
    // beta (5%) alone leaves too many; beta and alpha (5% × 10%) few enough; example is not needed.
    expect(indexPattern('alpha-beta.example', wider)).toBe('%alpha%beta%');
  });

  it('asks for the whole term when every word is needed, or it has one word, or none', () => {
    expect(indexPattern('northwind media', sample)).toBeNull();
    expect(indexPattern('northwind.', sample)).toBeNull();
    expect(indexPattern('a.b-c', sample)).toBeNull();
  });

  it('asks for the whole term without statistics', () => {
    expect(indexPattern('northwind-media-4242.example', null)).toBeNull();
    expect(indexPattern('northwind-media-4242.example', [])).toBeNull();
  });

  it('prefers the longer of two words equally rare, and asks for a repeated word once', () => {
    expect(indexPattern('1234-zz-98765-1234.example', sample)).toBe('%98765%');
  });
});
