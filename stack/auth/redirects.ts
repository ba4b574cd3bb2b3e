const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/**
 * Compiles an allow-list glob the way Supabase Auth reads `additional_redirect_urls`, with `.`
 * and `/` as separators. `*` and `?` stay within one segment and `**` crosses segments.
 * `[abc]` and `[!abc]` match one character, and `{a,b}` matches either alternative.
 */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  let inAlternatives = false;
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index];
    if (char === '*' && pattern[index + 1] === '*') {
      source += '.*';
      index += 1;
    } else if (char === '*') {
      source += '[^./]*';
    } else if (char === '?') {
      source += '[^./]';
    } else if (char === '[') {
      const end = pattern.indexOf(']', index + 1);
      if (end === -1) {
        source += '\\[';
        continue;
      }
      const body = pattern.slice(index + 1, end);
      const negated = body.startsWith('!');
      const members = (negated ? body.slice(1) : body).replace(/[\\\]^]/g, '\\$&');
      source += negated ? `[^${members}]` : `[${members}]`;
      index = end;
    } else if (char === '{') {
      inAlternatives = true;
      source += '(?:';
    } else if (char === '}' && inAlternatives) {
      inAlternatives = false;
      source += ')';
    } else if (char === ',' && inAlternatives) {
      source += '|';
    } else {
      source += escapeRegex(char);
    }
  }
  return new RegExp(`^${source}$`);
}

function sameSite(candidate: URL, site: URL): boolean {
  if (candidate.protocol !== site.protocol || candidate.hostname !== site.hostname) return false;
  return candidate.port === site.port || LOOPBACK_HOSTS.has(candidate.hostname);
}

/**
 * Checks whether a redirect target is allowed: it has the site URL's scheme and host (any port on a
 * loopback host) or it matches one of the allow-list globs.
 */
export function isRedirectAllowed(
  target: string,
  settings: { siteUrl: string; additionalRedirectUrls: string[] }
): boolean {
  let candidate: URL;
  try {
    candidate = new URL(target);
  } catch {
    return false;
  }
  if (sameSite(candidate, new URL(settings.siteUrl))) return true;
  return settings.additionalRedirectUrls.some((pattern) => globToRegExp(pattern).test(target));
}

/** Picks where to send the user after an email link: `redirect_to`, the Referer, or the site URL. */
export function resolveRedirect(
  settings: { siteUrl: string; additionalRedirectUrls: string[] },
  requested: string | null | undefined,
  referer?: string | null
): string {
  if (requested && isRedirectAllowed(requested, settings)) return requested;
  if (referer && isRedirectAllowed(referer, settings)) return referer;
  return settings.siteUrl;
}
