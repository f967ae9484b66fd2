/**
 * Seals signing keys at rest with a key derived from the server secret
 * (AES-256-GCM): a copied database alone does not yield a commune's key.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

function keyFor(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'xaso-signing', 'signing-key-at-rest v1', 32));
}

/** base64 of version byte, 12-byte nonce, 16-byte tag, ciphertext. */
export function seal(secret: string, plain: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(secret), iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from([1]), iv, cipher.getAuthTag(), body]).toString('base64');
}

/** Throws when the secret differs from the one that sealed it, or the text was tampered with. */
export function open(secret: string, sealed: string): Buffer {
  const raw = Buffer.from(sealed, 'base64');
  if (raw.length < 29 || raw[0] !== 1) throw new Error('sealed value: unknown format');
  const decipher = createDecipheriv('aes-256-gcm', keyFor(secret), raw.subarray(1, 13));
  decipher.setAuthTag(raw.subarray(13, 29));
  return Buffer.concat([decipher.update(raw.subarray(29)), decipher.final()]);
}
