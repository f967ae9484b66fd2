/** Test helpers: a two-page PDF like a result, and pdfsig's verdict. Not used by the app. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';

export function twoPagePdf(): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4' });
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.text('Trang 1');
  doc.addPage();
  doc.text('Trang 2');
  doc.end();
  return done;
}

/** Whether poppler's pdfsig is installed; in CI (CI=true) its absence fails instead of skipping. */
export function hasPdfsig(): boolean {
  const found = existsSync('/usr/bin/pdfsig');
  if (!found && process.env.CI === 'true') throw new Error('pdfsig (poppler-utils) is required in CI');
  return found;
}

/** pdfsig's report for `pdf` (exit status ignored: it is non-zero for an invalid signature). */
export function pdfsig(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'xaso-pdfsig-'));
  const file = join(dir, 'doc.pdf');
  writeFileSync(file, pdf);
  try {
    return execFileSync('pdfsig', [file], { encoding: 'utf8' });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
}

/**
 * A copy with one byte changed inside the signed bytes: in the binary comment
 * after the header line, so the file still parses and only the digest differs.
 */
export function alterOneByte(pdf: Buffer): Buffer {
  const copy = Buffer.from(pdf);
  const at = copy.indexOf('\n') + 2;
  copy[at] = copy[at] === 0x81 ? 0x82 : 0x81;
  return copy;
}
