import { describe, expect, it } from '@jest/globals';
import { csvCell, csvLine } from './client-csv.js';

describe('CSV export cells', () => {
  it('quotes commas, quotes and line breaks, and defuses formulas', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'x\ny', null, 3])).toBe('a,"b,c","say ""hi""","x\ny",,3\r\n');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1')).toBe("'-1");
  });
});
