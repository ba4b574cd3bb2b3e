import bcrypt from 'bcryptjs';

/** The bcrypt cost Supabase Auth uses (Go's bcrypt.DefaultCost). */
const BCRYPT_COST = 10;

let dummyHash: Promise<string> | null = null;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

/**
 * Checks a password against a bcrypt hash (`$2a$` from pgcrypto's crypt() and `$2b$` both
 * verify). Without a stored hash it still spends one bcrypt comparison, so the response time
 * does not reveal whether the account exists.
 */
export async function verifyPassword(
  password: string,
  hash: string | null | undefined
): Promise<boolean> {
  if (!hash) {
    dummyHash ??= bcrypt.hash('password-of-no-account', BCRYPT_COST);
    await bcrypt.compare(password, await dummyHash);
    return false;
  }
  try {
    return await bcrypt.compare(password, hash);
  } catch {
    return false;
  }
}
