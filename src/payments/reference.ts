/**
 * Payment references: what the payer's bank carries in the transfer
 * description. Banks drop dashes and diacritics and may add their own words,
 * so a reference is letters and digits only and is found inside a description
 * after folding it the same way. Pure.
 */

/** "25459-261203-0001", payment 1 → "HS254592612030001"; later payments of the same dossier get "P2", "P3"… */
export function paymentReference(dossierCode: string, ordinal: number): string {
  const digits = dossierCode.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  return ordinal <= 1 ? `HS${digits}` : `HS${digits}P${ordinal}`;
}

/** Upper-case letters and digits only, diacritics removed: how descriptions are compared. */
export function foldDescription(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'D')
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '');
}

/**
 * The references (from `known`) that a description mentions. The longest wins
 * when one reference is a prefix of another ("…0001" inside "…0001P2").
 */
export function referencesIn(description: string, known: readonly string[]): string[] {
  const folded = foldDescription(description);
  const hits = known.filter((r) => folded.includes(r));
  return hits.filter((r) => !hits.some((o) => o !== r && o.startsWith(r) && folded.includes(o)));
}
