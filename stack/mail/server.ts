import http from 'node:http';
import { readJson, sendJson } from '../http.ts';
import type { Mailbox, MailMessage } from './mailbox.ts';

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Escapes plain text and turns each http(s) URL in it into a link. */
function linkify(text: string): string {
  return escapeHtml(text).replace(
    /https?:\/\/[^\s<>"']+/g,
    (url) => `<a href="${url}" target="_top">${url}</a>`
  );
}

/**
 * Prepares an email's HTML for the sandboxed frame, which runs no scripts. Its links open in
 * the whole tab, and only on a click, because a magic link must load the app there.
 */
function framedHtml(html: string): string {
  return `<base target="_top">${html}`;
}

function renderPage(messages: MailMessage[]): string {
  const rows = messages
    .map(
      (message) => `<article>
  <h2>${escapeHtml(message.subject)}</h2>
  <p class="meta">To ${escapeHtml(message.to)} at ${escapeHtml(message.received_at)}</p>
  <iframe sandbox="allow-top-navigation-by-user-activation" srcdoc="${escapeHtml(framedHtml(message.html))}"
    title="${escapeHtml(message.subject)}"></iframe>
  <pre>${linkify(message.text)}</pre>
</article>`
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Brankas local mailbox</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem}
article{border-bottom:1px solid #ccc;padding:1rem 0}.meta{color:#555}
iframe{width:100%;height:16rem;border:1px solid #ddd}pre{white-space:pre-wrap;overflow-wrap:anywhere}</style></head>
<body><h1>Local mailbox</h1><p>${messages.length} message(s). Every email the local stack sends stops here.</p>
${rows || '<p>No messages yet.</p>'}</body></html>`;
}

/**
 * Serves the mailbox: an HTML page at `/`, `GET /messages?to=` as JSON newest first,
 * `POST /messages` for services that send mail, and `DELETE /messages` to empty it.
 */
export function createMailServer(mailbox: Mailbox): http.Server {
  return http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.setHeader('access-control-allow-origin', '*');

    if (req.method === 'GET' && url.pathname === '/') {
      const page = renderPage(mailbox.list(url.searchParams.get('to') ?? undefined));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page);
      return;
    }
    if (url.pathname !== '/messages') {
      sendJson(res, 404, {
        error: `No route ${req.method} ${url.pathname}: use GET /messages?to=<address>.`
      });
      return;
    }
    if (req.method === 'GET') {
      sendJson(res, 200, mailbox.list(url.searchParams.get('to') ?? undefined));
      return;
    }
    if (req.method === 'DELETE') {
      mailbox.clear();
      sendJson(res, 200, {});
      return;
    }
    if (req.method === 'POST') {
      const body = (await readJson(req)) as Partial<MailMessage> | undefined;
      if (!body || typeof body.to !== 'string' || typeof body.subject !== 'string') {
        sendJson(res, 400, {
          error: 'Invalid message: send JSON with "to", "subject", "text" and "html".'
        });
        return;
      }
      const message = mailbox.send({
        to: body.to,
        subject: body.subject,
        text: String(body.text ?? ''),
        html: String(body.html ?? '')
      });
      sendJson(res, 201, message);
      return;
    }
    sendJson(res, 405, { error: `Method ${req.method} is not allowed on /messages.` });
  });
}
