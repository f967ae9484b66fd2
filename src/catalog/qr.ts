import QRCode from 'qrcode';

/** The public address of a procedure page: what every QR code points to. */
export function procedureUrl(baseUrl: string, code: string): string {
  return `${baseUrl.replace(/\/$/, '')}/thu-tuc/${encodeURIComponent(code)}`;
}

// A poster asks for hundreds of codes at once; they never change for a given URL.
const MAX_CACHED = 5000;
const cache = new Map<string, Promise<string>>();

/**
 * An SVG QR code for `text`: medium error correction (survives a crease or a
 * smudge on a printed poster) and a quiet zone of 2 modules.
 */
export function qrSvg(text: string): Promise<string> {
  let svg = cache.get(text);
  if (!svg) {
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    svg = QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    svg.catch(() => cache.delete(text));
    cache.set(text, svg);
  }
  return svg;
}

/** The same SVG with an accessible name, for inlining into a page. */
export async function qrSvgInline(text: string, label: string): Promise<string> {
  const svg = await qrSvg(text);
  const safe = label.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return svg.replace('<svg ', `<svg role="img" aria-label="${safe}" class="qr" `);
}
