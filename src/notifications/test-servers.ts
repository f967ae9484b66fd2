/** Local servers the delivery tests (and the e2e run) send to: a real SMTP server and an SMS gateway that records requests. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  messageId: string;
}

export interface TestSmtp {
  url: string;
  mails: ReceivedMail[];
  /** 'accept', 'refuse' (550 for every recipient) or 'hang' (never answers the greeting). */
  mode: 'accept' | 'refuse' | 'hang';
  close(): Promise<void>;
}

export async function startTestSmtp(): Promise<TestSmtp> {
  const mails: ReceivedMail[] = [];
  const state: TestSmtp = {
    url: '',
    mails,
    mode: 'accept',
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, cb) {
      if (state.mode === 'hang') return; // never calls back: the client times out
      cb();
    },
    onRcptTo(address, _session, cb) {
      if (state.mode === 'refuse') {
        const err = Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 });
        cb(err);
        return;
      }
      void address;
      cb();
    },
    onData(stream, session, cb) {
      simpleParser(stream).then(
        (mail) => {
          mails.push({
            to: session.envelope.rcptTo.map((r) => r.address).join(','),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            messageId: mail.messageId ?? '',
          });
          cb();
        },
        (err: Error) => cb(err),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  state.url = `smtp://127.0.0.1:${port}`;
  return state;
}

export interface GatewayRequest {
  headers: IncomingMessage['headers'];
  body: { to: string; brandname: string; template: string; text: string; idempotency_key: string };
}

export interface TestGateway {
  url: string;
  /** Every request, accepted or not. */
  requests: GatewayRequest[];
  /** Messages delivered to phones: one per idempotency key, as a gateway honouring the key would. */
  delivered: GatewayRequest[];
  mode: 'accept' | 'error500' | 'hang' | 'reject400';
  close(): Promise<void>;
}

export async function startTestGateway(): Promise<TestGateway> {
  const state: TestGateway = { url: '', requests: [], delivered: [], mode: 'accept', close: async () => undefined };
  const seen = new Set<string>();
  const hanging = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as GatewayRequest['body'];
      const request = { headers: req.headers, body };
      state.requests.push(request);
      if (state.mode === 'hang') {
        hanging.add(() => res.destroy());
        return;
      }
      if (state.mode === 'error500') return void res.writeHead(500).end('{"error":"internal"}');
      if (state.mode === 'reject400') return void res.writeHead(400).end('{"error":"invalid number"}');
      const key = String(req.headers['idempotency-key'] ?? '');
      if (!seen.has(key)) {
        seen.add(key);
        state.delivered.push(request);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"queued"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  state.close = () => {
    for (const end of hanging) end();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return state;
}
