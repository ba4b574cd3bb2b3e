import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import {
  BUYER,
  longDate,
  seedFileSha256,
  serviceClient,
  sha256,
  signInWithPassword,
  waitForAuthLink
} from './support';

const SPEC_PURCHASE = '30000000-0000-4000-8000-000000000001';
const LIMITED_PURCHASE = '30000000-0000-4000-8000-000000000002';
const EXPIRED_PURCHASE = '30000000-0000-4000-8000-000000000003';

async function purchaseRow(id: string) {
  const { data, error } = await serviceClient()
    .from('purchases')
    .select('expires_at, download_limit, download_count')
    .eq('id', id)
    .single();
  if (error) throw new Error(`Reading purchase ${id} failed: ${error.message}`);
  return data as {
    expires_at: string | null;
    download_limit: number | null;
    download_count: number;
  };
}

async function setDownloadCount(id: string, count: number): Promise<void> {
  const { error } = await serviceClient()
    .from('purchases')
    .update({ download_count: count })
    .eq('id', id);
  if (error) throw new Error(`Setting download_count of purchase ${id} failed: ${error.message}`);
}

test('magic link sign-in downloads the purchased file', async ({ page }) => {
  const requestedAt = new Date(Date.now() - 1000);

  await page.goto('/signin');
  await page.getByLabel('Email address').fill(BUYER.email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Check your inbox' })).toHaveText(
    `Check your inbox: we sent a sign-in link to ${BUYER.email}.`
  );

  const link = await waitForAuthLink(BUYER.email, requestedAt);
  await page.goto(link);
  await expect(page).toHaveURL(/\/library$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My library');

  const spec = page.getByRole('article', { name: 'Shared MIME-info Database Specification' });
  await expect(spec.getByTestId('access')).toHaveText('Access for life');
  await expect(spec.getByText('shared-mime-info-spec.pdf')).toBeVisible();
  await expect(spec.getByTestId('remaining')).toHaveCount(0);
  const before = await purchaseRow(SPEC_PURCHASE);

  const downloadEvent = page.waitForEvent('download');
  await spec.getByRole('button', { name: 'Download shared-mime-info-spec.pdf' }).click();
  const download = await downloadEvent;

  expect(download.suggestedFilename()).toBe('shared-mime-info-spec.pdf');
  const bytes = readFileSync(await download.path());
  expect(bytes.length).toBe(140429);
  expect(sha256(bytes)).toBe(seedFileSha256('shared-mime-info-spec/shared-mime-info-spec.pdf'));
  expect((await purchaseRow(SPEC_PURCHASE)).download_count).toBe(before.download_count + 1);
});

test('library shows expiry and remaining downloads', async ({ page }) => {
  await signInWithPassword(page, BUYER.email, BUYER.password);

  const expiredRow = await purchaseRow(EXPIRED_PURCHASE);
  const expired = page.getByRole('article', { name: 'Plucked String Samples' });
  await expect(expired.getByTestId('access')).toHaveText(
    `Access expired on ${longDate(expiredRow.expires_at as string)}`
  );
  await expect(expired.getByText('pluck-pcm16.wav')).toBeVisible();
  await expect(expired.getByRole('button')).toHaveCount(0);

  const limitedRow = await purchaseRow(LIMITED_PURCHASE);
  const limited = page.getByRole('article', { name: 'GNU Libtasn1 Reference Manual' });
  await expect(limited.getByTestId('access')).toHaveText(
    `Access until ${longDate(limitedRow.expires_at as string)}`
  );
  const left = (limitedRow.download_limit as number) - limitedRow.download_count;
  await expect(limited.getByTestId('remaining')).toHaveText(`${left} downloads left`);
  await expect(limited.getByRole('button', { name: 'Download libtasn1.pdf' })).toBeEnabled();

  await expect(page.getByRole('article')).toHaveCount(3);
});

test('refused download explains the reason', async ({ page }) => {
  await signInWithPassword(page, BUYER.email, BUYER.password);
  const limited = page.getByRole('article', { name: 'GNU Libtasn1 Reference Manual' });
  await expect(limited.getByRole('button', { name: 'Download libtasn1.pdf' })).toBeEnabled();

  // Use up the limit behind the page's back, as a download in another tab would.
  const original = await purchaseRow(LIMITED_PURCHASE);
  await setDownloadCount(LIMITED_PURCHASE, original.download_limit as number);
  try {
    await limited.getByRole('button', { name: 'Download libtasn1.pdf' }).click();

    await expect(limited.getByRole('alert')).toHaveText(
      'You have used all downloads for this product.'
    );
    await expect(limited.getByTestId('access')).toHaveText('All downloads used');
    await expect(limited.getByRole('button')).toHaveCount(0);
  } finally {
    await setDownloadCount(LIMITED_PURCHASE, original.download_count);
  }
});
