import { describe, expect, it } from 'vitest';
import {
  checkProofFile,
  displayStatus,
  isAwaitingPayment,
  PROOF_MAX_BYTES,
  proofObjectPath,
  providersFor
} from '../../src/lib/orders';

const USER = 'b0000000-0000-4000-8000-000000000001';
const ORDER = 'c0000000-0000-4000-8000-000000000001';

describe('isAwaitingPayment', () => {
  it.each([
    ['pending', true],
    ['awaiting_payment', true],
    ['needs_review', true],
    ['paid', false],
    ['failed', false],
    ['expired', false],
    ['refunded', false],
    ['partially_refunded', false],
    ['disputed', false]
  ] as const)('%s: %s', (status, expected) => {
    expect(isAwaitingPayment(status)).toBe(expected);
  });
});

describe('proofObjectPath', () => {
  it.each([
    ['transfer.png', 'transfer.png'],
    ['bukti transfer.PNG', 'bukti-transfer.png'],
    ['Struk BCA (1).jpeg', 'Struk-BCA-1.jpeg'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\ani\\bukti.jpg', 'bukti.jpg'],
    ['résumé.pdf', 'resume.pdf'],
    ['my.scan.final.PDF', 'my-scan-final.pdf'],
    ['.png', 'proof.png'],
    ['no-extension', 'no-extension'],
    ['...', 'proof']
  ])('stores %s as %s', (fileName, expected) => {
    expect(proofObjectPath(USER, ORDER, fileName)).toBe(`${USER}/${ORDER}/${expected}`);
  });

  it('keeps the name one path segment', () => {
    const path = proofObjectPath(USER, ORDER, 'a/b\\c.png');

    expect(path).toBe(`${USER}/${ORDER}/c.png`);
  });
});

describe('providersFor', () => {
  it('offers all three providers for IDR', () => {
    expect(providersFor('IDR')).toEqual(['stripe', 'midtrans', 'manual']);
  });

  it('leaves out Midtrans for USD', () => {
    expect(providersFor('USD')).toEqual(['stripe', 'manual']);
  });

  it('reads the currency code case-insensitively', () => {
    expect(providersFor('idr')).toEqual(['stripe', 'midtrans', 'manual']);
  });
});

describe('checkProofFile', () => {
  it.each([
    { type: 'image/png', size: 1_000, expected: null },
    { type: 'image/jpeg', size: PROOF_MAX_BYTES, expected: null },
    { type: 'image/webp', size: 1, expected: null },
    { type: 'application/pdf', size: 50_000, expected: null },
    { type: 'text/plain', size: 10, expected: 'proof_invalid_type' },
    { type: 'image/gif', size: 10, expected: 'proof_invalid_type' },
    { type: '', size: 10, expected: 'proof_invalid_type' },
    { type: 'application/pdf', size: PROOF_MAX_BYTES + 1, expected: 'proof_too_large' }
  ])('$type of $size bytes gives $expected', ({ type, size, expected }) => {
    expect(checkProofFile({ type, size })).toBe(expected);
  });

  it('matches the bucket limit of 10 MiB', () => {
    expect(PROOF_MAX_BYTES).toBe(10_485_760);
  });
});

describe('displayStatus', () => {
  const proof = { proof_path: `${USER}/${ORDER}/proof.png`, decision: null };

  it('shows proof_received for an undecided proof', () => {
    expect(displayStatus('awaiting_payment', proof)).toBe('proof_received');
  });

  it('keeps awaiting_payment without a proof', () => {
    expect(displayStatus('awaiting_payment', null)).toBe('awaiting_payment');
  });

  it('keeps awaiting_payment after a decision', () => {
    expect(displayStatus('awaiting_payment', { ...proof, decision: 'rejected' })).toBe(
      'awaiting_payment'
    );
  });

  it('keeps a settled status with a proof', () => {
    expect(displayStatus('paid', { ...proof, decision: 'approved' })).toBe('paid');
  });
});
