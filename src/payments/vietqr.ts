/**
 * VietQR payloads: the EMVCo merchant-presented QR that NAPAS publishes for
 * account transfers, dynamic (one amount, one reference). Pure.
 */

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor) over UTF-8 bytes, as 4 upper-case hex digits. */
export function crc16(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

/** One EMVCo data object: id, two-digit length, value. */
function tlv(id: string, value: string): string {
  if (value.length > 99) throw new Error(`VietQR: field ${id} longer than 99 characters`);
  return `${id}${String(value.length).padStart(2, '0')}${value}`;
}

const NAPAS_GUID = 'A000000727';

export interface VietQrInput {
  /** The bank's 6-digit NAPAS BIN (e.g. 970436 for Vietcombank). */
  bin: string;
  /** The collection account number. */
  account: string;
  /** Whole đồng, positive. */
  amountVnd: number;
  /** What the payer's bank puts in the transfer description: the payment reference. */
  purpose: string;
}

export type VietQrProblem = 'bin' | 'account' | 'amount' | 'purpose';

/** What is wrong with an input, or null. Kept apart so callers can name the field to fix. */
export function vietQrProblem(input: VietQrInput): VietQrProblem | null {
  if (!/^\d{6}$/.test(input.bin)) return 'bin';
  if (!/^[0-9A-Za-z]{1,19}$/.test(input.account)) return 'account';
  if (!Number.isSafeInteger(input.amountVnd) || input.amountVnd <= 0 || String(input.amountVnd).length > 13) return 'amount';
  // Banks pass only plain ASCII letters, digits and spaces through reliably; NAPAS allows 25 characters.
  if (!/^[0-9A-Za-z ]{1,25}$/.test(input.purpose) || input.purpose.trim() !== input.purpose) return 'purpose';
  return null;
}

/** The payload text to encode in the QR image. Throws on invalid input (check `vietQrProblem` first). */
export function buildVietQr(input: VietQrInput): string {
  const problem = vietQrProblem(input);
  if (problem) throw new Error(`VietQR: invalid ${problem}`);
  const beneficiary = tlv('00', input.bin) + tlv('01', input.account);
  const merchant = tlv('00', NAPAS_GUID) + tlv('01', beneficiary) + tlv('02', 'QRIBFTTA');
  const body =
    tlv('00', '01') +
    tlv('01', '12') +
    tlv('38', merchant) +
    tlv('53', '704') +
    tlv('54', String(input.amountVnd)) +
    tlv('58', 'VN') +
    tlv('62', tlv('08', input.purpose)) +
    '6304';
  return body + crc16(body);
}

/** Whether a payload's last four characters are the CRC of everything before them. */
export function crcValid(payload: string): boolean {
  return payload.length > 8 && payload.slice(-8, -4) === '6304' && crc16(payload.slice(0, -4)) === payload.slice(-4);
}
