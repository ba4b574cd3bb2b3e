import { expect, test } from '@playwright/test';
import { BUYER, signInWithPassword } from './support';

test.use({ viewport: { width: 360, height: 780 } });

test('password sign-in at 360 px and sign-out', async ({ page }) => {
  await signInWithPassword(page, BUYER.email, BUYER.password);

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My library');
  await expect(page.getByRole('article')).toHaveCount(3);
  const spec = page.getByRole('article', { name: 'Shared MIME-info Database Specification' });
  await expect(
    spec.getByRole('button', { name: 'Download shared-mime-info-spec.pdf' })
  ).toBeVisible();

  // Nothing is wider than the screen, so the page never scrolls sideways.
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth).toBe(360);
  await page.screenshot({ path: '/tmp/brankas-library-360.png', fullPage: true });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();

  await page.goto('/library');
  await expect(page).toHaveURL(/\/signin\?next=%2Flibrary$/);
});
