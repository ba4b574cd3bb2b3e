import { bankInstructionsSchema, type BankInstructions } from '../schemas';

const KEY_PREFIX = 'brankas.transfer.';

/**
 * Keeps the bank details that checkout returned for a bank-transfer order, because the
 * orders table stores the reference and amount but not the account to pay into.
 */
export function savePendingTransfer(orderId: string, instructions: BankInstructions): void {
  try {
    localStorage.setItem(`${KEY_PREFIX}${orderId}`, JSON.stringify(instructions));
  } catch {
    // Without storage the order page shows the reference and amount only.
  }
}

/** Returns the stored bank details for an order, or null when none (or invalid) are stored. */
export function loadPendingTransfer(orderId: string): BankInstructions | null {
  try {
    const raw = localStorage.getItem(`${KEY_PREFIX}${orderId}`);
    if (!raw) return null;
    const parsed = bankInstructionsSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
