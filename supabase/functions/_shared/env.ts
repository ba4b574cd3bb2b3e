/** Startup checks of the environment an Edge Function needs. */

/** Raised at startup when a required environment variable is missing or empty. */
export class MissingEnvError extends Error {
  constructor(readonly names: string[]) {
    super(
      `Missing environment variable${names.length > 1 ? 's' : ''} ${names.join(', ')}: ` +
        'the Supabase platform and the local stack set SUPABASE_* for every function, and ' +
        'other values belong in supabase/functions/.env or the project secrets.',
    );
    this.name = 'MissingEnvError';
  }
}

/**
 * Reads the named variables from `source` (Deno.env by default) and throws MissingEnvError
 * naming every one that is unset or empty.
 */
export function requireEnv<const Name extends string>(
  names: readonly Name[],
  source: (name: string) => string | undefined = (name) => Deno.env.get(name),
): Record<Name, string> {
  const values = {} as Record<Name, string>;
  const missing: string[] = [];

  for (const name of names) {
    const value = source(name)?.trim();
    if (value) values[name] = value;
    else missing.push(name);
  }

  if (missing.length > 0) throw new MissingEnvError(missing);
  return values;
}

/** Reads an optional variable, treating an empty value as unset. */
export function optionalEnv(
  name: string,
  source: (name: string) => string | undefined = (key) => Deno.env.get(key),
): string | undefined {
  const value = source(name)?.trim();
  return value ? value : undefined;
}
