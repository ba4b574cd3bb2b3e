import { expect, test } from '@playwright/test';
import { BUYER, signInWithPassword, waitForAuthLink } from './support';

test('reused magic link shows the failure', async ({ page }) => {
  const requestedAt = new Date(Date.now() - 1000);
  await page.goto('/signin');
  await page.getByLabel('Email address').fill(BUYER.email);
  await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
  const link = await waitForAuthLink(BUYER.email, requestedAt);

  // Spend the one-time link outside the browser, as if it had been opened elsewhere.
  const spent = await fetch(link, { redirect: 'manual' });
  expect(spent.status).toBe(303);
  await page.goto(link);

  await expect(page).toHaveURL(/\/auth\/callback/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('The sign-in link did not work');
  await expect(
    page.getByText('The link has expired or was already used. Request a new one.')
  ).toBeVisible();
  await page.getByRole('link', { name: 'Back to sign in' }).click();
  await expect(page).toHaveURL(/\/signin$/);
});

test('wrong password shows the reason', async ({ page }) => {
  await page.goto('/signin');
  await page.getByLabel('Email address').fill(BUYER.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();

  await expect(page.getByRole('alert')).toHaveText(
    'The email or password is wrong. Check both and try again.'
  );
  await expect(page).toHaveURL(/\/signin$/);
});

test('Enter in the password field signs in', async ({ page }) => {
  await page.goto('/signin');
  await page.getByLabel('Email address').fill(BUYER.email);
  await page.getByLabel('Password').fill(BUYER.password);
  await page.getByLabel('Password').press('Enter');

  await expect(page).toHaveURL(/\/library$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My library');
});

test('Enter without a password asks for it', async ({ page }) => {
  await page.goto('/signin');
  await page.getByLabel('Email address').fill(BUYER.email);
  await page.getByLabel('Email address').press('Enter');

  await expect(page.getByRole('alert')).toHaveText(
    'Enter your password, or use the email link instead.'
  );
  await expect(page).toHaveURL(/\/signin$/);
});

test('sign-in returns to the requested page', async ({ page }) => {
  await page.goto('/orders');
  await expect(page).toHaveURL(/\/signin\?next=%2Forders$/);

  await page.getByLabel('Email address').fill(BUYER.email);
  await page.getByLabel('Password').fill(BUYER.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();

  await expect(page).toHaveURL(/\/orders$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Orders');
});

test('admin page is closed to buyers', async ({ page }) => {
  await signInWithPassword(page, BUYER.email, BUYER.password);
  await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);

  await page.goto('/admin');

  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'You do not have access to this page.'
  );
  await expect(page.getByText('403')).toBeVisible();
});

test('language switch translates the page', async ({ page }) => {
  await signInWithPassword(page, BUYER.email, BUYER.password);

  await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pustaka saya');
  await expect(page.locator('html')).toHaveAttribute('lang', 'id');
  const spec = page.getByRole('article', { name: 'Shared MIME-info Database Specification' });
  await expect(spec.getByTestId('access')).toHaveText('Akses seumur hidup');
  await expect(spec.getByRole('button', { name: 'Unduh shared-mime-info-spec.pdf' })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pustaka saya');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My library');
});
