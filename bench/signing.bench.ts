/**
 * Signing and verification: PAdES-signing a two-page result (Pkcs12Signer,
 * key already loaded, as the server keeps it) and verifying the signed file
 * as /xac-thuc does, each beside a baseline measured in the same run: a bare
 * pdf-lib load of the same file. Targets: p95 ≤ 50 ms for both.
 *
 *   npx tsx bench/signing.bench.ts [--runs 200]
 *
 * Writes bench/results/signing-<YYYY-MM-DD>.md (date, machine, figures).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import { renderDocument, resultContent } from '../src/documents/templates.js';
import { issuerOf } from '../src/dossiers/forms/format.js';
import { demoCommuneCredential, demoProvinceCa, demoRoot } from '../src/signing/demo-chain.js';
import { certInfo, loadCredential } from '../src/signing/pki.js';
import { signPdf } from '../src/signing/sign-pdf.js';
import { Pkcs12Signer } from '../src/signing/signer.js';
import { verifyPdf } from '../src/signing/verify.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' } } });
const RUNS = Number(values.runs);
const WARMUP = 20;
const TARGET_MS = 50;

function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}; 1-min load average at start ${os.loadavg()[0]!.toFixed(2)}`;
}

function revision(): string {
  try {
    const rev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim() ? '+dirty' : '';
    return rev + dirty;
  } catch {
    return 'unknown';
  }
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

async function main(): Promise<void> {
  const host = machine();
  const now = new Date('2026-06-15T03:00:00Z');
  const root = demoRoot(new Date('2026-01-01T00:00:00Z'));
  const ca = demoProvinceCa(root, 'Tỉnh Tây Ninh', new Date('2026-01-01T00:00:00Z'));
  const cred = demoCommuneCredential(ca, root, { code: '25459', name: 'Phường Tân Ninh', provinceName: 'Tỉnh Tây Ninh' }, new Date('2026-01-01T00:00:00Z'));
  const signer = new Pkcs12Signer(loadCredential(cred.p12, cred.passphrase, now));
  const fingerprint = certInfo(cred.cert).fingerprint;
  const issuer = issuerOf('25459');
  const content = resultContent({ procedureCode: '1.001193', procedureName: 'Đăng ký khai sinh', applicantName: 'Nguyễn Thị Lan', applicantAddress: 'Khu phố 1', details: { hoTen: 'Trần Minh An' }, issuedAt: now }, issuer);
  // Extra register lines push the result onto a second page.
  const lines = [...content.lines, ...Array.from({ length: 28 }, (_, i) => [`Ghi chú ${i + 1}`, 'Nội dung ghi chú trong sổ đăng ký khai sinh'] as const)];
  const drawn = await renderDocument({
    ...content,
    lines,
    issuer,
    number: '25459-260615-0001/KQ',
    dossierCode: '25459-260615-0001',
    verificationCode: 'XS-25459-7K3M9Q2ZPD',
    verifyUrl: 'https://xaso.example/xac-thuc/XS-25459-7K3M9Q2ZPD',
    signerTitle: 'CHỦ TỊCH',
    stamp: { body: 'UBND Phường Tân Ninh', signerName: 'Lê Văn Lãnh', signedAt: now },
  });
  const pages = (await PDFDocument.load(drawn.pdf)).getPageCount();
  const sign = () => signPdf(drawn.pdf, signer, { reason: 'Kết quả', location: 'Tân Ninh', name: 'Le Van Lanh', signingTime: now, widget: drawn.widget });
  const signed = await sign();
  const known = (fp: string) => Promise.resolve(fp === fingerprint ? { revokedAt: null } : null);
  if ((await verifyPdf(signed, known)).status !== 'valid') throw new Error('signed file does not verify');

  const signing = await time(sign);
  const loadUnsigned = await time(() => PDFDocument.load(drawn.pdf));
  const verifying = await time(() => verifyPdf(signed, known));
  const loadSigned = await time(() => PDFDocument.load(signed));

  const row = (name: string, xs: number[], base: number[] | null, target: boolean) =>
    `| ${name} | ${pct(xs, 50).toFixed(1)} | ${pct(xs, 95).toFixed(1)} | ${target ? (pct(xs, 95) <= TARGET_MS ? 'yes' : 'NO') : ''} | ${base ? (pct(xs, 95) / pct(base, 95)).toFixed(1) : '1.0'} |`;
  const date = new Date().toISOString().slice(0, 10);
  const md = `# Signing and verification benchmark — ${date}

Run ${new Date().toISOString()} at revision ${revision()}.
Machine: ${host}. Shared machine: wall-clock figures are noisy; compare the ratios to the baseline.
Document: a ${pages}-page result (extract of birth registration, Roboto, QR code, stamp), ${Math.round(drawn.pdf.length / 1024)} KB unsigned, ${Math.round(signed.length / 1024)} KB signed. RSA-2048 demo key, chain of three certificates embedded.

## What is timed

- **Sign**: \`signPdf()\`: pdf-lib loads the PDF, adds the signature field and placeholder and saves it; @signpdf fills the byte range; PKIjs builds the CMS (SHA-256 of the signed bytes, signed attributes, Node's RSA signature). The key is already loaded (the server keeps each commune's signer in memory).
- **Verify**: \`verifyPdf()\` as /xac-thuc runs it on an upload: input checks, find the signature dictionary, parse the CMS, PKIjs verification (digest and RSA), byte-range coverage, signer look-up (in memory here; one indexed query in the app).
- **Baselines**: a bare \`PDFDocument.load()\` (pdf-lib) of the same file: the unsigned file for signing, the signed file for verification.

${RUNS} runs after ${WARMUP} warm-up runs, milliseconds.

| | p50 (ms) | p95 (ms) | p95 ≤ ${TARGET_MS} ms | p95 ÷ baseline |
|---|---|---|---|---|
${row('Sign a 2-page result', signing, loadUnsigned, true)}
${row('Baseline: pdf-lib load (unsigned)', loadUnsigned, null, false)}
${row('Verify the signed file', verifying, loadSigned, true)}
${row('Baseline: pdf-lib load (signed)', loadSigned, null, false)}
`;
  writeFileSync(new URL(`./results/signing-${date}.md`, import.meta.url), md);
  process.stdout.write(md);
}

await main();
