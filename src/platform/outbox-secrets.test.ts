import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from './db.js';
import { maskDigits, maskRecipient, silentLogger } from './logger.js';
import { deliverDue, enqueue, LogSmsSender, type Sender } from './outbox.js';
import { openTestDb, testEngines } from '../testing/db.js';

describe('no codes or phone numbers in the log', () => {
  it('the log-only SMS sender masks the number and every code', async () => {
    let out = '';
    const log = pino({ level: 'trace' }, new Writable({ write: (chunk: Buffer, _e, done) => ((out += chunk.toString()), done()) }));
    await new LogSmsSender(log).send({ recipient: '0912345678', body: 'Xa So: ma dat lai mat khau cua ban la 482913. Goi 0912 345 678.' });
    expect(out).toContain('SMS (log only)');
    expect(out).not.toMatch(/482913|0912345678|345 678|2345/);
    expect(out).toContain('********78');
  });

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
