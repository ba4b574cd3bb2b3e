import { describe, expect, it } from 'vitest';
import { stackEnv } from '../../tests/env.ts';

const env = stackEnv();

async function send(to: string, subject: string, text: string) {
  return fetch(`${env.MAILBOX_URL}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to, subject, text, html: `<p><a href="${text}">Open</a></p>` })
  });
}

describe('mailbox', () => {
  it('lists one address’s messages newest first', async () => {
    const to = `mailbox-${Date.now()}@example.com`;
    await send(to, 'First', 'http://127.0.0.1:5173/one');
    await send(to.toUpperCase(), 'Second', 'http://127.0.0.1:5173/two');

    const response = await fetch(`${env.MAILBOX_URL}/messages?to=${encodeURIComponent(to)}`);
    const messages = (await response.json()) as { subject: string; to: string }[];

    expect(response.status).toBe(200);
    expect(messages.map((message) => message.subject)).toEqual(['Second', 'First']);
    expect(messages[0].to).toBe(to);
  });

  it('opens links from the page in the whole tab', async () => {
    const to = `page-${Date.now()}@example.com`;
    await send(to, 'Link', 'http://127.0.0.1:5173/auth/callback#token');

    const page = await (await fetch(`${env.MAILBOX_URL}/?to=${encodeURIComponent(to)}`)).text();

    expect(page).toContain('sandbox="allow-top-navigation-by-user-activation"');
    expect(page).toContain('srcdoc="&#60;base target=&#34;_top&#34;&#62;&#60;p&#62;');
    expect(page).toContain(
      '<a href="http://127.0.0.1:5173/auth/callback#token" target="_top">http://127.0.0.1:5173/auth/callback#token</a>'
    );
  });

  it('rejects a message without a recipient', async () => {
    const response = await fetch(`${env.MAILBOX_URL}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'No one' })
    });

    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe(
      'Invalid message: send JSON with "to", "subject", "text" and "html".'
    );
  });
});
