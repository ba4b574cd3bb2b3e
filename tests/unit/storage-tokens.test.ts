import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { StorageError } from '../../stack/storage/errors.ts';
import { signObjectToken, verifyObjectToken } from '../../stack/storage/tokens.ts';

const secret = new TextEncoder().encode('unit-test-secret-with-at-least-32-characters');

async function failure(work: Promise<unknown>): Promise<StorageError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof StorageError) return error;
    throw error;
  }
  throw new Error('Expected a StorageError, but the token was accepted.');
}

describe('signed object tokens', () => {
  it('round-trips a download token', async () => {
    const token = await signObjectToken(secret, { url: 'products/a.pdf', scope: 'download' }, 60);

    const payload = await verifyObjectToken(secret, token, 'products/a.pdf', 'download');

    expect(payload.url).toBe('products/a.pdf');
    expect(payload.scope).toBe('download');
    expect(payload.exp - (payload.iat ?? 0)).toBe(60);
  });

  it('accepts an older download token without a scope', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ url: 'products/a.pdf' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(secret);

    const payload = await verifyObjectToken(secret, token, 'products/a.pdf', 'download');

    expect(payload.url).toBe('products/a.pdf');
  });

  it('rejects a token for another object before looking at its expiry', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ url: 'products/a.pdf', scope: 'download' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(now - 120)
      .setExpirationTime(now - 60)
      .sign(secret);

    const error = await failure(verifyObjectToken(secret, token, 'products/b.pdf', 'download'));

    expect(error.code).toBe('InvalidSignature');
  });

  it('rejects an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ url: 'products/a.pdf', scope: 'download' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(now - 120)
      .setExpirationTime(now - 60)
      .sign(secret);

    const error = await failure(verifyObjectToken(secret, token, 'products/a.pdf', 'download'));

    expect(error.code).toBe('ExpiredToken');
    expect(error.message).toBe('The provided token has expired.');
  });

  it('rejects a token signed with another secret', async () => {
    const other = new TextEncoder().encode('another-secret-with-at-least-32-characters!!');
    const token = await signObjectToken(other, { url: 'products/a.pdf', scope: 'download' }, 60);

    const error = await failure(verifyObjectToken(secret, token, 'products/a.pdf', 'download'));

    expect(error.code).toBe('InvalidJWT');
  });

  it('rejects an unsigned token', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ url: 'products/a.pdf', exp: 9999999999 })).toString(
      'base64url'
    );

    const error = await failure(
      verifyObjectToken(secret, `${header}.${body}.`, 'products/a.pdf', 'download')
    );

    expect(error.code).toBe('InvalidJWT');
  });

  it('keeps upload and download tokens apart', async () => {
    const upload = await signObjectToken(
      secret,
      { url: 'products/a.pdf', scope: 'upload', owner: 'someone', upsert: false },
      60
    );
    const download = await signObjectToken(
      secret,
      { url: 'products/a.pdf', scope: 'download' },
      60
    );

    const asDownload = await failure(
      verifyObjectToken(secret, upload, 'products/a.pdf', 'download')
    );
    const asUpload = await failure(verifyObjectToken(secret, download, 'products/a.pdf', 'upload'));

    expect(asDownload.code).toBe('InvalidSignature');
    expect(asUpload.code).toBe('InvalidSignature');
  });
});
