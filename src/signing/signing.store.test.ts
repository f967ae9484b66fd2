import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../platform/db.js';
import { openTestDb } from '../testing/db.js';
import { demoCommuneCredential, demoProvinceCa, demoRoot } from './demo-chain.js';
import { installCredential, knownSigner, signerForCommune } from './signing.store.js';
import { certInfo } from './pki.js';

const SECRET = 'test-secret-0123456789abcdef';
const NOW = new Date('2026-06-15T03:00:00Z');
const COMMUNE = { code: '25480', name: 'Phường Bình Minh', provinceName: 'Tỉnh Tây Ninh' };
const BY = { actorId: null, actorLabel: 'dòng lệnh' };

describe('installing a commune certificate', () => {
  let h: DbHandle;
  let root: ReturnType<typeof demoRoot>;
  let ca: ReturnType<typeof demoProvinceCa>;
  beforeAll(async () => {
    h = await openTestDb('pglite');
    root = demoRoot(new Date('2026-01-01T00:00:00Z'));
    ca = demoProvinceCa(root, COMMUNE.provinceName, new Date('2026-01-01T00:00:00Z'));
  }, 60_000);
  afterAll(() => h.close());

  it('installs, replaces the previous one, audits, and signs with the newest', async () => {
    const first = demoCommuneCredential(ca, root, COMMUNE, new Date('2026-01-01T00:00:00Z'));
    const second = demoCommuneCredential(ca, root, COMMUNE, new Date('2026-02-01T00:00:00Z'));
    await installCredential(h.db, SECRET, { communeCode: COMMUNE.code, p12: first.p12, passphrase: first.passphrase, by: BY, now: NOW });
    await installCredential(h.db, SECRET, { communeCode: COMMUNE.code, p12: second.p12, passphrase: second.passphrase, by: BY, now: NOW });
    const rows = await h.db.selectFrom('signing_credential').select(['fingerprint', 'active']).where('commune_code', '=', COMMUNE.code).execute();
    expect(rows.filter((r) => r.active).map((r) => r.fingerprint)).toEqual([certInfo(second.cert).fingerprint]);
    // A changed server secret cannot open the key (checked before the key is loaded and kept in memory).
    await expect(signerForCommune(h.db, 'another-secret', COMMUNE.code, NOW)).rejects.toThrow(/XASO_SECRET/);
    expect((await signerForCommune(h.db, SECRET, COMMUNE.code, NOW)).chain[0]!.fingerprint).toBe(certInfo(second.cert).fingerprint);
    // Documents the first certificate signed still verify as the commune's.
    expect(await knownSigner(h.db, certInfo(first.cert).fingerprint)).toMatchObject({ communeCode: COMMUNE.code, communeName: COMMUNE.name });
    const audit = await h.db.selectFrom('audit_log').select('action').where('action', '=', 'signing.credential.install').execute();
    expect(audit).toHaveLength(2);
  });

  it('refuses an expired certificate and a wrong passphrase; the active one stays', async () => {
    const expired = demoCommuneCredential(ca, root, COMMUNE, new Date('2025-01-01T00:00:00Z'), { days: 30 });
    await expect(installCredential(h.db, SECRET, { communeCode: COMMUNE.code, p12: expired.p12, passphrase: expired.passphrase, by: BY, now: NOW })).rejects.toThrow(/hết hạn/);
    await expect(installCredential(h.db, SECRET, { communeCode: COMMUNE.code, p12: expired.p12, passphrase: 'sai', by: BY, now: NOW })).rejects.toThrow(/mật khẩu không đúng/);
    const active = await h.db.selectFrom('signing_credential').select('id').where('commune_code', '=', COMMUNE.code).where('active', '=', true).execute();
    expect(active).toHaveLength(1);
  });
});
