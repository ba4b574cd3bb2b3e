import { describe, expect, it } from 'vitest';
import { DEMO_JWT_SECRET, loadConfig, parseSize } from '../../stack/config.ts';
import { shiftStackPorts } from '../../stack/functions.ts';

describe('parseSize', () => {
  it.each([
    ['50MiB', 52_428_800],
    ['2MB', 2_000_000],
    ['1 GiB', 1_073_741_824],
    ['512', 512],
    ['10KiB', 10_240]
  ])('reads %s as %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it('rejects a size without a number', () => {
    expect(() => parseSize('lots')).toThrow('Invalid size "lots" in supabase/config.toml');
  });
});

describe('shiftStackPorts', () => {
  it('moves loopback URLs on stack ports by the offset', () => {
    expect(shiftStackPorts('http://127.0.0.1:54329/v1', 1000)).toBe('http://127.0.0.1:55329/v1');
    expect(shiftStackPorts('http://localhost:54321', 100)).toBe('http://localhost:54421');
  });

  it('leaves other hosts and ports alone', () => {
    expect(shiftStackPorts('https://api.stripe.com:443', 1000)).toBe('https://api.stripe.com:443');
    expect(shiftStackPorts('http://127.0.0.1:5173', 1000)).toBe('http://127.0.0.1:5173');
  });
});

describe('loadConfig', () => {
  it('signs the Supabase CLI demo keys with the demo secret', async () => {
    const config = await loadConfig();

    expect(config.jwtSecret).toBe(DEMO_JWT_SECRET);
    expect(config.anonKey).toBe(
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0'
    );
  });

  it('shifts every port by BRANKAS_PORT_OFFSET', async () => {
    process.env.BRANKAS_PORT_OFFSET = '1000';
    try {
      const config = await loadConfig();

      expect(config.ports.gateway).toBe(55321);
      expect(config.ports.db).toBe(55322);
      expect(config.apiUrl).toBe('http://127.0.0.1:55321');
    } finally {
      delete process.env.BRANKAS_PORT_OFFSET;
    }
  });

  it('rejects an offset that is not a whole number', async () => {
    process.env.BRANKAS_PORT_OFFSET = 'ten';
    try {
      await expect(loadConfig()).rejects.toThrow('Invalid BRANKAS_PORT_OFFSET "ten"');
    } finally {
      delete process.env.BRANKAS_PORT_OFFSET;
    }
  });
});
