/**
 * `POST /functions/v1/checkout` with the buyer's access token and
 * `{"items": [{"product_id"}], "provider": "stripe" | "midtrans" | "manual"}`: creates an
 * order from the database's prices and opens the provider's checkout. Returns 201
 * `{"order_id", "reference", "status", "amount", "currency", "provider", "redirect_url"}`, or
 * for manual bank transfers `{..., "instructions": {"bank_name", "account_name",
 * "account_number", "reference", "amount", "currency"}}`. Amounts are ISO 4217 minor units.
 * Every failure is `{"error": {"code", "message"}}`.
 */
import { z } from 'zod';
import {
  errorResponse,
  jsonResponse,
  preflightResponse,
  readJsonBody,
  RequestBodyError,
} from '../_shared/http.ts';
import { AmountError } from '../_shared/payments/amounts.ts';
import { authenticateCaller, type Caller } from '../_shared/payments/caller.ts';
import { OrderError } from '../_shared/payments/errors.ts';
import {
  type CheckoutOrder,
  GatewayError,
  type MidtransSettings,
  type StripeSettings,
} from './providers.ts';

export const MAX_BODY_BYTES = 16 * 1024;

/** More products than this in one cart is almost certainly not a person shopping. */
export const MAX_CART_ITEMS = 50;

export const checkoutRequestSchema = z.object({
  items: z
    .array(z.object({ product_id: z.uuid({ error: 'must be a product UUID' }) }))
    .max(MAX_CART_ITEMS, { error: `must list at most ${MAX_CART_ITEMS} products` }),
  provider: z.enum(['stripe', 'midtrans', 'manual'], {
    error: 'must be "stripe", "midtrans" or "manual"',
  }),
});

export type CheckoutProvider = z.infer<typeof checkoutRequestSchema>['provider'];

export interface CreatedOrder extends CheckoutOrder {
  status: string;
}

export interface BankTransferSettings {
  bankName: string;
  accountName: string;
  accountNumber: string;
}

export type ProviderSettings =
  | { provider: 'stripe'; stripe: StripeSettings }
  | { provider: 'midtrans'; midtrans: MidtransSettings }
  | { provider: 'manual'; bank: BankTransferSettings };

export interface CheckoutDeps {
  /** Returns the caller of an access token, or null for a token Auth rejects. */
  getCaller(accessToken: string): Promise<Caller | null>;
  /** Calls public.create_order; throws OrderError for a rejection the buyer can act on. */
  createOrder(
    userId: string,
    provider: CheckoutProvider,
    productIds: string[],
  ): Promise<CreatedOrder>;
  /** Calls public.attach_checkout_session. */
  attachSession(orderId: string, sessionId: string): Promise<void>;
  /** Calls public.fail_checkout. */
  failCheckout(orderId: string, reason: string): Promise<void>;
  openStripeCheckout(
    settings: StripeSettings,
    order: CheckoutOrder,
    email: string | null,
  ): Promise<{ sessionId: string; redirectUrl: string }>;
  openSnapTransaction(
    settings: MidtransSettings,
    order: CheckoutOrder,
    email: string | null,
  ): Promise<{ token: string; redirectUrl: string }>;
  /** Reads one environment variable; an empty value counts as unset. */
  env(name: string): string | undefined;
  logError(message: string, error: unknown): void;
}

/** The environment variables each provider needs, in the order they are reported missing. */
export const providerVariables: Record<CheckoutProvider, string[]> = {
  stripe: ['STRIPE_SECRET_KEY', 'SITE_URL'],
  midtrans: ['MIDTRANS_SERVER_KEY', 'MIDTRANS_CLIENT_KEY', 'MIDTRANS_SNAP_URL', 'SITE_URL'],
  manual: ['BANK_TRANSFER_BANK_NAME', 'BANK_TRANSFER_ACCOUNT_NAME', 'BANK_TRANSFER_ACCOUNT_NUMBER'],
};

/** Reads a provider's settings, or returns the names of the variables that are not set. */
export function readProviderSettings(
  provider: CheckoutProvider,
  env: (name: string) => string | undefined,
): ProviderSettings | { missing: string[] } {
  const missing = providerVariables[provider].filter((name) => !env(name)?.trim());
  if (missing.length > 0) return { missing };

  const value = (name: string) => env(name)!.trim();
  switch (provider) {
    case 'stripe':
      return {
        provider,
        stripe: {
          secretKey: value('STRIPE_SECRET_KEY'),
          apiBase: env('STRIPE_API_BASE')?.trim() || undefined,
          siteUrl: value('SITE_URL'),
        },
      };
    case 'midtrans':
      return {
        provider,
        midtrans: {
          serverKey: value('MIDTRANS_SERVER_KEY'),
          snapUrl: value('MIDTRANS_SNAP_URL'),
          siteUrl: value('SITE_URL'),
        },
      };
    case 'manual':
      return {
        provider,
        bank: {
          bankName: value('BANK_TRANSFER_BANK_NAME'),
          accountName: value('BANK_TRANSFER_ACCOUNT_NAME'),
          accountNumber: value('BANK_TRANSFER_ACCOUNT_NUMBER'),
        },
      };
  }
}

function orderBody(order: CreatedOrder, provider: CheckoutProvider) {
  return {
    order_id: order.id,
    reference: order.reference,
    status: order.status,
    amount: order.total_amount,
    currency: order.currency,
    provider,
  };
}

function firstDuplicate(ids: string[]): string | null {
  const seen = new Set<string>();
  for (const id of ids) {
    const key = id.toLowerCase();
    if (seen.has(key)) return id;
    seen.add(key);
  }
  return null;
}

export function createCheckoutHandler(deps: CheckoutDeps): (request: Request) => Promise<Response> {
  async function openGateway(
    settings: ProviderSettings,
    order: CreatedOrder,
    caller: Caller,
  ): Promise<Response> {
    try {
      if (settings.provider === 'stripe') {
        const session = await deps.openStripeCheckout(settings.stripe, order, caller.email);
        await deps.attachSession(order.id, session.sessionId);
        return jsonResponse(201, {
          ...orderBody(order, 'stripe'),
          redirect_url: session.redirectUrl,
        });
      }
      if (settings.provider === 'midtrans') {
        const snap = await deps.openSnapTransaction(settings.midtrans, order, caller.email);
        await deps.attachSession(order.id, snap.token);
        return jsonResponse(201, {
          ...orderBody(order, 'midtrans'),
          redirect_url: snap.redirectUrl,
        });
      }
    } catch (error) {
      if (error instanceof AmountError) {
        deps.logError(`Order ${order.id} cannot be sent to ${settings.provider}.`, error);
        await deps.failCheckout(order.id, error.message);
        return errorResponse(422, error.code, error.message);
      }
      if (error instanceof GatewayError) {
        deps.logError(`Checkout of order ${order.id} failed at the gateway.`, error);
        await deps.failCheckout(order.id, error.message);
        return errorResponse(
          502,
          'provider_error',
          `${settings.provider} could not open a checkout for order ${order.reference}: try ` +
            'again in a minute, or choose another payment method.',
        );
      }
      throw error;
    }

    const bank = (settings as Extract<ProviderSettings, { provider: 'manual' }>).bank;
    return jsonResponse(201, {
      ...orderBody(order, 'manual'),
      instructions: {
        bank_name: bank.bankName,
        account_name: bank.accountName,
        account_number: bank.accountNumber,
        reference: order.reference,
        amount: order.total_amount,
        currency: order.currency,
      },
    });
  }

  async function handle(request: Request): Promise<Response> {
    if (request.method === 'OPTIONS') return preflightResponse();
    if (request.method !== 'POST') {
      return errorResponse(
        405,
        'method_not_allowed',
        `Use POST to check out, not ${request.method}.`,
        {
          allow: 'POST, OPTIONS',
        },
      );
    }

    const caller = await authenticateCaller(request, deps.getCaller);
    if (caller instanceof Response) return caller;

    const parsed = checkoutRequestSchema.safeParse(await readJsonBody(request, MAX_BODY_BYTES));
    if (!parsed.success) {
      return errorResponse(
        400,
        'invalid_request',
        `Invalid checkout request: ${z.prettifyError(parsed.error)}`,
      );
    }
    const { provider } = parsed.data;
    const productIds = parsed.data.items.map((item) => item.product_id);

    if (productIds.length === 0) {
      return errorResponse(
        400,
        'cart_empty',
        'The cart is empty: add at least one product before checking out.',
      );
    }
    const duplicate = firstDuplicate(productIds);
    if (duplicate) {
      return errorResponse(
        400,
        'cart_duplicate_product',
        `Product ${duplicate} is in the cart more than once: keep one of each.`,
      );
    }

    const settings = readProviderSettings(provider, deps.env);
    if ('missing' in settings) {
      return errorResponse(
        422,
        'provider_not_configured',
        `Payment provider ${provider} is not configured: set ${
          settings.missing.join(', ')
        } in the ` +
          'functions environment (supabase/functions/.env locally, project secrets when deployed).',
      );
    }

    let order: CreatedOrder;
    try {
      order = await deps.createOrder(caller.id, provider, productIds);
    } catch (error) {
      if (error instanceof OrderError) {
        return errorResponse(error.status, error.code, error.message);
      }
      throw error;
    }
    return await openGateway(settings, order, caller);
  }

  return async (request) => {
    try {
      return await handle(request);
    } catch (error) {
      if (error instanceof RequestBodyError) return error.response;
      deps.logError('Checkout failed unexpectedly.', error);
      return errorResponse(
        500,
        'internal_error',
        'Checkout failed on our side: try again in a minute.',
      );
    }
  };
}
