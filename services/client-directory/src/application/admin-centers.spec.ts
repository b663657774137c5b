import { describe, expect, it } from '@jest/globals';
import { adminCentersFor, adminCenterTemplates, DEFAULT_ADMIN_CENTERS } from './admin-centers.js';

describe('admin center links', () => {
  it('defaults to the Microsoft 365, Exchange, SharePoint, Teams and Entra admin centers', () => {
    const links = adminCentersFor(adminCenterTemplates(undefined), 't-1', 'contoso.cn');
    expect(links.map((l) => l.name)).toEqual(DEFAULT_ADMIN_CENTERS.map((t) => t.name));
    expect(links[0].url).toContain('CTID=t-1');
    expect(links[1].url).toContain('delegatedOrg=contoso.cn');
  });

  it('reads templates from JSON, as an array or an object, and encodes the values', () => {
    const array = adminCenterTemplates(
      '[{"name":"Portal","url":"https://p.example/{tenantId}?d={primaryDomain}"}]',
    );
    expect(adminCentersFor(array, 'a b', 'x.cn')).toEqual([
      { name: 'Portal', url: 'https://p.example/a%20b?d=x.cn' },
    ]);
    expect(adminCenterTemplates('{"Portal":"https://p.example/{tenantId}"}')).toEqual([
      { name: 'Portal', url: 'https://p.example/{tenantId}' },
    ]);
  });

  it('names the variable when the value is bad', () => {
    expect(() => adminCenterTemplates('nope')).toThrow(/^ADMIN_CENTER_TEMPLATES/);
    expect(() => adminCenterTemplates('[{"name":"x","url":"ftp://x"}]')).toThrow(
      /ADMIN_CENTER_TEMPLATES \[0\]/,
    );
  });
});
