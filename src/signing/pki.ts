/**
 * Certificates and keys: the demo chain (demo root CA → province CA → one
 * certificate per commune) and reading a commune's PKCS#12 file with the
 * checks that make a signing failure say what is wrong, in Vietnamese.
 * node-forge does the X.509 and PKCS#12 work; key generation is Node's own.
 */
import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

const { pki, asn1 } = forge;

/** Why a certificate or key cannot sign; `message` is for the person who installed it. */
export class CredentialError extends Error {
  constructor(
    readonly code: 'unreadable' | 'no_key' | 'key_mismatch' | 'not_yet_valid' | 'expired' | 'wrong_purpose' | 'revoked' | 'missing',
    message: string,
  ) {
    super(message);
  }
}

export interface CertInfo {
  der: Buffer;
  /** SHA-256 of the DER, hex: how verification recognises a certificate. */
  fingerprint: string;
  subject: string;
  issuer: string;
  serial: string;
  notBefore: Date;
  notAfter: Date;
}

export interface Credential {
  key: KeyObject;
  /** Signer certificate first, then the CAs above it that the file carries. */
  chain: CertInfo[];
}

export interface Pkcs12Parts {
  key: forge.pki.rsa.PrivateKey;
  cert: forge.pki.Certificate;
  chain: forge.pki.Certificate[];
}

const DAY = 86_400_000;

function utf8Attrs(attrs: { name?: string; shortName?: string; value: string }[]): forge.pki.CertificateField[] {
  // UTF8String, so Vietnamese names survive (forge's default PrintableString would not).
  return attrs.map((a) => ({ ...a, valueTagClass: asn1.Type.UTF8 as unknown as forge.asn1.Class }));
}

export function certDer(cert: forge.pki.Certificate): Buffer {
  return Buffer.from(asn1.toDer(pki.certificateToAsn1(cert)).getBytes(), 'binary');
}

function commonName(attrs: forge.pki.Certificate['subject']): string {
  const cn = attrs.getField('CN') as { value: string } | null;
  const raw = cn?.value ?? attrs.attributes.map((a) => String(a.value)).join(', ');
  // forge hands UTF8String values back as raw bytes.
  try {
    return forge.util.decodeUtf8(raw);
  } catch {
    return raw;
  }
}

export function certInfo(cert: forge.pki.Certificate): CertInfo {
  const der = certDer(cert);
  return {
    der,
    fingerprint: createHash('sha256').update(der).digest('hex'),
    subject: commonName(cert.subject),
    issuer: commonName(cert.issuer),
    serial: cert.serialNumber,
    notBefore: cert.validity.notBefore,
    notAfter: cert.validity.notAfter,
  };
}

export interface IssueOptions {
  subject: { CN: string; O?: string; OU?: string; ST?: string };
  publicKey: forge.pki.rsa.PublicKey;
  issuer: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } | { selfKey: forge.pki.rsa.PrivateKey };
  serial: string;
  notBefore: Date;
  days: number;
  purpose: 'ca' | 'document' | 'server';
}

/** Issues one certificate (the demo chain and the tests' bad certificates). */
export function issueCertificate(o: IssueOptions): forge.pki.Certificate {
  const cert = pki.createCertificate();
  cert.publicKey = o.publicKey;
  cert.serialNumber = o.serial;
  cert.validity.notBefore = o.notBefore;
  cert.validity.notAfter = new Date(o.notBefore.getTime() + o.days * DAY);
  const subject = utf8Attrs([
    { shortName: 'C', value: 'VN' },
    ...(o.subject.ST ? [{ shortName: 'ST', value: o.subject.ST }] : []),
    ...(o.subject.O ? [{ shortName: 'O', value: o.subject.O }] : []),
    ...(o.subject.OU ? [{ shortName: 'OU', value: o.subject.OU }] : []),
    { shortName: 'CN', value: o.subject.CN },
  ]);
  cert.setSubject(subject);
  cert.setIssuer('cert' in o.issuer ? o.issuer.cert.subject.attributes : subject);
  const extensions: object[] =
    o.purpose === 'ca'
      ? [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
        ]
      : o.purpose === 'document'
        ? [
            { name: 'basicConstraints', cA: false },
            { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
          ]
        : [
            { name: 'basicConstraints', cA: false },
            { name: 'keyUsage', keyEncipherment: true, critical: true },
            { name: 'extKeyUsage', serverAuth: true },
          ];
  cert.setExtensions([...extensions, { name: 'subjectKeyIdentifier' }]);
  cert.sign('cert' in o.issuer ? o.issuer.key : o.issuer.selfKey, forge.md.sha256.create());
  return cert;
}

export function generateKeyPair(): forge.pki.rsa.KeyPair {
  // Node's native generator: tens of milliseconds where forge's own takes seconds.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  const key = pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey;
  return { privateKey: key, publicKey: pki.setRsaPublicKey(key.n, key.e) };
}

export function toPkcs12(key: forge.pki.rsa.PrivateKey, certs: forge.pki.Certificate[], passphrase: string): Buffer {
  const p12 = forge.pkcs12.toPkcs12Asn1(key, certs, passphrase, { algorithm: '3des' });
  return Buffer.from(asn1.toDer(p12).getBytes(), 'binary');
}

export function privateKeyPem(key: forge.pki.rsa.PrivateKey): string {
  return pki.privateKeyToPem(key);
}

export function privateKeyFromPem(pem: string): forge.pki.rsa.PrivateKey {
  return pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
}

export function certFromDer(der: Buffer): forge.pki.Certificate {
  return pki.certificateFromAsn1(asn1.fromDer(forge.util.createBuffer(der.toString('binary'))));
}

const dateVi = (d: Date) => d.toLocaleDateString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' });

/** Whether a certificate's stated purposes allow signing documents. */
function signingPurposeProblem(cert: forge.pki.Certificate): string | null {
  const bc = cert.getExtension('basicConstraints') as { cA?: boolean } | null;
  if (bc?.cA) return 'đây là chứng thư của tổ chức cấp chứng thư (CA), không dùng để ký văn bản';
  const ku = cert.getExtension('keyUsage') as { digitalSignature?: boolean; nonRepudiation?: boolean } | null;
  if (ku && !ku.digitalSignature && !ku.nonRepudiation) return 'chứng thư không có mục đích “ký số” (digitalSignature/nonRepudiation)';
  const eku = cert.getExtension('extKeyUsage') as Record<string, unknown> | null;
  if (eku) {
    const allowed = ['emailProtection', '1.3.6.1.5.5.7.3.36', '1.3.6.1.4.1.311.10.3.12', '2.5.29.37.0'];
    if (!allowed.some((k) => eku[k] === true)) return 'chứng thư chỉ dùng cho máy chủ hoặc mục đích khác, không dùng để ký văn bản';
  }
  return null;
}

/** Reads a PKCS#12 file into its key, the certificate matching that key, and the CA certificates. */
export function readPkcs12(p12: Buffer, passphrase: string): Pkcs12Parts {
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    parsed = forge.pkcs12.pkcs12FromAsn1(asn1.fromDer(forge.util.createBuffer(p12.toString('binary'))), false, passphrase);
  } catch {
    throw new CredentialError('unreadable', 'Không đọc được tệp chứng thư số (.p12/.pfx): tệp hỏng hoặc mật khẩu không đúng. Kiểm tra lại tệp và mật khẩu do tổ chức cung cấp chứng thư số cấp.');
  }
  const keyBags = [
    ...(parsed.getBags({ bagType: pki.oids.pkcs8ShroudedKeyBag! })[pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(parsed.getBags({ bagType: pki.oids.keyBag! })[pki.oids.keyBag!] ?? []),
  ];
  const key = keyBags.find((b) => b.key)?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key) throw new CredentialError('no_key', 'Tệp chứng thư số không có khóa bí mật. Cần tệp .p12/.pfx xuất kèm khóa bí mật, không phải tệp .cer/.crt.');
  const certs = (parsed.getBags({ bagType: pki.oids.certBag! })[pki.oids.certBag!] ?? []).flatMap((b) => (b.cert ? [b.cert] : []));
  const cert = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n?.compareTo(key.n) === 0 && pub.e?.compareTo(key.e) === 0;
  });
  if (!cert) throw new CredentialError('key_mismatch', 'Khóa bí mật trong tệp không khớp với chứng thư số. Xuất lại tệp .p12/.pfx từ đúng chứng thư số có khóa này.');
  return { key, cert, chain: certs.filter((c) => c !== cert) };
}

/** Checks a certificate can sign at `at`; throws a CredentialError naming what is wrong. */
export function checkSigningCertificate(cert: forge.pki.Certificate, at: Date): void {
  if (at < cert.validity.notBefore) {
    throw new CredentialError('not_yet_valid', `Chứng thư số chưa có hiệu lực: có hiệu lực từ ngày ${dateVi(cert.validity.notBefore)}.`);
  }
  if (at > cert.validity.notAfter) {
    throw new CredentialError('expired', `Chứng thư số đã hết hạn ngày ${dateVi(cert.validity.notAfter)}. Đề nghị gia hạn với tổ chức cung cấp dịch vụ chứng thực chữ ký số rồi cài lại.`);
  }
  const problem = signingPurposeProblem(cert);
  if (problem) throw new CredentialError('wrong_purpose', `Chứng thư số không dùng để ký văn bản: ${problem}.`);
}

/** A PKCS#12 file made ready to sign at `at` (every check passed). */
export function loadCredential(p12: Buffer, passphrase: string, at: Date): Credential {
  const parts = readPkcs12(p12, passphrase);
  checkSigningCertificate(parts.cert, at);
  return {
    key: createPrivateKey(privateKeyPem(parts.key)),
    chain: [parts.cert, ...parts.chain].map(certInfo),
  };
}
