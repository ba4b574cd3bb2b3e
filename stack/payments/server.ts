/**
 * The payment sandbox on ctx.config.ports.payments: a stand-in for the Stripe and Midtrans
 * APIs that the checkout function calls when STRIPE_API_BASE and MIDTRANS_SNAP_URL point here,
 * a hosted checkout page, and signed webhooks back to the payment-webhook function. State is
 * kept in memory, so a restart loses every session.
 *
 * Provider APIs (checked with the demo keys of supabase/functions/.env):
 *   POST /v1/checkout/sessions               Stripe, form-encoded, `Authorization: Bearer sk_…`
 *   GET  /v1/checkout/sessions/:id
 *   POST /v1/checkout/sessions/:id/expire
 *   POST /snap/v1/transactions               Midtrans Snap, Basic auth with the server key
 *   GET  /v2/:order_id/status                Midtrans status API, Basic auth
 *
 * Checkout page (what the buyer sees; each button sends the webhooks, then redirects back):
 *   GET  /pay/:id                            :id is a Stripe session id or a Snap token
 *   POST /pay/:id/pay | /pay/:id/pay-later | /pay/:id/cancel
 *
 * Test controls, JSON in and out; each returns `{"deliveries": [{provider, event_id, type,
 * status, body}]}` with the function's response to every webhook it sent:
 *   POST /sandbox/stripe/sessions/:id/pay            {"delayed"?: boolean}
 *   POST /sandbox/stripe/sessions/:id/async-payment  {"outcome": "succeeded" | "failed"}
 *   POST /sandbox/stripe/sessions/:id/expire
 *   POST /sandbox/stripe/sessions/:id/refund         {"amount"?: minor units, "order_item_id"?}
 *   POST /sandbox/stripe/sessions/:id/dispute        (also returns "dispute_id")
 *   POST /sandbox/stripe/disputes/:id/close          {"status": "won" | "lost"}
 *   POST /sandbox/midtrans/orders/:order_id/notify   {"transaction_status", "fraud_status"?,
 *                                                     "refund_amount"?: whole rupiah}
 *   GET  /sandbox/deliveries                         the last 100 webhooks sent
 */
import http from 'node:http';
import { z } from 'zod';
import type { StackContext } from '../context.ts';
import { readFunctionsEnv } from '../functions.ts';
import { PayloadTooLargeError, readJson, sendJson } from '../http.ts';
import { readSandboxSecrets } from './env.ts';
import { MidtransSandbox } from './midtrans.ts';
import { checkoutPage, formatMinor } from './page.ts';
import { StripeApiError, StripeSandbox } from './stripe.ts';
import { type Delivery, WebhookSender } from './webhooks.ts';

/** Raised by the /sandbox controls for a request they cannot carry out. */
class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message);
  }
}

const payControlSchema = z.object({ delayed: z.boolean().default(false) });
const asyncControlSchema = z.object({ outcome: z.enum(['succeeded', 'failed']) });
const refundControlSchema = z.object({
  amount: z.number().int().positive().optional(),
  order_item_id: z.uuid().optional()
});
const closeDisputeSchema = z.object({ status: z.enum(['won', 'lost']) });
const notifySchema = z.object({
  transaction_status: z.enum([
    'pending',
    'capture',
    'settlement',
    'deny',
    'cancel',
    'expire',
    'failure',
    'refund',
    'partial_refund',
    'chargeback',
    'partial_chargeback'
  ]),
  fraud_status: z.enum(['accept', 'challenge', 'deny']).optional(),
  refund_amount: z.number().int().positive().optional()
});

async function parseControl<T>(req: http.IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const body = await readJson(req);
  if (body === undefined)
    throw new ControlError(400, 'invalid_json', 'The request body is not valid JSON.');
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new ControlError(400, 'invalid_request', z.prettifyError(parsed.error));
  return parsed.data;
}

function redirect(res: http.ServerResponse, location: string): void {
  res.writeHead(303, { location, 'content-length': '0' });
  res.end();
}

function sendHtml(res: http.ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html)
  });
  res.end(html);
}

export function createPaymentsServer(ctx: StackContext): http.Server {
  const secrets = readSandboxSecrets(readFunctionsEnv(ctx.config));
  const log = (message: string) => ctx.log('payments', message);
  const webhooks = new WebhookSender(ctx.config.apiUrl, log);
  const stripe = new StripeSandbox({
    secretKey: secrets.stripeSecretKey,
    webhookSecret: secrets.stripeWebhookSecret,
    paymentsUrl: ctx.config.paymentsUrl,
    webhooks
  });
  const midtrans = new MidtransSandbox({
    serverKey: secrets.midtransServerKey,
    paymentsUrl: ctx.config.paymentsUrl,
    webhooks
  });

  function renderPage(res: http.ServerResponse, id: string): void {
    if (stripe.has(id)) {
      const { session, lineItems } = stripe.view(id);
      const closed = session.status === 'open' ? undefined : `This checkout is ${session.status}.`;
      sendHtml(
        res,
        200,
        checkoutPage({
          provider: 'Stripe',
          reference: session.metadata.reference ?? session.client_reference_id ?? session.id,
          lines: lineItems.map((item) => ({
            name: item.name,
            amount: formatMinor(item.unit_amount * item.quantity, item.currency)
          })),
          total: formatMinor(session.amount_total, session.currency),
          payPath: `/pay/${id}/pay`,
          payLaterPath: `/pay/${id}/pay-later`,
          cancelPath: `/pay/${id}/cancel`,
          closedMessage: closed
        })
      );
      return;
    }

    const transaction = midtrans.byToken(id);
    if (!transaction) {
      sendHtml(
        res,
        404,
        '<!doctype html><title>Not found</title><p>No checkout with this id exists in the sandbox.</p>'
      );
      return;
    }
    sendHtml(
      res,
      200,
      checkoutPage({
        provider: 'Midtrans',
        reference: transaction.orderId,
        lines: transaction.items.map((item) => ({
          name: item.name,
          amount: formatMinor(item.price * item.quantity * 100, 'IDR')
        })),
        total: formatMinor(transaction.grossAmount * 100, 'IDR'),
        payPath: `/pay/${id}/pay`,
        cancelPath: `/pay/${id}/cancel`,
        closedMessage:
          transaction.status === 'pending'
            ? undefined
            : `This transaction is ${transaction.status}.`
      })
    );
  }

  /** Handles a checkout page button: sends the webhooks, then redirects the buyer to the app. */
  async function pressButton(res: http.ServerResponse, id: string, button: string): Promise<void> {
    if (stripe.has(id)) {
      const { session } = stripe.view(id);
      if (button === 'cancel') {
        await stripe.expire(id);
        redirect(res, session.cancel_url ?? session.success_url);
        return;
      }
      await stripe.pay(id, { delayed: button === 'pay-later' });
      redirect(res, session.success_url);
      return;
    }

    const transaction = midtrans.byToken(id);
    if (!transaction || button === 'pay-later') {
      sendHtml(res, 404, '<!doctype html><title>Not found</title><p>No such checkout button.</p>');
      return;
    }
    await midtrans.transition(transaction.orderId, {
      status: button === 'cancel' ? 'expire' : 'settlement'
    });
    const finish = midtrans.finishRedirect(transaction);
    if (finish) redirect(res, finish);
    else
      sendHtml(
        res,
        200,
        '<!doctype html><title>Done</title><p>The sandbox sent the notification.</p>'
      );
  }

  async function control(
    req: http.IncomingMessage,
    path: string
  ): Promise<{ deliveries: Delivery[]; [key: string]: unknown }> {
    const session =
      /^\/sandbox\/stripe\/sessions\/([^/]+)\/(pay|async-payment|expire|refund|dispute)$/.exec(
        path
      );
    if (req.method === 'POST' && session) {
      const [, id, action] = session;
      switch (action) {
        case 'pay':
          return { deliveries: await stripe.pay(id, await parseControl(req, payControlSchema)) };
        case 'async-payment':
          return {
            deliveries: await stripe.asyncPayment(
              id,
              (await parseControl(req, asyncControlSchema)).outcome
            )
          };
        case 'expire':
          return { deliveries: await stripe.expire(id) };
        case 'refund': {
          const body = await parseControl(req, refundControlSchema);
          const metadata: Record<string, string> = body.order_item_id
            ? { order_item_id: body.order_item_id }
            : {};
          return { deliveries: await stripe.refund(id, { amount: body.amount, metadata }) };
        }
        default: {
          const opened = await stripe.openDispute(id);
          return { dispute_id: opened.disputeId, deliveries: opened.deliveries };
        }
      }
    }

    const dispute = /^\/sandbox\/stripe\/disputes\/([^/]+)\/close$/.exec(path);
    if (req.method === 'POST' && dispute) {
      return {
        deliveries: await stripe.closeDispute(
          dispute[1],
          (await parseControl(req, closeDisputeSchema)).status
        )
      };
    }

    const notify = /^\/sandbox\/midtrans\/orders\/([^/]+)\/notify$/.exec(path);
    if (req.method === 'POST' && notify) {
      const body = await parseControl(req, notifySchema);
      if (!midtrans.byOrder(notify[1])) {
        throw new ControlError(
          404,
          'not_found',
          `No Snap transaction exists for order_id ${notify[1]}.`
        );
      }
      const deliveries = await midtrans.transition(notify[1], {
        status: body.transaction_status,
        fraudStatus: body.fraud_status,
        refundAmount: body.refund_amount
      });
      return { deliveries };
    }

    if (req.method === 'GET' && path === '/sandbox/deliveries')
      return { deliveries: webhooks.recent() };
    throw new ControlError(404, 'not_found', `No sandbox control at ${req.method} ${path}.`);
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', ctx.config.paymentsUrl).pathname;

    if (path.startsWith('/v1/')) return stripe.handleApi(req, res, path);
    if (req.method === 'POST' && path === '/snap/v1/transactions')
      return midtrans.handleSnap(req, res);

    const status = /^\/v2\/([^/]+)\/status$/.exec(path);
    if (req.method === 'GET' && status)
      return midtrans.handleStatus(req, res, decodeURIComponent(status[1]));

    const page = /^\/pay\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && page) return renderPage(res, page[1]);

    const button = /^\/pay\/([^/]+)\/(pay|pay-later|cancel)$/.exec(path);
    if (req.method === 'POST' && button) return pressButton(res, button[1], button[2]);

    if (path.startsWith('/sandbox/')) {
      sendJson(res, 200, await control(req, path));
      return;
    }
    if (path === '/health') {
      sendJson(res, 200, { status: 'ok' });
      return;
    }
    sendJson(res, 404, {
      error: { code: 'not_found', message: `The payment sandbox has no ${req.method} ${path}.` }
    });
  }

  return http.createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof StripeApiError) return sendJson(res, error.status, error.toJSON());
      if (error instanceof ControlError)
        return sendJson(res, error.status, { error: { code: error.code, message: error.message } });
      if (error instanceof PayloadTooLargeError)
        return sendJson(res, 413, { error: { code: 'payload_too_large', message: error.message } });

      log(
        `Unhandled error on ${req.method} ${req.url}: ${error instanceof Error ? (error.stack ?? error.message) : error}`
      );
      sendJson(res, 500, {
        error: { code: 'internal_error', message: 'The payment sandbox failed; see the stack log.' }
      });
    });
  });
}
