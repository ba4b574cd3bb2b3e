import { expect, test } from '@playwright/test';
import { BUYER, createBuyer, longDate, serviceClient, signInWithPassword } from './support';

const EXPIRED_PURCHASE = '30000000-0000-4000-8000-000000000003';

async function productId(slug: string): Promise<string> {
  const { data, error } = await serviceClient()
    .from('products')
    .select('id')
    .eq('slug', slug)
    .single();
  if (error) throw new Error(`Reading product ${slug} failed: ${error.message}`);
  return (data as { id: string }).id;
}

test('expired purchase offers to buy again', async ({ page }) => {
  const { data, error } = await serviceClient()
    .from('purchases')
    .select('expires_at')
    .eq('id', EXPIRED_PURCHASE)
    .single();
  if (error) throw new Error(`Reading purchase ${EXPIRED_PURCHASE} failed: ${error.message}`);
  const expiresAt = (data as { expires_at: string }).expires_at;

  await signInWithPassword(page, BUYER.email, BUYER.password);
  const expired = page.getByRole('article', { name: 'Plucked String Samples' });
  await expired.getByRole('link', { name: 'Buy Plucked String Samples again' }).click();

  await expect(page).toHaveURL(/\/products\/plucked-string-samples$/);
  await expect(page.getByTestId('renewal')).toHaveText(
    `Your access expired on ${longDate(expiresAt)}. Buying again renews it.`
  );
  await expect(page.getByRole('button', { name: 'Buy for Rp\u00a045.000' })).toBeVisible();
  await expect(page.getByText('You already own this for life.')).toHaveCount(0);
});

test('lifetime purchase hides the Buy button', async ({ page }) => {
  await signInWithPassword(page, BUYER.email, BUYER.password);
  const library = page.getByRole('article', { name: 'Shared MIME-info Database Specification' });
  await expect(library.getByRole('link', { name: /again$/ })).toHaveCount(0);

  await page.goto('/products/shared-mime-info-spec');
  await expect(page.getByText('You already own this for life.')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Buy for/ })).toHaveCount(0);
});

test('Midtrans is offered for IDR prices only', async ({ page }) => {
  const buyer = await createBuyer();
  await signInWithPassword(page, buyer.email, buyer.password);

  await page.goto('/products/gnu-grep-manual');
  const providers = page.getByRole('group', { name: 'Pay with' });
  await expect(providers.getByRole('radio')).toHaveCount(2);
  await expect(providers.getByLabel('Card (Stripe)')).toBeVisible();
  await expect(providers.getByLabel('Bank transfer')).toBeVisible();

  await page.goto('/products/shared-mime-info-spec');
  await expect(providers.getByRole('radio')).toHaveCount(3);
  await expect(providers.getByLabel('Midtrans (e-wallet, virtual account)')).toBeVisible();
});

test('checkout rejection shows its own message', async ({ page }) => {
  const buyer = await createBuyer();
  await signInWithPassword(page, buyer.email, buyer.password);
  await page.goto('/products/shared-mime-info-spec');
  const buy = page.getByRole('button', { name: 'Buy for Rp\u00a075.000' });
  await expect(buy).toBeVisible();

  // The buyer gets the product for life in another tab before pressing Buy here.
  const { error } = await serviceClient()
    .from('purchases')
    .insert({
      user_id: buyer.id,
      product_id: await productId('shared-mime-info-spec'),
      granted_at: new Date().toISOString()
    });
  if (error) throw new Error(`Granting the test purchase failed: ${error.message}`);

  await buy.click();
  await expect(page.getByText('You already own this for life.')).toBeVisible();
  await expect(buy).toHaveCount(0);
});

test('anonymous visit requests no product files', async ({ page }) => {
  const fileRequests: string[] = [];
  const consoleErrors: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('product_files')) fileRequests.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });

  await page.goto('/');
  await expect(page.getByRole('article', { name: 'GNU grep Manual' })).toBeVisible();
  await page.goto('/products/gnu-grep-manual');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('GNU grep Manual');
  await expect(page.getByRole('link', { name: 'Sign in to buy' })).toBeVisible();

  expect(fileRequests).toEqual([]);
  expect(consoleErrors).toEqual([]);
});
