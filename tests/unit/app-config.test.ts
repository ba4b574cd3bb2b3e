import { describe, expect, it } from 'vitest';
import { parsePublicConfig } from '../../src/lib/config';

const ANON_KEY = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJl';

describe('parsePublicConfig', () => {
  it('accepts a URL and a JWT and trims trailing slashes', () => {
    const result = parsePublicConfig({
      PUBLIC_SUPABASE_URL: 'http://127.0.0.1:54321/',
      PUBLIC_SUPABASE_ANON_KEY: ANON_KEY
    });

    expect(result).toEqual({
      ok: true,
      config: { supabaseUrl: 'http://127.0.0.1:54321', supabaseAnonKey: ANON_KEY }
    });
  });

  it('names every missing variable', () => {
    const result = parsePublicConfig({});

    expect(result).toEqual({
      ok: false,
      problems: [
        'PUBLIC_SUPABASE_URL must be an http(s) URL (it is not set).',
        'PUBLIC_SUPABASE_ANON_KEY is missing (it is not set).'
      ]
    });
  });

  it('shows the invalid values', () => {
    const result = parsePublicConfig({
      PUBLIC_SUPABASE_URL: 'ftp://example.test',
      PUBLIC_SUPABASE_ANON_KEY: 'not-a-jwt'
    });

    expect(result).toEqual({
      ok: false,
      problems: [
        'PUBLIC_SUPABASE_URL must be an http(s) URL (got "ftp://example.test").',
        'PUBLIC_SUPABASE_ANON_KEY must be a JWT (three dot-separated parts) (got "not-a-jwt").'
      ]
    });
  });
});
