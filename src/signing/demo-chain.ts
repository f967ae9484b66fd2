/**
 * The demo chain made on first start, so the demo signs out of the box:
 * "Xã Số DEMO Root CA" → "Xã Số DEMO — <province>" → one certificate per demo
 * commune. Every name says DEMO: these certificates prove nothing outside the demo.
 */
import { randomBytes } from 'node:crypto';
import type forge from 'node-forge';
import { generateKeyPair, issueCertificate, toPkcs12 } from './pki.js';

export interface DemoAuthority {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
}

export interface DemoCommuneCredential {
  communeCode: string;
  p12: Buffer;
  passphrase: string;
  cert: forge.pki.Certificate;
}

const serial = () => `01${randomBytes(15).toString('hex')}`;

export function demoRoot(now: Date): DemoAuthority {
  const keys = generateKeyPair();
  const cert = issueCertificate({
    subject: { CN: 'Xã Số DEMO Root CA', O: 'Xã Số (dữ liệu mẫu, không có giá trị pháp lý)' },
    publicKey: keys.publicKey,
    issuer: { selfKey: keys.privateKey },
    serial: serial(),
    notBefore: now,
    days: 3650,
    purpose: 'ca',
  });
  return { cert, key: keys.privateKey };
}

export function demoProvinceCa(root: DemoAuthority, provinceName: string, now: Date): DemoAuthority {
  const keys = generateKeyPair();
  const cert = issueCertificate({
    subject: { CN: `Xã Số DEMO CA — ${provinceName}`, O: 'Xã Số (dữ liệu mẫu, không có giá trị pháp lý)', ST: provinceName },
    publicKey: keys.publicKey,
    issuer: root,
    serial: serial(),
    notBefore: now,
    days: 3650,
    purpose: 'ca',
  });
  return { cert, key: keys.privateKey };
}

/** A commune's signing certificate, packed as a PKCS#12 file with a random passphrase. */
export function demoCommuneCredential(
  ca: DemoAuthority,
  root: DemoAuthority,
  commune: { code: string; name: string; provinceName: string },
  now: Date,
  o: { days?: number; purpose?: 'document' | 'server' } = {},
): DemoCommuneCredential {
  const keys = generateKeyPair();
  const cert = issueCertificate({
    subject: { CN: `UBND ${commune.name} (DEMO)`, O: `UBND ${commune.name}`, OU: commune.code, ST: commune.provinceName },
    publicKey: keys.publicKey,
    issuer: ca,
    serial: serial(),
    notBefore: now,
    days: o.days ?? 1095,
    purpose: o.purpose ?? 'document',
  });
  const passphrase = randomBytes(18).toString('base64url');
  return { communeCode: commune.code, p12: toPkcs12(keys.privateKey, [cert, ca.cert, root.cert], passphrase), passphrase, cert };
}
