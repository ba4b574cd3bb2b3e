import { describe, expect, it } from 'vitest';
import { isAwaitingPayment, proofObjectPath } from '../../src/lib/orders';

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
