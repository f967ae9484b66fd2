/**
 * The text of a PDF the server generated, ready to assert on: pdf-parse's
 * extraction, Unicode-normalised (NFC: Vietnamese letters may come out as a
 * base letter plus combining marks) and with every run of whitespace made one
 * space (table cells and wrapped lines break anywhere).
 */
import { PDFParse } from 'pdf-parse';

export interface PdfText {
  /** Extracted text, NFC, line breaks kept. */
  text: string;
  /** The same, with every run of whitespace collapsed to one space. */
  flat: string;
  pages: number;
}

export async function pdfText(bytes: Uint8Array): Promise<PdfText> {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    const r = await parser.getText();
    const text = r.text.normalize('NFC');
    return { text, flat: flatten(text), pages: r.total };
  } finally {
    await parser.destroy();
  }
}

/** NFC and single spaces: how page text and PDF text are compared. */
export function flatten(s: string): string {
  return s.normalize('NFC').replace(/\s+/g, ' ').trim();
}
