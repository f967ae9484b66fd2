/**
 * Removes what identifies a person from a search question before it is
 * stored: phone numbers, ID / social-insurance / tax numbers, e-mail
 * addresses, and personal names written after a kinship or address word
 * ("anh Nguyễn Văn A", "tên là Lan"). Pure. Over-removal is preferred: the
 * stored question only has to show what kind of thing was asked.
 */
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// Any run of 7+ digits, allowing spaces, dots and dashes between groups (phones, CCCD, BHXH, tax codes).
const LONG_NUMBER = /\+?\d(?:[\s.-]?\d){6,}/g;
// A name: capitalised words after a word that introduces one.
const NAME_AFTER =
  /((?<!\p{L})(?:tên(?: là)?|tôi là|em là|cháu|con|anh|chị|em|ông|bà|bác|cô|chú|dì|cậu|mợ|thím|vợ|chồng|bố|mẹ|cha|má|ba)\s+)((?:\p{Lu}[\p{Ll}\p{M}]*)(?:\s+\p{Lu}[\p{Ll}\p{M}]*)*)/gu;

export function anonymise(question: string): string {
  return question
    .normalize('NFC')
    .replace(EMAIL, '[email]')
    .replace(LONG_NUMBER, '[số]')
    .replace(NAME_AFTER, (_m, lead: string) => `${lead}[tên]`)
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 500);
}
