/**
 * What a PDF's last signature says: valid (the signed bytes are intact, the
 * byte range covers the whole file, the signer is a certificate Xã Số knows),
 * altered, or unknown. PKIjs checks the CMS; the PDF is only searched for its
 * signature dictionary, never rendered.
 */
import { createHash } from 'node:crypto';
import * as pkijs from 'pkijs';

export type PdfInputProblem = 'empty' | 'not_pdf' | 'encrypted' | 'too_large';

export class PdfInputError extends Error {
  constructor(readonly code: PdfInputProblem, message: string) {
    super(message);
  }
}

export const MAX_VERIFY_BYTES = 10 * 1024 * 1024;

export interface SignatureFacts {
  /** SHA-256 of the signer certificate (DER), hex. */
  fingerprint: string;
  subject: string;
  /** The /M entry of the signature dictionary (PAdES puts the signing time there). */
  signedAt: Date | null;
  /** The /Name entry: the person who signed. */
  name: string | null;
}

export type Verdict =
  | { status: 'valid'; signature: SignatureFacts }
  | { status: 'altered'; reason: string; signature: SignatureFacts | null }
  | { status: 'unknown'; reason: string; signature: SignatureFacts | null }
  | { status: 'revoked'; reason: string; signature: SignatureFacts };

const ab = (b: Uint8Array): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** Refuses what is not a readable PDF, with the message shown next to the upload field. */
export function checkPdfInput(bytes: Uint8Array): void {
  if (bytes.byteLength === 0) throw new PdfInputError('empty', 'Tệp tải lên trống (0 byte). Chọn lại tệp PDF cần kiểm tra.');
  if (bytes.byteLength > MAX_VERIFY_BYTES) throw new PdfInputError('too_large', 'Tệp lớn hơn 10 MB. Văn bản do Xã Số cấp chỉ vài trăm KB: hãy chọn đúng tệp PDF đã tải về.');
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (!head.includes('%PDF-')) throw new PdfInputError('not_pdf', 'Tệp này không phải PDF. Chọn tệp PDF đã tải về từ Xã Số (không chụp ảnh màn hình).');
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.byteLength - 4096))).toString('latin1');
  if (/\/Encrypt\s*\d+\s+\d+\s+R/.test(tail) || /\/Encrypt\s*<</.test(tail)) {
    throw new PdfInputError('encrypted', 'Tệp PDF đã bị đặt mật khẩu hoặc mã hóa nên không kiểm tra được. Dùng tệp gốc tải về từ Xã Số.');
  }
}

function pdfDate(s: string): Date | null {
  const m = /^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|([+-])(\d{2})'?(\d{2})'?)?/.exec(s);
  if (!m) return null;
  const utc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  const offset = m[8] ? (m[8] === '-' ? -1 : 1) * (+m[9]! * 60 + +m[10]!) : 0;
  return new Date(utc - offset * 60_000);
}

/** A PDF literal string's text: escapes undone, UTF-16BE when it has the byte-order mark. */
function pdfText(raw: string): string {
  const bytes = raw.replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_, e: string) =>
    /^[0-7]/.test(e) ? String.fromCharCode(parseInt(e, 8)) : ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e,
  );
  if (bytes.startsWith('\u00fe\u00ff')) {
    const buf = Buffer.from(bytes.slice(2), 'latin1');
    return buf.swap16().toString('utf16le');
  }
  return bytes;
}

function hexText(hex: string): string {
  const buf = Buffer.from(hex, 'hex');
  if (buf[0] === 0xfe && buf[1] === 0xff) return Buffer.from(buf.subarray(2)).swap16().toString('utf16le');
  return buf.toString('latin1');
}

function dictString(dict: string, key: string): string | null {
  const lit = new RegExp(`/${key}\\s*\\(((?:\\\\.|[^\\\\)])*)\\)`, 's').exec(dict);
  if (lit) return pdfText(lit[1]!);
  const hex = new RegExp(`/${key}\\s*<([0-9A-Fa-f\\s]*)>`).exec(dict);
  return hex ? hexText(hex[1]!.replace(/\s/g, '')) : null;
}

/** The DER length of the element at the start of `buf` (the signature is zero-padded to its placeholder). */
function derLength(buf: Buffer): number {
  if (buf.length < 2) return buf.length;
  const first = buf[1]!;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + buf[2 + i]!;
  return Math.min(buf.length, 2 + n + len);
}

/**
 * Verifies the last signature of `bytes`. `knownSigner` says whether a
 * certificate fingerprint belongs to a signer Xã Số registered (and whether it
 * was revoked before the signing time).
 */
export async function verifyPdf(bytes: Uint8Array, knownSigner: (fingerprint: string) => Promise<{ revokedAt: Date | null } | null>): Promise<Verdict> {
  checkPdfInput(bytes);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buf.toString('latin1');
  const ranges = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const last = ranges.at(-1);
  if (!last) return { status: 'unknown', reason: 'Tệp không có chữ ký số.', signature: null };
  const [a, b, c, d] = last.slice(1, 5).map(Number) as [number, number, number, number];
  if (a !== 0 || b <= 0 || c <= b || c + d > buf.length || text[b] !== '<' || text[c - 1] !== '>') {
    return { status: 'altered', reason: 'Vùng dữ liệu được ký trong tệp không hợp lệ: tệp đã bị sửa.', signature: null };
  }
  // The signature dictionary around the byte range: from its "<<" before to the end of /Contents.
  const dictStart = text.lastIndexOf('<<', last.index);
  const dict = text.slice(Math.max(0, dictStart), Math.min(text.length, c + 2000));
  let cms: pkijs.SignedData;
  let signerCert: pkijs.Certificate | undefined;
  try {
    const sigDer = Buffer.from(text.slice(b + 1, c - 1).replace(/\s/g, ''), 'hex');
    const info = pkijs.ContentInfo.fromBER(ab(sigDer.subarray(0, derLength(sigDer))));
    cms = new pkijs.SignedData({ schema: info.content });
    const sid = cms.signerInfos[0]?.sid;
    signerCert = (cms.certificates ?? []).find(
      (x): x is pkijs.Certificate => x instanceof pkijs.Certificate && sid instanceof pkijs.IssuerAndSerialNumber && x.serialNumber.isEqual(sid.serialNumber) && x.issuer.isEqual(sid.issuer),
    );
  } catch {
    return { status: 'altered', reason: 'Chữ ký số trong tệp không đọc được: tệp đã bị sửa hoặc hỏng.', signature: null };
  }
  if (!signerCert) return { status: 'unknown', reason: 'Chữ ký không kèm chứng thư số của người ký.', signature: null };
  const certDer = Buffer.from(signerCert.toSchema().toBER());
  const cn = signerCert.subject.typesAndValues.find((t) => t.type === '2.5.4.3');
  const signature: SignatureFacts = {
    fingerprint: createHash('sha256').update(certDer).digest('hex'),
    subject: cn ? String(cn.value.valueBlock.value) : '',
    signedAt: pdfDate(dictString(dict, 'M') ?? ''),
    name: dictString(dict, 'Name'),
  };
  const signed = Buffer.concat([buf.subarray(a, a + b), buf.subarray(c, c + d)]);
  const intact = await cms.verify({ signer: 0, data: ab(signed), checkChain: false }).catch(() => false);
  if (!intact) return { status: 'altered', reason: 'Nội dung tệp đã bị thay đổi sau khi ký.', signature };
  if (c + d !== buf.length) return { status: 'altered', reason: 'Tệp đã bị thêm nội dung sau khi ký.', signature };
  const known = await knownSigner(signature.fingerprint);
  if (!known) return { status: 'unknown', reason: 'Chữ ký còn nguyên vẹn nhưng người ký không phải cơ quan do Xã Số đăng ký.', signature };
  if (known.revokedAt && (!signature.signedAt || signature.signedAt >= known.revokedAt)) {
    return { status: 'revoked', reason: 'Chứng thư số của người ký đã bị thu hồi trước thời điểm ký: chữ ký không còn giá trị.', signature };
  }
  return { status: 'valid', signature };
}
