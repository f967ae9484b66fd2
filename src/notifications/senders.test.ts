import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { testConfig } from '../testing/app.js';
import { HttpSmsSender, LogSender, SmtpSender, sendersFromConfig } from './senders.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      cb();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

describe('senders from configuration', () => {
  it('without a gateway or SMTP server: log-only senders, said at start-up', () => {
    const { log, lines } = capture();
    const senders = sendersFromConfig(testConfig({ smtpUrl: null, smsGateway: null }), log);
    expect(senders.sms).toBeInstanceOf(LogSender);
    expect(senders.email).toBeInstanceOf(LogSender);
    expect(lines.map((l) => l.msg)).toEqual([
      'SMS chỉ được ghi vào nhật ký, không gửi đi (chưa đặt XASO_SMS_GATEWAY_URL).',
      'Thư điện tử chỉ được ghi vào nhật ký, không gửi đi (chưa đặt XASO_SMTP_URL).',
    ]);
  });

  it('with both configured: the SMTP sender and the HTTP gateway, and nothing about the log', () => {
    const { log, lines } = capture();
    const senders = sendersFromConfig(testConfig({ smtpUrl: 'smtp://127.0.0.1:2525', smsGateway: { url: 'http://127.0.0.1:9/sms', token: null, brandname: 'XASO' } }), log);
    expect(senders.sms).toBeInstanceOf(HttpSmsSender);
    expect(senders.email).toBeInstanceOf(SmtpSender);
    expect(lines).toEqual([]);
    (senders.email as SmtpSender).close();
  });

  it('the log-only sender masks the phone number and the code', async () => {
    const { log, lines } = capture();
    await new LogSender(log, 'sms').send({ id: 1, recipient: '0912345678', subject: '', body: 'Xa So: ma dat lai mat khau cua ban la 482913. Goi 0912 345 678.', idempotencyKey: 'xaso-outbox-1' });
    expect(JSON.stringify(lines)).not.toMatch(/0912345678|482913|345 678|2345/);
    expect(lines[0]).toMatchObject({ sms: { to: '********78' }, msg: 'SMS (chỉ ghi nhật ký, không gửi)' });
  });
});
