/**
 * Commune signing credentials: the demo chain on first start, installing a
 * real certificate, revoking one, and the signer for a commune (parsed once
 * per credential and kept in memory: reading a PKCS#12 file takes hundreds of ms).
 */
import { appendAudit } from '../platform/audit.js';
import type { Db, DbOrTx } from '../platform/db.js';
import './signing.tables.js';
import { demoCommuneCredential, demoProvinceCa, demoRoot, type DemoAuthority } from './demo-chain.js';
import { certDer, certFromDer, certInfo, CredentialError, loadCredential, privateKeyFromPem, privateKeyPem, readPkcs12, checkSigningCertificate } from './pki.js';
import { open, seal } from './secretbox.js';
import { Pkcs12Signer, type Signer } from './signer.js';

export interface Installer {
  actorId: string | null;
  actorLabel: string;
  ip?: string | null;
}

const SYSTEM: Installer = { actorId: null, actorLabel: 'hệ thống' };

async function sealedAuthority(db: DbOrTx, secret: string, id: string): Promise<DemoAuthority | null> {
  const row = await db.selectFrom('signing_authority').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  return { cert: certFromDer(Buffer.from(row.cert_der, 'base64')), key: privateKeyFromPem(open(secret, row.key_sealed).toString('utf8')) };
}

async function storeAuthority(db: DbOrTx, secret: string, id: string, a: DemoAuthority): Promise<void> {
  await db
    .insertInto('signing_authority')
    .values({ id, cert_der: certDer(a.cert).toString('base64'), key_sealed: seal(secret, Buffer.from(privateKeyPem(a.key))) })
    .execute();
}

async function insertCredential(db: DbOrTx, secret: string, communeCode: string, p12: Buffer, passphrase: string, isDemo: boolean, by: Installer, now: Date): Promise<string> {
  const parts = readPkcs12(p12, passphrase);
  checkSigningCertificate(parts.cert, now);
  const info = certInfo(parts.cert);
  await db.updateTable('signing_credential').set({ active: false }).where('commune_code', '=', communeCode).where('active', '=', true).execute();
  const row = await db
    .insertInto('signing_credential')
    .values({
      commune_code: communeCode,
      fingerprint: info.fingerprint,
      subject: info.subject,
      serial: info.serial,
      not_before: info.notBefore,
      not_after: info.notAfter,
      cert_der: info.der.toString('base64'),
      p12_sealed: seal(secret, Buffer.from(JSON.stringify({ p12: p12.toString('base64'), passphrase }))),
      is_demo: isDemo,
      active: true,
      created_by: by.actorId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(db, {
    actorId: by.actorId,
    actorLabel: by.actorLabel,
    unitCode: communeCode,
    action: 'signing.credential.install',
    subjectType: 'signing_credential',
    subjectId: row.id,
    ip: by.ip ?? null,
    detail: { subject: info.subject, serial: info.serial, notAfter: info.notAfter.toISOString(), demo: isDemo },
  });
  return row.id;
}

/**
 * First start: the demo root CA, the province CA and a certificate for each
 * demo commune that has none. Idempotent; returns the communes it equipped.
 */
export async function ensureDemoSigning(db: Db, secret: string, province: { code: string; name: string }, communes: readonly { code: string; name: string }[], now: Date): Promise<string[]> {
  const missing: { code: string; name: string }[] = [];
  for (const c of communes) {
    const has = await db.selectFrom('signing_credential').select('id').where('commune_code', '=', c.code).executeTakeFirst();
    if (!has) missing.push(c);
  }
  if (missing.length === 0) return [];
  return db.transaction().execute(async (tx) => {
    let root = await sealedAuthority(tx, secret, 'demo-root');
    if (!root) {
      root = demoRoot(now);
      await storeAuthority(tx, secret, 'demo-root', root);
    }
    const caId = `demo-province-${province.code}`;
    let ca = await sealedAuthority(tx, secret, caId);
    if (!ca) {
      ca = demoProvinceCa(root, province.name, now);
      await storeAuthority(tx, secret, caId, ca);
    }
    for (const c of missing) {
      const cred = demoCommuneCredential(ca, root, { ...c, provinceName: province.name }, now);
      await insertCredential(tx, secret, c.code, cred.p12, cred.passphrase, true, SYSTEM, now);
    }
    return missing.map((c) => c.code);
  });
}

/** Installs a commune's certificate from a .p12/.pfx file; the previous one stops being used. */
export async function installCredential(db: Db, secret: string, o: { communeCode: string; p12: Buffer; passphrase: string; by: Installer; now: Date }): Promise<string> {
  return db.transaction().execute((tx) => insertCredential(tx, secret, o.communeCode, o.p12, o.passphrase, false, o.by, o.now));
}

/** Revokes a credential: it signs nothing more, and documents it signed from `now` on verify as revoked. */
export async function revokeCredential(db: Db, o: { communeCode: string; id: string; reason: string; by: Installer; now: Date }): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('signing_credential')
      .set({ revoked_at: o.now, revoked_reason: o.reason, active: false })
      .where('commune_code', '=', o.communeCode)
      .where('id', '=', o.id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false;
    await appendAudit(tx, {
      actorId: o.by.actorId,
      actorLabel: o.by.actorLabel,
      unitCode: o.communeCode,
      action: 'signing.credential.revoke',
      subjectType: 'signing_credential',
      subjectId: o.id,
      ip: o.by.ip ?? null,
      detail: { reason: o.reason },
    });
    return true;
  });
}

const signers = new Map<string, Pkcs12Signer>();

/**
 * The signer of a commune's newest credential, checked at `now`. Throws a
 * CredentialError when there is none, it was revoked, or it cannot sign.
 */
export async function signerForCommune(db: DbOrTx, secret: string, communeCode: string, now: Date): Promise<Signer> {
  const row = await db
    .selectFrom('signing_credential')
    .select(['id', 'p12_sealed', 'revoked_at', 'cert_der', 'active'])
    .where('commune_code', '=', communeCode)
    .orderBy('active', 'desc')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw new CredentialError('missing', 'Xã chưa cài chứng thư số để ký kết quả. Đề nghị quản trị viên cấp tỉnh cài chứng thư số cho xã (xem hướng dẫn trong README).');
  if (row.revoked_at) throw new CredentialError('revoked', 'Chứng thư số của xã đã bị thu hồi. Đề nghị quản trị viên cấp tỉnh cài chứng thư số mới trước khi ký.');
  checkSigningCertificate(certFromDer(Buffer.from(row.cert_der, 'base64')), now);
  let signer = signers.get(row.id);
  if (!signer) {
    let sealed: Buffer;
    try {
      sealed = open(secret, row.p12_sealed);
    } catch {
      throw new CredentialError('unreadable', 'Không mở được khóa ký của xã: khóa bí mật của máy chủ (XASO_SECRET) đã đổi so với lúc cài chứng thư. Đặt lại khóa cũ, hoặc cài lại chứng thư số.');
    }
    const { p12, passphrase } = JSON.parse(sealed.toString('utf8')) as { p12: string; passphrase: string };
    signer = new Pkcs12Signer(loadCredential(Buffer.from(p12, 'base64'), passphrase, now));
    signers.set(row.id, signer);
  }
  return signer;
}

export interface KnownSigner {
  communeCode: string;
  communeName: string;
  revokedAt: Date | null;
  isDemo: boolean;
}

/** Whether a certificate (by SHA-256 fingerprint) is one Xã Số installed, and for which commune. */
export async function knownSigner(db: DbOrTx, fingerprint: string): Promise<KnownSigner | null> {
  const row = await db
    .selectFrom('signing_credential as s')
    .innerJoin('commune as c', 'c.code', 's.commune_code')
    .select(['s.commune_code', 'c.name', 's.revoked_at', 's.is_demo'])
    .where('s.fingerprint', '=', fingerprint)
    .executeTakeFirst();
  return row ? { communeCode: row.commune_code, communeName: row.name, revokedAt: row.revoked_at ? new Date(row.revoked_at) : null, isDemo: row.is_demo } : null;
}
