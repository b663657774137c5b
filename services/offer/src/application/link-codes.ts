import { createHash, createHmac } from 'node:crypto';

/**
 * Offer link codes. A code is derived, never stored: HMAC-SHA256(OFFER_LINK_SECRET, offerId:version),
 * 256 bits, so the acceptUrl can be shown again at any time and rotation just moves to the next
 * version. Only sha256(code) is stored or published (as `codeHash`).
 */
export class LinkCodes {
  constructor(
    private readonly secret: string,
    private readonly publicBaseUrl: string,
  ) {}

  code(offerId: string, linkVersion: number): string {
    return createHmac('sha256', this.secret).update(`${offerId}:${linkVersion}`).digest('base64url');
  }

  hashFor(offerId: string): (linkVersion: number) => string {
    return (linkVersion) => hashCode(this.code(offerId, linkVersion));
  }

  acceptUrl(offerId: string, linkVersion: number): string {
    return `${this.publicBaseUrl}/accept/${offerId}?code=${this.code(offerId, linkVersion)}`;
  }
}

export const hashCode = (code: string) => createHash('sha256').update(code).digest('hex');
