import { badRequest } from '../errors.ts';
import { sendAuthJson } from '../reply.ts';
import type { RouteRequest } from '../route.ts';

/** OAuth providers that Supabase Auth lists in /settings; none is enabled locally. */
const EXTERNAL_PROVIDERS = [
  'anonymous_users',
  'apple',
  'azure',
  'bitbucket',
  'discord',
  'facebook',
  'figma',
  'fly',
  'github',
  'gitlab',
  'google',
  'kakao',
  'keycloak',
  'linkedin_oidc',
  'notion',
  'slack_oidc',
  'spotify',
  'twitch',
  'twitter',
  'workos',
  'zoom',
  'phone'
];

/** GET /health. */
export async function handleHealth({ req, res }: RouteRequest): Promise<void> {
  sendAuthJson(req, res, 200, {
    version: 'v2-brankas-local',
    name: 'GoTrue',
    description:
      'Local Auth service of the Brankas stack, compatible with Supabase Auth (GoTrue) v2'
  });
}

/** GET /settings: which sign-in methods are on and whether new accounts confirm by email. */
export async function handleSettings({ auth, req, res }: RouteRequest): Promise<void> {
  const external: Record<string, boolean> = { email: true };
  for (const provider of EXTERNAL_PROVIDERS) external[provider] = false;

  sendAuthJson(req, res, 200, {
    external,
    disable_signup: !auth.settings.enableSignup,
    mailer_autoconfirm: !auth.settings.enableConfirmations,
    phone_autoconfirm: false,
    sms_provider: '',
    saml_enabled: false
  });
}

/** GET /.well-known/jwks.json: empty, because tokens are signed with a shared HS256 secret. */
export async function handleJwks({ req, res }: RouteRequest): Promise<void> {
  sendAuthJson(req, res, 200, { keys: [] });
}

/** GET /authorize: OAuth sign-in, which the local stack does not offer. */
export async function handleAuthorize({ query }: RouteRequest): Promise<void> {
  const provider = query.get('provider') ?? '';
  throw badRequest(
    'provider_disabled',
    `Unsupported provider: "${provider}" is not enabled on the local stack; sign in with email instead.`
  );
}
