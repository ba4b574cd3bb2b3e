import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';

/** The shared HS256 secret of every Supabase CLI project, so demo keys match `supabase start`. */
export const DEMO_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';

/** The expiry the Supabase CLI puts in its demo API keys (2032-11-12). */
const DEMO_KEY_EXPIRY = 1983812996;

export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface FunctionConfig {
  name: string;
  dir: string;
  verifyJwt: boolean;
}

export interface StackConfig {
  rootDir: string;
  supabaseDir: string;
  dataDir: string;
  ports: {
    gateway: number;
    db: number;
    mail: number;
    payments: number;
    postgrest: number;
    functionsBase: number;
  };
  apiUrl: string;
  mailUrl: string;
  paymentsUrl: string;
  dbUrl: string;
  jwtSecret: string;
  anonKey: string;
  serviceRoleKey: string;
  api: { schemas: string[]; extraSearchPath: string[]; maxRows: number };
  auth: {
    siteUrl: string;
    additionalRedirectUrls: string[];
    jwtExpiry: number;
    enableSignup: boolean;
    enableConfirmations: boolean;
    otpExpiry: number;
  };
  storage: { fileSizeLimit: number };
  functions: FunctionConfig[];
}

const tomlSchema = z.object({
  api: z
    .object({
      port: z.number().int().default(54321),
      schemas: z.array(z.string()).default(['public', 'graphql_public']),
      extra_search_path: z.array(z.string()).default(['public', 'extensions']),
      max_rows: z.number().int().default(1000)
    })
    .default({ port: 54321, schemas: ['public'], extra_search_path: ['public'], max_rows: 1000 }),
  db: z.object({ port: z.number().int().default(54322) }).default({ port: 54322 }),
  inbucket: z.object({ port: z.number().int().default(54324) }).default({ port: 54324 }),
  storage: z
    .object({ file_size_limit: z.string().default('50MiB') })
    .default({ file_size_limit: '50MiB' }),
  auth: z.object({
    site_url: z.string().url(),
    additional_redirect_urls: z.array(z.string()).default([]),
    jwt_expiry: z.number().int().positive().default(3600),
    enable_signup: z.boolean().default(true),
    email: z
      .object({
        enable_confirmations: z.boolean().default(false),
        otp_expiry: z.number().int().positive().default(3600)
      })
      .default({ enable_confirmations: false, otp_expiry: 3600 })
  }),
  functions: z.record(z.string(), z.object({ verify_jwt: z.boolean().default(true) })).default({})
});

/** Parses a size such as "50MiB" or "2MB" into bytes, as config.toml writes them. */
export function parseSize(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?$/i.exec(value.trim());
  if (!match) {
    throw new Error(
      `Invalid size "${value}" in supabase/config.toml: write a number with B, KiB, MiB or GiB.`
    );
  }
  const units: Record<string, number> = {
    b: 1,
    kb: 1000,
    kib: 1024,
    mb: 1000 ** 2,
    mib: 1024 ** 2,
    gb: 1000 ** 3,
    gib: 1024 ** 3
  };
  return Math.round(Number(match[1]) * units[(match[2] ?? 'b').toLowerCase()]);
}

function readPortOffset(): number {
  const raw = process.env.BRANKAS_PORT_OFFSET ?? '0';
  const offset = Number(raw);
  if (!Number.isInteger(offset) || offset < 0 || offset > 9000) {
    throw new Error(`Invalid BRANKAS_PORT_OFFSET "${raw}": use a whole number from 0 to 9000.`);
  }
  return offset;
}

function listFunctions(supabaseDir: string, settings: Record<string, { verify_jwt: boolean }>) {
  const functionsDir = path.join(supabaseDir, 'functions');
  if (!existsSync(functionsDir)) return [];

  return readdirSync(functionsDir, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && !entry.name.startsWith('_') && !entry.name.startsWith('.')
    )
    .filter((entry) => existsSync(path.join(functionsDir, entry.name, 'index.ts')))
    .map((entry) => ({
      name: entry.name,
      dir: path.join(functionsDir, entry.name),
      verifyJwt: settings[entry.name]?.verify_jwt ?? true
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function signApiKey(secret: string, role: 'anon' | 'service_role'): Promise<string> {
  return new SignJWT({ iss: 'supabase-demo', role, exp: DEMO_KEY_EXPIRY })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}

/**
 * Builds the stack's settings from supabase/config.toml. BRANKAS_PORT_OFFSET shifts every port
 * so that a second stack (the test suite's) can run beside the development one, and
 * BRANKAS_DATA_DIR moves the database and stored files.
 */
export async function loadConfig(rootDir = ROOT_DIR): Promise<StackConfig> {
  const supabaseDir = path.join(rootDir, 'supabase');
  const tomlPath = path.join(supabaseDir, 'config.toml');
  const parsed = tomlSchema.safeParse(parseToml(readFileSync(tomlPath, 'utf8')));
  if (!parsed.success) {
    throw new Error(`Invalid ${tomlPath}: ${z.prettifyError(parsed.error)}`);
  }
  const toml = parsed.data;
  const offset = readPortOffset();
  const gateway = toml.api.port + offset;
  const ports = {
    gateway,
    db: toml.db.port + offset,
    mail: toml.inbucket.port + offset,
    payments: 54329 + offset,
    postgrest: 54330 + offset,
    functionsBase: 54340 + offset
  };
  const jwtSecret = process.env.BRANKAS_JWT_SECRET ?? DEMO_JWT_SECRET;
  const dataDir = path.resolve(rootDir, process.env.BRANKAS_DATA_DIR ?? '.brankas/dev');

  return {
    rootDir,
    supabaseDir,
    dataDir,
    ports,
    apiUrl: `http://127.0.0.1:${gateway}`,
    mailUrl: `http://127.0.0.1:${ports.mail}`,
    paymentsUrl: `http://127.0.0.1:${ports.payments}`,
    dbUrl: `postgresql://postgres:postgres@127.0.0.1:${ports.db}/postgres`,
    jwtSecret,
    anonKey: await signApiKey(jwtSecret, 'anon'),
    serviceRoleKey: await signApiKey(jwtSecret, 'service_role'),
    api: {
      schemas: toml.api.schemas,
      extraSearchPath: toml.api.extra_search_path,
      maxRows: toml.api.max_rows
    },
    auth: {
      siteUrl: process.env.BRANKAS_SITE_URL ?? toml.auth.site_url,
      additionalRedirectUrls: toml.auth.additional_redirect_urls,
      jwtExpiry: toml.auth.jwt_expiry,
      enableSignup: toml.auth.enable_signup,
      enableConfirmations: toml.auth.email.enable_confirmations,
      otpExpiry: toml.auth.email.otp_expiry
    },
    storage: { fileSizeLimit: parseSize(toml.storage.file_size_limit) },
    functions: listFunctions(supabaseDir, toml.functions)
  };
}
