import nodemailer from 'nodemailer';
import type { Config } from '../platform/config.js';
import { maskDigits, maskRecipient, type Logger } from '../platform/logger.js';
import { PermanentDeliveryError, type Channel, type SendableMessage, type Sender } from '../platform/outbox.js';
import { prepareSms, SMS_TEMPLATES, type SmsTemplate } from './sms-text.js';

/** Development and demo: writes to the log instead of sending; phone numbers and codes are masked there. */
export class LogSender implements Sender {
  constructor(
    private readonly log: Logger,
    private readonly channel: Channel,
  ) {}
  async send(msg: SendableMessage): Promise<void> {
    this.log.info({ [this.channel]: { to: maskRecipient(msg.recipient), body: maskDigits(msg.body), key: msg.idempotencyKey } }, `${this.channel === 'sms' ? 'SMS' : 'E-mail'} (chỉ ghi nhật ký, không gửi)`);
  }
}

export interface SmtpOptions {
  url: string;
  from: string;
  /** Gives up on a silent server after this long; the message is retried later. */
  timeoutMs?: number;
}

/** E-mail over SMTP. The Message-ID is the idempotency key, so a resent copy can be recognised as the same message. */
export class SmtpSender implements Sender {
  readonly #transport: nodemailer.Transporter;
  readonly #domain: string;
  constructor(private readonly opts: SmtpOptions) {
    const timeout = opts.timeoutMs ?? 30_000;
    // Built from the URL's parts: nodemailer ignores every other option when given `url`.
    const url = new URL(opts.url);
    const secure = url.protocol === 'smtps:';
    this.#transport = nodemailer.createTransport({
      host: url.hostname,
      port: Number(url.port) || (secure ? 465 : 587),
      secure,
      ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
    this.#domain = /@([^>\s]+)/.exec(opts.from)?.[1] ?? 'xaso.local';
  }
  async send(msg: SendableMessage): Promise<void> {
    try {
      await this.#transport.sendMail({
        from: this.opts.from,
        to: msg.recipient,
        subject: msg.subject || 'Thông báo từ Xã Số',
        text: msg.body,
        messageId: `<${msg.idempotencyKey}@${this.#domain}>`,
        headers: { 'X-Idempotency-Key': msg.idempotencyKey },
      });
    } catch (err) {
      // 5xx: the server refuses this message for good (unknown mailbox, rejected sender).
      const code = (err as { responseCode?: number }).responseCode;
      if (code !== undefined && code >= 500) throw new PermanentDeliveryError(`máy chủ thư từ chối (${code}): ${(err as Error).message}`, { cause: err });
      if ((err as { code?: string }).code === 'ETIMEDOUT') throw new Error(`máy chủ thư không trả lời kịp (${(err as Error).message})`, { cause: err });
      throw err;
    }
  }
  close(): void {
    this.#transport.close();
  }
}

export interface SmsGatewayOptions {
  url: string;
  token: string | null;
  brandname: string;
  timeoutMs?: number;
  templates?: readonly SmsTemplate[];
}

/**
 * Brand-name SMS through an HTTP gateway (JSON over POST). The province's
 * contract decides the provider; the adapter sends the unaccented text, the
 * registered template id and an Idempotency-Key header the gateway uses to drop repeats.
 */
export class HttpSmsSender implements Sender {
  constructor(private readonly opts: SmsGatewayOptions) {}
  async send(msg: SendableMessage): Promise<void> {
    const sms = prepareSms(msg.body, this.opts.templates ?? SMS_TEMPLATES);
    if (!sms.ok) throw new PermanentDeliveryError(sms.reason);
    let res: Response;
    try {
      res = await fetch(this.opts.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': msg.idempotencyKey,
          ...(this.opts.token ? { authorization: `Bearer ${this.opts.token}` } : {}),
        },
        body: JSON.stringify({ to: msg.recipient, brandname: this.opts.brandname, template: sms.templateId, text: sms.text, idempotency_key: msg.idempotencyKey }),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000),
      });
    } catch (err) {
      const name = (err as Error).name;
      throw new Error(name === 'TimeoutError' ? 'cổng SMS không trả lời kịp' : `không kết nối được cổng SMS: ${(err as Error).message}`, { cause: err });
    }
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return;
    // 4xx other than timeout/too-many: the gateway refuses this message (bad number, template); retrying will not help.
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw new PermanentDeliveryError(`cổng SMS từ chối (${res.status})`);
    throw new Error(`cổng SMS lỗi (${res.status})`);
  }
}

/** The senders the deployment's configuration asks for; a missing one falls back to the log and says so at start-up. */
export function sendersFromConfig(config: Config, log: Logger): Record<Channel, Sender> {
  const sms = config.smsGateway
    ? new HttpSmsSender({ url: config.smsGateway.url, token: config.smsGateway.token, brandname: config.smsGateway.brandname })
    : new LogSender(log, 'sms');
  const email = config.smtpUrl ? new SmtpSender({ url: config.smtpUrl, from: config.mailFrom }) : new LogSender(log, 'email');
  if (!config.smsGateway) log.warn('SMS chỉ được ghi vào nhật ký, không gửi đi (chưa đặt XASO_SMS_GATEWAY_URL).');
  if (!config.smtpUrl) log.warn('Thư điện tử chỉ được ghi vào nhật ký, không gửi đi (chưa đặt XASO_SMTP_URL).');
  return { sms, email };
}
