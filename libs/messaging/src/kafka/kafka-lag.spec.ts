import { describe, expect, it } from '@jest/globals';
import { lagOf } from './kafka-lag.js';

describe('Kafka consumer lag', () => {
  it('is the high watermark minus the committed offset, per partition', () => {
    const lag = lagOf(
      'consent.offers',
      'offer.events.v1',
      [
        { partition: 0, high: '10', low: '0' },
        { partition: 1, high: '7', low: '0' },
      ],
      [
        { partition: 0, offset: '4' },
        { partition: 1, offset: '7' },
      ],
    );
    expect(lag).toEqual([
      { group: 'consent.offers', topic: 'offer.events.v1', partition: 0, lag: 6 },
      { group: 'consent.offers', topic: 'offer.events.v1', partition: 1, lag: 0 },
    ]);
  });

  it('counts from the log start when the group has committed nothing yet', () => {
    expect(
      lagOf('g', 't', [{ partition: 0, high: '12', low: '2' }], [{ partition: 0, offset: '-1' }])[0].lag,
    ).toBe(10);
    expect(lagOf('g', 't', [{ partition: 3, high: '5', low: '0' }], [])[0]).toEqual({
      group: 'g',
      topic: 't',
      partition: 3,
      lag: 5,
    });
  });
});
