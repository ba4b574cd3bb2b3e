/**
 * Guessing attacks on Auth: 6-digit codes, email-link token hashes and passwords tried over and
 * over from one client address. Each guessing case connects from a random loopback address
 * other than 127.0.0.1 (Linux routes all of 127.0.0.0/8 to the loopback interface), so its
 * failed attempts never count against the 127.0.0.1 that the other suites use.
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import http from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { stackEnv } from '../../tests/env.ts';

const env = stackEnv();

/** Failed attempts per address in five minutes: supabase/config.toml leaves the CLI default. */
const FAILURE_LIMIT = 30;

/** Each password check costs one bcrypt comparison, so the password cases take seconds. */
const PASSWORD_CASE_TIMEOUT_MS = 60_000;

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Returns a random loopback address other than 127.0.0.1, such as 127.41.7.173. */
function freshLoopbackAddress(): string {
  return `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(2, 255)}`;
}

/** Sends one request to the gateway from `localAddress`. */
function requestFrom(
  localAddress: string,
  method: string,
  path: string,
  body?: unknown
): Promise<RawResponse> {
  const url = new URL(path, env.SUPABASE_URL);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { apikey: env.SUPABASE_ANON_KEY };
  if (payload !== undefined) headers['content-type'] = 'application/json';

  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        headers,
        localAddress
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString()
          })
        );
        res.on('error', reject);
      }
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function errorCodeOf(response: RawResponse): string | undefined {
  return (JSON.parse(response.body) as { error_code?: string }).error_code;
}

async function createConfirmedUser(label: string): Promise<{ email: string; password: string }> {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
  const password = `pw-${randomUUID()}`;
  const response = await fetch(`${env.SUPABASE_URL}/auth/v1/admin/users`, {
    method: 'POST',
    headers: {
      apikey: env.SUPABASE_SERVICE_ROLE_KEY,
      authorization: `Bearer ${env.SUPABASE_SERVICE_ROLE_KEY}`,
      'content-type': 'application/json'
    },
    body: JSON.stringify({ email, password, email_confirm: true })
  });
  expect(response.status).toBe(200);
  return { email, password };
}

/** Asks for a magic link and returns the 6-digit code of the email. */
async function requestCode(email: string): Promise<string> {
  const response = await requestFrom('127.0.0.1', 'POST', '/auth/v1/otp', { email });
  expect(response.status).toBe(200);
  const messages = (await (
    await fetch(`${env.MAILBOX_URL}/messages?to=${encodeURIComponent(email)}`)
  ).json()) as { text: string }[];
  const match = /Or enter this code: (\d{6})/.exec(messages[0]?.text ?? '');
  expect(match).not.toBeNull();
  return match![1];
}

/** Returns `count` distinct 6-digit codes other than `code`. */
function wrongCodes(code: string, count: number): string[] {
  const codes: string[] = [];
  for (let guess = 0; codes.length < count; guess += 1) {
    const candidate = String(guess).padStart(6, '0');
    if (candidate !== code) codes.push(candidate);
  }
  return codes;
}

describe('one-time code guessing', () => {
  let email = '';
  let code = '';
  const attacker = freshLoopbackAddress();

  beforeAll(async () => {
    ({ email } = await createConfirmedUser('attack-otp'));
    code = await requestCode(email);
  });

  it('stops an address after the failure limit', async () => {
    for (const guess of wrongCodes(code, FAILURE_LIMIT)) {
      const wrong = await requestFrom(attacker, 'POST', '/auth/v1/verify', {
        type: 'magiclink',
        email,
        token: guess
      });
      expect(wrong.status).toBe(403);
      expect(errorCodeOf(wrong)).toBe('otp_expired');
    }

    const right = await requestFrom(attacker, 'POST', '/auth/v1/verify', {
      type: 'magiclink',
      email,
      token: code
    });

    expect(right.status).toBe(429);
    expect(errorCodeOf(right)).toBe('over_request_rate_limit');
  });

  it('stops the same address on email links', async () => {
    const tokenHash = createHash('sha224')
      .update(email + code)
      .digest('hex');

    const link = await requestFrom(
      attacker,
      'GET',
      `/auth/v1/verify?token=${tokenHash}&type=magiclink&redirect_to=${encodeURIComponent(env.SITE_URL)}`
    );

    expect(link.status).toBe(303);
    const fragment = new URLSearchParams(new URL(String(link.headers.location)).hash.slice(1));
    expect(fragment.get('error_code')).toBe('over_request_rate_limit');
    expect(fragment.has('access_token')).toBe(false);
  });

  it('still lets another address use the code', async () => {
    const owner = await requestFrom('127.0.0.1', 'POST', '/auth/v1/verify', {
      type: 'magiclink',
      email,
      token: code
    });

    expect(owner.status).toBe(200);
    expect((JSON.parse(owner.body) as { user: { email: string } }).user.email).toBe(email);
  });
});

describe('concurrent code guessing', () => {
  it('lets only the failure limit through', async () => {
    const { email } = await createConfirmedUser('attack-burst');
    const code = await requestCode(email);
    const attacker = freshLoopbackAddress();

    const responses = await Promise.all(
      wrongCodes(code, FAILURE_LIMIT + 10).map((guess) =>
        requestFrom(attacker, 'POST', '/auth/v1/verify', { type: 'magiclink', email, token: guess })
      )
    );

    const codes = responses.map(errorCodeOf);
    expect(codes.filter((value) => value === 'otp_expired')).toHaveLength(FAILURE_LIMIT);
    expect(codes.filter((value) => value === 'over_request_rate_limit')).toHaveLength(10);
  });
});

describe('email link guessing', () => {
  it('stops an address after the failure limit', async () => {
    const { email } = await createConfirmedUser('attack-link');
    const code = await requestCode(email);
    const attacker = freshLoopbackAddress();

    for (const guess of wrongCodes(code, FAILURE_LIMIT)) {
      const hash = createHash('sha224')
        .update(email + guess)
        .digest('hex');
      const wrong = await requestFrom(
        attacker,
        'GET',
        `/auth/v1/verify?token=${hash}&type=magiclink`
      );
      const fragment = new URLSearchParams(new URL(String(wrong.headers.location)).hash.slice(1));
      expect(fragment.get('error_code')).toBe('otp_expired');
    }

    const right = await requestFrom(attacker, 'POST', '/auth/v1/verify', {
      type: 'magiclink',
      token_hash: createHash('sha224')
        .update(email + code)
        .digest('hex')
    });

    expect(right.status).toBe(429);
    expect(errorCodeOf(right)).toBe('over_request_rate_limit');
  });
});

describe('password guessing', () => {
  let account = { email: '', password: '' };
  const attacker = freshLoopbackAddress();

  beforeAll(async () => {
    account = await createConfirmedUser('attack-password');
  });

  it(
    'stops an address after the failure limit',
    async () => {
      for (let guess = 0; guess < FAILURE_LIMIT; guess += 1) {
        const wrong = await requestFrom(attacker, 'POST', '/auth/v1/token?grant_type=password', {
          email: account.email,
          password: `guess-${guess}`
        });
        expect(wrong.status).toBe(400);
        expect(errorCodeOf(wrong)).toBe('invalid_credentials');
      }

      const right = await requestFrom(
        attacker,
        'POST',
        '/auth/v1/token?grant_type=password',
        account
      );

      expect(right.status).toBe(429);
      expect(errorCodeOf(right)).toBe('over_request_rate_limit');
    },
    PASSWORD_CASE_TIMEOUT_MS
  );

  it(
    'lets only the failure limit through at once',
    async () => {
      const burst = freshLoopbackAddress();

      const responses = await Promise.all(
        Array.from({ length: FAILURE_LIMIT + 5 }, (_, guess) =>
          requestFrom(burst, 'POST', '/auth/v1/token?grant_type=password', {
            email: account.email,
            password: `burst-${guess}`
          })
        )
      );

      const codes = responses.map(errorCodeOf);
      expect(codes.filter((value) => value === 'invalid_credentials')).toHaveLength(FAILURE_LIMIT);
      expect(codes.filter((value) => value === 'over_request_rate_limit')).toHaveLength(5);
    },
    PASSWORD_CASE_TIMEOUT_MS
  );

  it('still lets another address sign in', async () => {
    const owner = await requestFrom(
      '127.0.0.1',
      'POST',
      '/auth/v1/token?grant_type=password',
      account
    );

    expect(owner.status).toBe(200);
  });
});

describe('redirect_to of an email link', () => {
  // The token is unknown, so each request is a failed check: send them from an address of
  // their own.
  const visitor = freshLoopbackAddress();

  it.each([
    'https://evil.example/steal',
    'http://127.0.0.1:5173@evil.example/',
    'http://127.0.0.1:5173.evil.example/',
    'http://evil.example/http://127.0.0.1:5173/',
    '//evil.example/',
    'javascript:alert(1)//127.0.0.1:5173/'
  ])('falls back to the site URL for %s', async (target) => {
    const response = await requestFrom(
      visitor,
      'GET',
      `/auth/v1/verify?token=${'0'.repeat(56)}&type=magiclink&redirect_to=${encodeURIComponent(target)}`
    );

    expect(response.status).toBe(303);
    const location = new URL(String(response.headers.location));
    expect(location.origin).toBe(new URL(env.SITE_URL).origin);
  });
});
