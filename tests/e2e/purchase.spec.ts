import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import {
  createBuyer,
  paymentsSandboxUrl,
  seedFileSha256,
  sha256,
  signInWithPassword
} from './support';

test('card purchase reaches the library and downloads', async ({ page }) => {
  const buyer = await createBuyer();
  await signInWithPassword(page, buyer.email, buyer.password);
  await expect(page.getByText('Your library is empty.')).toBeVisible();

  await page.getByRole('link', { name: 'Browse the store' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Store');
  const card = page.getByRole('article', { name: 'GNU grep Manual' });
  await expect(card.getByText('$4.50')).toBeVisible();
  await card.getByRole('link', { name: 'GNU grep Manual' }).click();

  await expect(page).toHaveURL(/\/products\/gnu-grep-manual$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('GNU grep Manual');
  await page.getByLabel('Card (Stripe)').check();
  await page.getByRole('button', { name: 'Buy for $4.50' }).click();

  // The payment sandbox replaces Stripe's hosted checkout page locally.
  const sandbox = paymentsSandboxUrl();
  await page.waitForURL((url) => url.origin === sandbox);
  await page.getByRole('button', { name: 'Pay', exact: true }).click();

  await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('order-paid')).toContainText(
    'Payment received. Your purchase is in your library.'
  );
  await expect(page.locator('[data-status]').first()).toHaveText('Paid');
  await page.getByRole('link', { name: 'Go to my library' }).click();

  await expect(page).toHaveURL(/\/library$/);
  const purchase = page.getByRole('article', { name: 'GNU grep Manual' });
  await expect(purchase.getByTestId('access')).toHaveText('Access for life');
  await expect(purchase.getByTestId('remaining')).toHaveText('5 downloads left');

  const downloadEvent = page.waitForEvent('download');
  await purchase.getByRole('button', { name: 'Download grep.info.gz' }).click();
  const download = await downloadEvent;
  expect(download.suggestedFilename()).toBe('grep.info.gz');
  expect(sha256(readFileSync(await download.path()))).toBe(
    seedFileSha256('gnu-grep-manual/grep.info.gz')
  );
  await expect(purchase.getByTestId('remaining')).toHaveText('4 downloads left');
});
