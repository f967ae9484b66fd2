import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from './db.js';
import { maskDigits, maskRecipient, silentLogger } from './logger.js';
import { deliverDue, enqueue, type Sender } from './outbox.js';
import { openTestDb, testEngines } from '../testing/db.js';

describe('masking for the log', () => {
  it('masks e-mail addresses and digit runs', () => {
    expect(maskRecipient('lan.nguyen@gmail.com')).toBe('l***@gmail.com');
    expect(maskDigits('ma 123456, CCCD 0123 4567 8901, ngay 3')).toBe('ma ******, CCCD ************, ngay 3');
  });
});

describe.each(testEngines())('outbox bodies on %s', (engine) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await openTestDb(engine);
  });
  afterAll(() => h.close());

  it('clears a message body once it is sent; an unsent one keeps it for the retry', async () => {
    await enqueue(h.db, { channel: 'sms', recipient: '0912000009', body: 'ma 111222' }, { channel: 'email', recipient: 'a@b.vn', body: 'ma 333444' });
    const sms: Sender = { send: async () => {} };
    const failing: Sender = {
      send: async () => {
        throw new Error('smtp down');
      },
    };
    expect(await deliverDue(h.db, { sms, email: failing }, silentLogger)).toBe(1);
    const rows = await h.db.selectFrom('outbox').select(['channel', 'status', 'body']).orderBy('id').execute();
    expect(rows).toEqual([
      { channel: 'sms', status: 'sent', body: '' },
      { channel: 'email', status: 'pending', body: 'ma 333444' },
    ]);
  });
});
