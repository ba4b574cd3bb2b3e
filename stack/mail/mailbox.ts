import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import path from 'node:path';

export interface MailMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  received_at: string;
}

export type OutgoingMail = Omit<MailMessage, 'id' | 'received_at'>;

/**
 * The local stack's outbox: every email the stack sends lands here instead of a mail server.
 * Messages are kept in one JSON file in the data folder, so they survive a restart.
 */
export class Mailbox {
  readonly #file: string;
  #messages: MailMessage[];

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.#file = path.join(dataDir, 'mailbox.json');
    this.#messages = existsSync(this.#file) ? JSON.parse(readFileSync(this.#file, 'utf8')) : [];
  }

  send(mail: OutgoingMail): MailMessage {
    const message: MailMessage = {
      id: randomUUID(),
      to: mail.to.trim().toLowerCase(),
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      received_at: new Date().toISOString()
    };
    this.#messages.push(message);
    this.#save();
    return message;
  }

  /** Lists messages newest first, only those sent to `to` when it is given. */
  list(to?: string): MailMessage[] {
    const address = to?.trim().toLowerCase();
    return this.#messages.filter((message) => !address || message.to === address).reverse();
  }

  get(id: string): MailMessage | undefined {
    return this.#messages.find((message) => message.id === id);
  }

  clear(): void {
    this.#messages = [];
    this.#save();
  }

  #save(): void {
    const temporary = `${this.#file}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.#messages));
    renameSync(temporary, this.#file);
  }
}
