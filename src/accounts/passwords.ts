import { hash, verify } from '@node-rs/argon2';

// OWASP's minimum argon2id settings: strong enough, and quick on a 2-core server.
// algorithm 2 = Argon2id (the package's enum is a const enum that isolated modules cannot import).
const OPTIONS = { algorithm: 2 as const, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A verify against a throwaway hash, so unknown accounts take as long as known ones. */
let dummy: Promise<string> | null = null;
export async function verifyNothing(password: string): Promise<void> {
  dummy ??= hashPassword('xaso-timing-equaliser');
  await verifyPassword(await dummy, password);
}
