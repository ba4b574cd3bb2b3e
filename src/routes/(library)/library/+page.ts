import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/auth/guard';
import { listLibrary } from '$lib/services/library';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, depends }) => {
  await requireUser(url);
  depends('app:library');

  const { data, error: failure } = await listLibrary();
  if (failure) error(failure.status ?? 500, { message: failure.message, code: failure.code });

  return { items: data };
};
