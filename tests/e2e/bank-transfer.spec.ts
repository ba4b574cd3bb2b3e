import { expect, test, type Browser, type Page } from '@playwright/test';
import { ADMIN, createBuyer, signInWithPassword } from './support';

/** A 1×1 PNG, enough for the `payment-proofs` bucket, which takes images and PDFs only. */
const PROOF_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64'
);

/** Signs a new buyer in and orders the specification by bank transfer; returns the reference. */
async function startTransfer(page: Page): Promise<string> {
  const buyer = await createBuyer();
  await signInWithPassword(page, buyer.email, buyer.password);

  await page.goto('/products/shared-mime-info-spec');
  await page.getByLabel('Bank transfer').check();
  await page.getByRole('button', { name: 'Buy for Rp\u00a075.000' }).click();
  await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);

  const transfer = page.getByRole('region', { name: 'Pay by bank transfer' });
  await expect(transfer.getByText('Bank Demo Indonesia')).toBeVisible();
  await expect(transfer.getByText('PT Brankas Digital Demo')).toBeVisible();
  await expect(transfer.getByTestId('account-number')).toHaveText('1234567890');
  await expect(transfer.getByText('Rp\u00a075.000')).toBeVisible();
  const reference = (await transfer.getByTestId('transfer-reference').textContent()) ?? '';
  expect(reference).toMatch(/^BRK-[2-9A-HJ-NP-Z]{6}$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Order ${reference}`);
  await expect(page.locator('[data-status]').first()).toHaveText('Awaiting payment');
  return reference;
}

/** Sends a PNG proof on the order page and waits for the verifying state. */
async function sendProof(page: Page): Promise<void> {
  const transfer = page.getByRole('region', { name: 'Pay by bank transfer' });
  await transfer.getByLabel('Proof of transfer (image or PDF)').setInputFiles({
    name: 'bukti transfer.png',
    mimeType: 'image/png',
    buffer: PROOF_PNG
  });
  await transfer.getByRole('button', { name: 'Send proof' }).click();

  await expect(page.getByTestId('order-verifying')).toContainText('Verifying payment…');
  await expect(page.getByText('Thank you. We received your proof')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Pay by bank transfer' })).toHaveCount(0);
  await expect(page.locator('[data-status]').first()).toHaveText('Proof received');
  await expect(page.getByRole('alert')).toHaveCount(0);
}

/** Signs a new buyer in, orders the specification by bank transfer and sends a proof. */
async function orderByTransfer(page: Page): Promise<string> {
  const reference = await startTransfer(page);
  await page.screenshot({ path: '/tmp/brankas-order-transfer-1280.png', fullPage: true });
  await sendProof(page);
  await page.screenshot({ path: '/tmp/brankas-order-verifying-1280.png', fullPage: true });
  return reference;
}

async function openAdmin(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInWithPassword(page, ADMIN.email, ADMIN.password);
  await page.getByRole('link', { name: 'Admin' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Admin');
  return page;
}

test('admin approves a bank transfer', async ({ page, browser }) => {
  const reference = await orderByTransfer(page);

  const admin = await openAdmin(browser);
  const review = admin.getByRole('article', { name: reference });
  await expect(review.getByText('Rp\u00a075.000')).toBeVisible();
  await expect(review.getByRole('link', { name: 'View proof' })).toHaveAttribute(
    'href',
    /\/storage\/v1\/object\/sign\/payment-proofs\/.+\/bukti-transfer\.png\?token=/
  );
  await admin.screenshot({ path: '/tmp/brankas-admin-1280.png', fullPage: true });
  await review.getByRole('button', { name: 'Approve' }).click();

  await expect(admin.getByText(`Order ${reference} was approved.`)).toBeVisible();
  await expect(admin.getByRole('article', { name: reference })).toHaveCount(0);
  const row = admin.getByRole('row').filter({ hasText: reference });
  await expect(row.locator('[data-status]')).toHaveText('Paid');
  await admin.context().close();

  // The buyer's order page notices the approval by itself.
  await expect(page.getByTestId('order-paid')).toBeVisible();
  await page.getByRole('link', { name: 'Go to my library' }).click();
  const purchase = page.getByRole('article', { name: 'Shared MIME-info Database Specification' });
  await expect(purchase.getByTestId('access')).toHaveText('Access for life');
  await expect(
    purchase.getByRole('button', { name: 'Download shared-mime-info-spec.pdf' })
  ).toBeVisible();
});

test('admin rejects a bank transfer with a reason', async ({ page, browser }) => {
  const reference = await orderByTransfer(page);

  const admin = await openAdmin(browser);
  const review = admin.getByRole('article', { name: reference });
  await review.getByRole('button', { name: 'Reject' }).click();
  await review.getByRole('button', { name: 'Reject' }).last().click();
  await expect(review.getByText('Write the reason the buyer will see.')).toBeVisible();
  await review.getByLabel('Reason for rejecting').fill('The transfer did not reach the account.');
  await review.getByRole('button', { name: 'Reject' }).last().click();
  await expect(admin.getByText(`Order ${reference} was rejected.`)).toBeVisible();
  await admin.context().close();

  await expect(
    page.getByText('The proof was rejected: The transfer did not reach the account.')
  ).toBeVisible();
  await expect(page.locator('[data-status]').first()).toHaveText('Failed');
  await page.getByRole('link', { name: 'My library' }).click();
  await expect(page.getByText('Your library is empty.')).toBeVisible();
});

test('proof of a wrong type or size names the rule', async ({ page }) => {
  const reference = await startTransfer(page);
  const transfer = page.getByRole('region', { name: 'Pay by bank transfer' });
  const input = transfer.getByLabel('Proof of transfer (image or PDF)');
  await expect(input).toHaveAttribute('accept', 'image/png,image/jpeg,image/webp,application/pdf');
  await expect(transfer.getByText('PNG, JPEG, WebP or PDF, up to 10.5 MB.')).toBeVisible();

  await input.setInputFiles({
    name: 'receipt.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('paid')
  });
  await transfer.getByRole('button', { name: 'Send proof' }).click();
  await expect(transfer.getByRole('alert')).toHaveText(
    'This file type is not accepted. Send a PNG, JPEG or WebP image, or a PDF.'
  );

  await input.setInputFiles({
    name: 'scan.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.alloc(10 * 1024 * 1024 + 1)
  });
  await transfer.getByRole('button', { name: 'Send proof' }).click();
  await expect(transfer.getByRole('alert')).toHaveText(
    'The file is larger than 10.5 MB. Send a smaller image or PDF.'
  );

  await sendProof(page);

  await page.goto('/orders');
  const row = page.getByRole('listitem').filter({ hasText: reference });
  await expect(row.locator('[data-status]')).toHaveText('Proof received');
  await page.screenshot({ path: '/tmp/appfix-orders-1280.png', fullPage: true });

  await page.setViewportSize({ width: 360, height: 780 });
  const badge = (await row.locator('[data-status]').boundingBox())!;
  const total = (await row.getByText('Rp\u00a075.000').boundingBox())!;
  const card = (await row.boundingBox())!;
  // At 360 px the status starts at the card's left edge and the total shares its line.
  expect(badge.x).toBeLessThan(card.x + card.width / 4);
  expect(total.x + total.width).toBeGreaterThan(card.x + (card.width * 3) / 4);
  expect(Math.abs(badge.y + badge.height / 2 - (total.y + total.height / 2))).toBeLessThan(4);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth).toBe(360);
  await page.screenshot({ path: '/tmp/appfix-orders-360.png', fullPage: true });
});
