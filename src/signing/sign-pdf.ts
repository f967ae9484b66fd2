/**
 * Signs a PDF: pdf-lib adds the signature field and placeholder (over the
 * visible stamp the document already draws), @signpdf/signpdf fills in the
 * byte range and the CMS from `detachedCms`.
 */
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { Signer as SignpdfSigner, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { PDFDocument } from 'pdf-lib';
import { detachedCms } from './cms.js';
import type { Signer } from './signer.js';

export interface SignOptions {
  reason: string;
  location: string;
  /** The person signing, as the signature dictionary's /Name. */
  name: string;
  signingTime: Date;
  /** Where the stamp is drawn: page index and [x1, y1, x2, y2] in PDF points (origin bottom left). */
  widget?: { page: number; rect: [number, number, number, number] };
}

class Adapter extends SignpdfSigner {
  constructor(private readonly signer: Signer) {
    super();
  }

  override sign(content: Buffer): Promise<Buffer> {
    return detachedCms(this.signer, content);
  }
}

/**
 * pdf-lib writes these dictionary strings as single bytes, which would garble
 * Vietnamese; they go in without diacritics (the stamp and the certificate carry the real names).
 */
export function plainLatin(s: string): string {
  return s
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '');
}

/** Room for an RSA-2048 CMS with a three-certificate chain, with margin. */
const SIGNATURE_BYTES = 12_000;

export async function signPdf(pdf: Uint8Array, signer: Signer, o: SignOptions): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const page = doc.getPage(o.widget?.page ?? 0);
  pdflibAddPlaceholder({
    pdfDoc: doc,
    pdfPage: page,
    reason: plainLatin(o.reason),
    contactInfo: '',
    name: plainLatin(o.name),
    location: plainLatin(o.location),
    signingTime: o.signingTime,
    signatureLength: SIGNATURE_BYTES,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    widgetRect: o.widget?.rect ?? [0, 0, 0, 0],
    appName: 'Xã Số',
  });
  const prepared = Buffer.from(await doc.save({ useObjectStreams: false }));
  return new SignPdf().sign(prepared, new Adapter(signer), o.signingTime);
}
