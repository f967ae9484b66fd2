import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeNext } from './forms.js';

/** How a browser reads a Location header: tabs and line breaks dropped, `\` as `/`, resolved against the page. */
function browserTarget(location: string): string {
  return new URL(location.replace(/[\t\n\r]/g, '').replaceAll('\\', '/'), 'https://xaso.example/dang-nhap').origin;
}

describe('safeNext (open redirect)', () => {
  const attacks = [
    '/\t/evil.example/x',
    '/%09/evil.example/x',
    '/\n/evil.example',
    '/\r\n/evil.example',
    '\t//evil.example',
    '/\\evil.example',
    '/\\/evil.example',
    '\\\\evil.example',
    '//evil.example/x',
    '///evil.example',
    '/.//evil.example',
    '/./\\evil.example',
    'https://evil.example',
    'javascript:alert(1)',
    ' /x',
    '/x\u0000y',
    '/x\u007f',
  ];

  it.each(attacks)('refuses %j', (next) => {
    const decoded = next.includes('%09') ? decodeURIComponent(next) : next;
    expect(safeNext(decoded, '/tai-khoan')).toBe('/tai-khoan');
  });

  it('keeps local paths with their query and fragment', () => {
    expect(safeNext('/dang-nhap')).toBe('/dang-nhap');
    expect(safeNext('/ho-so-cua-toi?trang=2#h')).toBe('/ho-so-cua-toi?trang=2#h');
    expect(safeNext('/tim-kiem?q=khai sinh')).toBe('/tim-kiem?q=khai%20sinh');
  });

  it('never yields a target on another origin, whatever the input', () => {
    const pieces = fc.constantFrom('/', '//', '\\', '\t', '\r', '\n', '.', '..', 'evil.example', ':', '@', '%2f', '?', '#', 'x', 'https:', '\u0000');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 8 }), (parts) => {
        const out = safeNext(parts.join(''), '/');
        expect(out.startsWith('/')).toBe(true);
        expect(browserTarget(out)).toBe('https://xaso.example');
      }),
      { numRuns: 3000 },
    );
  });
});
