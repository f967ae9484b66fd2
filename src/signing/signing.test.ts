import { beforeAll, describe, expect, it } from 'vitest';
import { demoCommuneCredential, demoProvinceCa, demoRoot, type DemoAuthority, type DemoCommuneCredential } from './demo-chain.js';
import { CredentialError, generateKeyPair, loadCredential, toPkcs12, certInfo } from './pki.js';
import { seal, open } from './secretbox.js';
import { signPdf } from './sign-pdf.js';
import { Pkcs12Signer } from './signer.js';
import { alterOneByte, hasPdfsig, pdfsig, twoPagePdf } from './testing.js';
import { verifyPdf } from './verify.js';

const NOW = new Date('2026-06-15T03:00:00Z');
const COMMUNE = { code: '25459', name: 'Phường Tân Ninh', provinceName: 'Tỉnh Tây Ninh' };

let root: DemoAuthority;
let ca: DemoAuthority;
let good: DemoCommuneCredential;
let signed: Buffer;

const sign = (pdf: Buffer, cred = good) =>
  signPdf(pdf, new Pkcs12Signer(loadCredential(cred.p12, cred.passphrase, NOW)), {
    reason: 'Ký kết quả giải quyết thủ tục hành chính',
    location: COMMUNE.name,
    name: 'Nguyễn Văn Lãnh Đạo',
    signingTime: NOW,
    widget: { page: 1, rect: [300, 80, 540, 160] },
  });

const known = (fp: string) => Promise.resolve(fp === certInfo(good.cert).fingerprint ? { revokedAt: null } : null);

beforeAll(async () => {
  root = demoRoot(new Date('2026-01-01T00:00:00Z'));
  ca = demoProvinceCa(root, COMMUNE.provinceName, new Date('2026-01-01T00:00:00Z'));
  good = demoCommuneCredential(ca, root, COMMUNE, new Date('2026-01-01T00:00:00Z'));
  signed = await sign(await twoPagePdf());
}, 60_000);

describe('PAdES signing', () => {
  it.runIf(hasPdfsig())('poppler reports the signature valid, and a one-byte change invalid', () => {
    const report = pdfsig(signed);
    expect(report).toContain('Signature is Valid');
    expect(report).toContain('ETSI.CAdES.detached');
    expect(report).toContain('UBND Phường Tân Ninh (DEMO)');
    expect(report).toContain('Total document signed');
    expect(pdfsig(alterOneByte(signed))).not.toContain('Signature is Valid');
  });

  it('verifies its own signature: valid, with the signer, the time and the name', async () => {
    const v = await verifyPdf(signed, known);
    expect(v.status).toBe('valid');
    expect(v.signature?.subject).toBe('UBND Phường Tân Ninh (DEMO)');
    expect(v.signature?.name).toBe('Nguyen Van Lanh Dao');
    expect(v.signature?.signedAt?.toISOString()).toBe(NOW.toISOString());
  });

  it('a one-byte change is altered; content appended after signing is altered', async () => {
    expect((await verifyPdf(alterOneByte(signed), known)).status).toBe('altered');
    const appended = Buffer.concat([signed, Buffer.from('\n1 0 obj (x) endobj\n%%EOF\n')]);
    const v = await verifyPdf(appended, known);
    expect(v).toMatchObject({ status: 'altered', reason: expect.stringContaining('thêm nội dung') });
  });

  it('an intact signature by a certificate Xã Số does not know is unknown; an unsigned PDF too', async () => {
    expect((await verifyPdf(signed, () => Promise.resolve(null))).status).toBe('unknown');
    expect(await verifyPdf(await twoPagePdf(), known)).toMatchObject({ status: 'unknown', reason: 'Tệp không có chữ ký số.' });
  });

  it('a revoked signer: signatures made after the revocation are refused, earlier ones stand', async () => {
    const after = await verifyPdf(signed, () => Promise.resolve({ revokedAt: new Date('2026-06-01T00:00:00Z') }));
    expect(after.status).toBe('revoked');
    expect((await verifyPdf(signed, () => Promise.resolve({ revokedAt: new Date('2026-07-01T00:00:00Z') }))).status).toBe('valid');
  });

  it('refuses what it cannot check, saying why', async () => {
    await expect(verifyPdf(Buffer.from('GIF89a not a pdf'), known)).rejects.toThrow('không phải PDF');
    await expect(verifyPdf(new Uint8Array(0), known)).rejects.toThrow('trống');
    await expect(verifyPdf(Buffer.alloc(11 * 1024 * 1024, 0x25), known)).rejects.toThrow('lớn hơn 10 MB');
    const encrypted = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer << /Root 1 0 R /Encrypt 5 0 R >>\n%%EOF\n');
    await expect(verifyPdf(encrypted, known)).rejects.toThrow('mã hóa');
  });
});

describe('commune credentials', () => {
  const code = async (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      return err instanceof CredentialError ? [err.code, err.message] : ['other', String(err)];
    }
    return ['ok', ''];
  };

  it('an expired certificate', async () => {
    const old = demoCommuneCredential(ca, root, COMMUNE, new Date('2024-01-01T00:00:00Z'), { days: 30 });
    const [c, msg] = await code(() => loadCredential(old.p12, old.passphrase, NOW));
    expect(c).toBe('expired');
    expect(msg).toContain('hết hạn ngày 31/01/2024');
  });

  it('a certificate for another purpose (a web server)', async () => {
    const server = demoCommuneCredential(ca, root, COMMUNE, new Date('2026-01-01T00:00:00Z'), { purpose: 'server' });
    const [c, msg] = await code(() => loadCredential(server.p12, server.passphrase, NOW));
    expect(c).toBe('wrong_purpose');
    expect(msg).toContain('không dùng để ký văn bản');
  });

  it('a key that does not match the certificate', async () => {
    const other = generateKeyPair();
    const p12 = toPkcs12(other.privateKey, [good.cert], 'x');
    const [c, msg] = await code(() => loadCredential(p12, 'x', NOW));
    expect(c).toBe('key_mismatch');
    expect(msg).toContain('không khớp');
  });

  it('a wrong passphrase or a file that is not PKCS#12', async () => {
    expect((await code(() => loadCredential(good.p12, 'sai', NOW)))[0]).toBe('unreadable');
    expect((await code(() => loadCredential(Buffer.from('not a p12'), '', NOW)))[0]).toBe('unreadable');
  });

  it('the sealed key opens only with the same server secret', () => {
    const sealed = seal('secret-one', Buffer.from('khóa'));
    expect(open('secret-one', sealed).toString()).toBe('khóa');
    expect(() => open('secret-two', sealed)).toThrow();
  });
});
