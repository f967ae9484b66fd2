import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../platform/db.js';
import { silentLogger } from '../platform/logger.js';
import { deliverDue, enqueue, idempotencyKeyOf, requeue, type Sender } from '../platform/outbox.js';
import { openTestDb, testEngines } from '../testing/db.js';
import { HttpSmsSender, SmtpSender } from './senders.js';
import { startTestGateway, startTestSmtp, type TestGateway, type TestSmtp } from './test-servers.js';

const T0 = new Date('2030-03-02T01:00:00Z');

function fakeClock() {
  let now = T0.getTime();
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

const SMS_BODY = 'Xa So: ho so H55-300302-0001: đã được tiếp nhận, hẹn trả ngày 09/03/2030.';

describe.each(testEngines())('outbox delivery (%s)', (engine) => {
  let h: DbHandle;
  let smtp: TestSmtp;
  let gateway: TestGateway;
  let email: SmtpSender;
  let sms: HttpSmsSender;
  let clock: ReturnType<typeof fakeClock>;

  beforeAll(async () => {
    [h, smtp, gateway] = await Promise.all([openTestDb(engine), startTestSmtp(), startTestGateway()]);
  });
  afterAll(async () => {
    await Promise.all([h.close(), smtp.close(), gateway.close()]);
  });
  beforeEach(async () => {
    clock = fakeClock();
    smtp.mode = 'accept';
    smtp.mails.length = 0;
    gateway.mode = 'accept';
    gateway.requests.length = 0;
    gateway.delivered.length = 0;
    email = new SmtpSender({ url: smtp.url, from: 'Xã Số <no-reply@xaso.test>', timeoutMs: 1500 });
    sms = new HttpSmsSender({ url: gateway.url, token: 'secret-token', brandname: 'UBND-XA', timeoutMs: 1500 });
    await h.db.deleteFrom('outbox').execute();
  });
  afterEach(() => email.close());

  const run = (opts: { maxAttempts?: number; senders?: { sms: Sender; email: Sender } } = {}) =>
    deliverDue(h.db, opts.senders ?? { sms, email }, silentLogger, { clock, ...(opts.maxAttempts ? { maxAttempts: opts.maxAttempts } : {}) });
  const rows = () => h.db.selectFrom('outbox').selectAll().orderBy('id').execute();

  it('delivers an e-mail to a real SMTP server: subject, Vietnamese body, link, Message-ID from the idempotency key', async () => {
    await enqueue(h.db, {
      channel: 'email',
      recipient: 'dan@example.vn',
      subject: 'Hồ sơ H55-300302-0001',
      body: 'Hồ sơ H55-300302-0001: đã được tiếp nhận.\nXem: https://xaso.test/tra-cuu/H55-300302-0001',
      dedupeKey: 'test:mail:1:email',
    });
    expect(await run()).toBe(1);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.to).toBe('dan@example.vn');
    expect(mail.subject).toBe('Hồ sơ H55-300302-0001');
    expect(mail.text).toContain('đã được tiếp nhận');
    expect(mail.text).toContain('https://xaso.test/tra-cuu/H55-300302-0001');
    const [row] = await rows();
    expect(mail.messageId).toBe(`<${idempotencyKeyOf(Number(row!.id))}@xaso.test>`);
    expect(row!.status).toBe('sent');
    expect(new Date(row!.sent_at!).toISOString()).toBe(T0.toISOString());
  });

  it('sends SMS through the gateway: unaccented, registered template, brand name, idempotency key', async () => {
    await enqueue(h.db, { channel: 'sms', recipient: '0912000001', body: SMS_BODY, dedupeKey: 'test:sms:1:sms' });
    const sent = await run();
    expect((await rows())[0]!.last_error).toBeNull();
    expect(sent).toBe(1);
    expect((await rows())[0]!.last_error).toBeNull();
    expect(gateway.delivered).toHaveLength(1);
    const req = gateway.delivered[0]!;
    expect(req.body).toMatchObject({ to: '0912000001', brandname: 'UBND-XA', template: 'dossier_status', text: 'Xa So: ho so H55-300302-0001: da duoc tiep nhan, hen tra ngay 09/03/2030.' });
    const [row] = await rows();
    expect(req.headers['idempotency-key']).toBe(idempotencyKeyOf(Number(row!.id)));
    expect(req.headers.authorization).toBe('Bearer secret-token');
  });

  it('retries with back-off after a gateway 500, then delivers', async () => {
    await enqueue(h.db, { channel: 'sms', recipient: '0912000001', body: SMS_BODY, dedupeKey: 'test:retry:sms' });
    gateway.mode = 'error500';
    expect(await run()).toBe(0);
    let [row] = await rows();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'cổng SMS lỗi (500)' });
    expect(new Date(row!.next_attempt_at).getTime() - T0.getTime()).toBe(60_000);
    // Not due yet: nothing is sent before the back-off ends.
    gateway.mode = 'accept';
    clock.advance(30_000);
    expect(await run()).toBe(0);
    clock.advance(30_000);
    expect(await run()).toBe(1);
    [row] = await rows();
    expect(row).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    expect(gateway.delivered).toHaveLength(1);
  });

  it('a gateway that hangs times out and the message stays queued', async () => {
    await enqueue(h.db, { channel: 'sms', recipient: '0912000001', body: SMS_BODY, dedupeKey: 'test:hang:sms' });
    gateway.mode = 'hang';
    expect(await run()).toBe(0);
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'cổng SMS không trả lời kịp' });
  });

  it('goes to the dead-letter list after N failures; the administrator can requeue it', async () => {
    await enqueue(h.db, { channel: 'sms', recipient: '0912000001', body: SMS_BODY, dedupeKey: 'test:dead:sms' });
    gateway.mode = 'error500';
    for (let i = 0; i < 3; i++) {
      await run({ maxAttempts: 3 });
      clock.advance(3_600_000);
    }
    let [row] = await rows();
    expect(row).toMatchObject({ status: 'failed', attempts: 3 });
    clock.advance(86_400_000);
    expect(await run({ maxAttempts: 3 })).toBe(0);
    expect(gateway.requests).toHaveLength(3);
    expect(await requeue(h.db, Number(row!.id), clock)).toBe(true);
    gateway.mode = 'accept';
    expect(await run({ maxAttempts: 3 })).toBe(1);
    [row] = await rows();
    expect(row!.status).toBe('sent');
  });

  it('a refusal that retrying cannot fix is a dead letter at once (gateway 400, SMTP 550, unregistered template)', async () => {
    await enqueue(
      h.db,
      { channel: 'sms', recipient: '0912000001', body: SMS_BODY, dedupeKey: 'test:perm:1:sms' },
      { channel: 'email', recipient: 'nobody@example.vn', subject: 'Thử', body: 'Nội dung', dedupeKey: 'test:perm:2:email' },
      { channel: 'sms', recipient: '0912000001', body: 'Khuyen mai lon!', dedupeKey: 'test:perm:3:sms' },
    );
    gateway.mode = 'reject400';
    smtp.mode = 'refuse';
    expect(await run()).toBe(0);
    const all = await rows();
    expect(all.map((r) => r.status)).toEqual(['failed', 'failed', 'failed']);
    expect(all[0]!.last_error).toBe('cổng SMS từ chối (400)');
    expect(all[1]!.last_error).toMatch(/^máy chủ thư từ chối \(550\)/);
    expect(all[2]!.last_error).toBe('tin nhắn không khớp mẫu nào đã đăng ký với nhà mạng');
    // The unmatched text never reached the gateway.
    expect(gateway.requests).toHaveLength(1);
  });

  it('an SMTP server that does not answer times out; the message is retried later', async () => {
    await enqueue(h.db, { channel: 'email', recipient: 'dan@example.vn', subject: 'Thử', body: 'Nội dung', dedupeKey: 'test:smtp-hang:email' });
    smtp.mode = 'hang';
    expect(await run()).toBe(0);
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.last_error).toMatch(/^máy chủ thư không trả lời kịp/);
  });

  it('a crash between sending and marking sent: resent after the lease with the same key, delivered once', async () => {
    await enqueue(h.db, { channel: 'sms', recipient: '0912000001', body: SMS_BODY, dedupeKey: 'test:crash:sms' });
    // The first worker hands the message to the gateway, then dies before it can mark it sent.
    const dying: Sender = {
      async send(msg) {
        await sms.send(msg);
        await new Promise<never>(() => undefined);
      },
    };
    void run({ senders: { sms: dying, email } });
    await expect.poll(() => gateway.requests.length).toBe(1);
    expect((await rows())[0]!.status).toBe('pending');
    // Another worker does not take it while the lease holds …
    clock.advance(5 * 60_000);
    expect(await run()).toBe(0);
    // … and sends it again once the lease ends, with the same idempotency key.
    clock.advance(6 * 60_000);
    expect(await run()).toBe(1);
    expect(gateway.requests).toHaveLength(2);
    expect(gateway.requests[0]!.headers['idempotency-key']).toBe(gateway.requests[1]!.headers['idempotency-key']);
    expect(gateway.delivered).toHaveLength(1);
    expect((await rows())[0]!.status).toBe('sent');
  });

  it('two workers at once never send one message twice (claimed with SKIP LOCKED)', async () => {
    for (let i = 0; i < 10; i++) await enqueue(h.db, { channel: 'sms', recipient: '0912000001', body: SMS_BODY, dedupeKey: `test:pair:${i}:sms` });
    const [a, b] = await Promise.all([run(), run()]);
    expect(a + b).toBe(10);
    expect(gateway.requests).toHaveLength(10);
    expect(new Set(gateway.requests.map((r) => r.headers['idempotency-key'])).size).toBe(10);
  });
});
