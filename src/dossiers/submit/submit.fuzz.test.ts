import { fuzzRuns } from '../../testing/fuzz.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../testing/app.js';
import { PHONE_RE } from '../../accounts/accounts.schema.js';
import { BIRTH, CITIZEN, draftIdOf, location, OFFICER, openWorld, signedIn, type World } from './test-setup.js';

const RUNS = fuzzRuns(1000);

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('', ' ', "' or 1=1 --", '<script>alert(1)</script>', '\u0000\u0007', '{{7*7}}', '🙂🙂', 'Nguyễn Văn An', 'Khu phố 3, phường Tân Ninh', 'x'.repeat(5000)),
);
const phone = fc.oneof(text, fc.stringMatching(/^0[35789][0-9]{8}$/), fc.stringMatching(/^\+84 ?[35789][0-9]{8}$/));
const email = fc.oneof(text, fc.emailAddress());
const applicant = fc.record({ full_name: text, phone, email, address: text }, { requiredKeys: [] });

describe('fuzzing the submission pages (no 5xx, only clean answers saved)', () => {
  let w: World;
  let citizen: Client;
  let csrf: string;
  let base: string;
  beforeAll(async () => {
    w = await openWorld();
    citizen = await signedIn(w.app, CITIZEN);
    csrf = await citizen.csrf();
    base = `/nop-ho-so/ban-nhap/${draftIdOf(location(await citizen.post(`/nop-ho-so/${BIRTH}`, {}, { csrf })))}`;
  });
  afterAll(() => w.close());

  async function savedApplicant(id: string) {
    const d = await w.h.db.selectFrom('dossier_draft').select('data').where('id', '=', id).executeTakeFirstOrThrow();
    return (d.data as { applicant?: { name: string; phone: string | null; address: string } }).applicant;
  }

  it(`the applicant page: ${RUNS} random forms`, async () => {
    const id = draftIdOf(`${base}/`);
    await fc.assert(
      fc.asyncProperty(applicant, async (form) => {
        const fields = Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined)) as Record<string, string>;
        const res = await citizen.post(`${base}/nguoi-nop`, fields, { csrf });
        expect([303, 400, 413]).toContain(res.status);
        if (res.status === 400) expect(await res.text()).toContain('error-summary');
        if (res.status === 303) {
          // What was saved is clean: a mobile number, a printable name, a real address.
          const saved = (await savedApplicant(id))!;
          expect(saved.phone).toMatch(PHONE_RE);
          expect(saved.name).not.toMatch(/[<>]/);
          expect(saved.name.includes('\u0000')).toBe(false);
          expect(saved.address.trim().length).toBeGreaterThanOrEqual(5);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('the assisted applicant page and the other steps: random answers', async () => {
    const officer = await signedIn(w.app, OFFICER);
    const token = await officer.csrf();
    const assisted = `/can-bo/nop-thay/ban-nhap/${draftIdOf(location(await officer.post('/can-bo/nop-thay', { procedure_code: BIRTH }, { csrf: token })))}`;
    await fc.assert(
      fc.asyncProperty(applicant, text, text, async (form, commune, caseNo) => {
        const fields = Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined)) as Record<string, string>;
        for (const res of [
          await officer.post(`${assisted}/nguoi-nop`, fields, { csrf: token }),
          await officer.post(`${assisted}/truong-hop`, { case_no: caseNo }, { csrf: token }),
          await citizen.post(`${base}/noi-nop`, { commune }, { csrf }),
          await citizen.post(`${base}/truong-hop`, { case_no: caseNo }, { csrf }),
          await citizen.post(`${base}/cam-doan`, { cam_doan: caseNo, idempotency_key: commune }, { csrf }),
        ])
          expect(res.status).toBeLessThan(500);
      }),
      { numRuns: fuzzRuns(300) },
    );
    // Nothing was submitted by noise.
    expect(await w.h.db.selectFrom('dossier').select('id').execute()).toEqual([]);
  });
});
