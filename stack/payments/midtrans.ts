import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { readJson, sendJson } from '../http.ts';
import { midtransSignatureKey, type Delivery, type WebhookSender } from './webhooks.ts';

/**
 * Midtrans Snap and the transaction status API, held in memory: `POST /snap/v1/transactions`
 * opens a transaction, `GET /v2/:order_id/status` reports it, and every status change is sent
 * as an HTTP notification signed with the server key. Amounts are whole rupiah, as Midtrans
 * takes them; notifications write them with two decimals ("145000.00").
 */

const snapRequestSchema = z.object({
  transaction_details: z.object({
    order_id: z.string().min(1).max(50),
    gross_amount: z.number().int().positive()
  }),
  item_details: z
    .array(
      z.object({
        id: z.string().max(50).optional(),
        price: z.number().int().positive(),
        quantity: z.number().int().positive(),
        name: z.string().min(1).max(50)
      })
    )
    .optional(),
  customer_details: z
    .object({ email: z.string().optional(), first_name: z.string().optional() })
    .optional(),
  callbacks: z.object({ finish: z.url().optional() }).optional()
});

export type MidtransStatus =
  | 'pending'
  | 'capture'
  | 'settlement'
  | 'deny'
  | 'cancel'
  | 'expire'
  | 'failure'
  | 'refund'
  | 'partial_refund'
  | 'chargeback'
  | 'partial_chargeback';

export interface SnapTransaction {
  token: string;
  orderId: string;
  transactionId: string;
  grossAmount: number;
  items: { name: string; price: number; quantity: number }[];
  finishUrl: string | null;
  status: MidtransStatus;
  fraudStatus: 'accept' | 'challenge' | 'deny';
  paymentType: string;
  transactionTime: string;
  settlementTime: string | null;
  refundAmount: number;
}

/** Returns the status_code Midtrans sends with a transaction_status. */
export function midtransStatusCode(status: MidtransStatus, fraudStatus: string): string {
  if (status === 'pending' || (status === 'capture' && fraudStatus === 'challenge')) return '201';
  if (['deny', 'cancel', 'expire', 'failure'].includes(status)) return '202';
  return '200';
}

/** Midtrans writes times in Jakarta time (UTC+7) as "YYYY-MM-DD HH:mm:ss". */
function jakartaTime(date = new Date()): string {
  return new Date(date.getTime() + 7 * 3600 * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

const rupiah = (amount: number) => amount.toFixed(2);

export class MidtransSandbox {
  readonly #byToken = new Map<string, SnapTransaction>();
  readonly #byOrder = new Map<string, SnapTransaction>();

  constructor(
    private readonly options: { serverKey: string; paymentsUrl: string; webhooks: WebhookSender }
  ) {}

  #authorized(req: IncomingMessage): boolean {
    const match = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match) return false;
    const [user] = Buffer.from(match[1], 'base64').toString('utf8').split(':');
    return user === this.options.serverKey;
  }

  #unauthorized(res: ServerResponse): void {
    sendJson(res, 401, {
      status_code: '401',
      status_message:
        'Access denied due to unauthorized transaction, please check client or server key',
      error_messages: [
        'Access denied due to unauthorized transaction, please check client or server key'
      ]
    });
  }

  /** `POST /snap/v1/transactions` with Basic auth (server key as the user name). */
  async handleSnap(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.#authorized(req)) return this.#unauthorized(res);

    const parsed = snapRequestSchema.safeParse(await readJson(req));
    if (!parsed.success) {
      sendJson(res, 400, {
        error_messages: parsed.error.issues.map(
          (issue) => `${issue.path.join('.')} ${issue.message}`
        )
      });
      return;
    }
    const { transaction_details: details, item_details: items = [], callbacks } = parsed.data;
    if (items.length > 0) {
      const sum = items.reduce((total, item) => total + item.price * item.quantity, 0);
      if (sum !== details.gross_amount) {
        sendJson(res, 400, {
          error_messages: [
            'transaction_details.gross_amount is not equal to the sum of item_details'
          ]
        });
        return;
      }
    }
    if (this.#byOrder.has(details.order_id)) {
      sendJson(res, 400, {
        error_messages: ['transaction_details.order_id has already been taken']
      });
      return;
    }

    const transaction: SnapTransaction = {
      token: randomUUID(),
      orderId: details.order_id,
      transactionId: randomUUID(),
      grossAmount: details.gross_amount,
      items: items.map((item) => ({ name: item.name, price: item.price, quantity: item.quantity })),
      finishUrl: callbacks?.finish ?? null,
      status: 'pending',
      fraudStatus: 'accept',
      paymentType: 'bank_transfer',
      transactionTime: jakartaTime(),
      settlementTime: null,
      refundAmount: 0
    };
    this.#byToken.set(transaction.token, transaction);
    this.#byOrder.set(transaction.orderId, transaction);
    sendJson(res, 201, {
      token: transaction.token,
      redirect_url: `${this.options.paymentsUrl}/pay/${transaction.token}`
    });
  }

  /** `GET /v2/:order_id/status` with Basic auth. */
  handleStatus(req: IncomingMessage, res: ServerResponse, orderId: string): void {
    if (!this.#authorized(req)) return this.#unauthorized(res);

    const transaction = this.#byOrder.get(orderId);
    if (!transaction) {
      sendJson(res, 404, { status_code: '404', status_message: "Transaction doesn't exist." });
      return;
    }
    sendJson(res, 200, this.#notification(transaction));
  }

  hasToken(token: string): boolean {
    return this.#byToken.has(token);
  }

  byToken(token: string): SnapTransaction | undefined {
    return this.#byToken.get(token);
  }

  byOrder(orderId: string): SnapTransaction | undefined {
    return this.#byOrder.get(orderId);
  }

  #notification(transaction: SnapTransaction): Record<string, string> {
    const statusCode = midtransStatusCode(transaction.status, transaction.fraudStatus);
    const grossAmount = rupiah(transaction.grossAmount);
    const notification: Record<string, string> = {
      transaction_time: transaction.transactionTime,
      transaction_status: transaction.status,
      transaction_id: transaction.transactionId,
      status_message: 'midtrans payment notification',
      status_code: statusCode,
      signature_key: midtransSignatureKey(
        transaction.orderId,
        statusCode,
        grossAmount,
        this.options.serverKey
      ),
      payment_type: transaction.paymentType,
      order_id: transaction.orderId,
      merchant_id: 'G000000000',
      gross_amount: grossAmount,
      fraud_status: transaction.fraudStatus,
      currency: 'IDR'
    };
    if (transaction.settlementTime) notification.settlement_time = transaction.settlementTime;
    if (transaction.refundAmount > 0) notification.refund_amount = rupiah(transaction.refundAmount);
    return notification;
  }

  /**
   * Moves a transaction to a new status and sends the notification. `refundAmount` (whole
   * rupiah) is the cumulative refunded amount that refund statuses report.
   */
  async transition(
    orderId: string,
    change: {
      status: MidtransStatus;
      fraudStatus?: 'accept' | 'challenge' | 'deny';
      refundAmount?: number;
    }
  ): Promise<Delivery[]> {
    const transaction = this.#byOrder.get(orderId);
    if (!transaction) throw new Error(`No Snap transaction for order_id ${orderId}.`);

    transaction.status = change.status;
    transaction.fraudStatus = change.fraudStatus ?? (change.status === 'deny' ? 'deny' : 'accept');
    if (change.status === 'capture') transaction.paymentType = 'credit_card';
    if (change.status === 'settlement') transaction.settlementTime = jakartaTime();
    if (change.refundAmount !== undefined) transaction.refundAmount = change.refundAmount;
    if (change.status === 'refund' || change.status === 'chargeback')
      transaction.refundAmount = transaction.grossAmount;
    return [await this.options.webhooks.sendMidtransNotification(this.#notification(transaction))];
  }

  /** Returns where Snap sends the buyer when they leave the payment page. */
  finishRedirect(transaction: SnapTransaction): string | null {
    if (!transaction.finishUrl) return null;
    const url = new URL(transaction.finishUrl);
    url.searchParams.set('order_id', transaction.orderId);
    url.searchParams.set(
      'status_code',
      midtransStatusCode(transaction.status, transaction.fraudStatus)
    );
    url.searchParams.set('transaction_status', transaction.status);
    return url.toString();
  }
}
