import type { IncomingMessage } from 'node:http';
import { AuthError } from './errors.ts';

/** Supabase Auth counts its request limits per IP address over five minutes. */
export const FAILURE_WINDOW_SECONDS = 5 * 60;

/** Past this many tracked addresses, a new attempt also sweeps out the expired ones. */
const SWEEP_THRESHOLD = 10_000;

/**
 * Failed attempts per client address in a sliding window, so that a client guessing 6-digit
 * codes, email-link token hashes or passwords is stopped after `limit` wrong guesses. Supabase
 * Auth limits every such request per IP address (`[auth.rate_limit]` token_verifications and
 * sign_in_sign_ups). This limiter keeps only the failures, so suites that sign in many times
 * from one address are not slowed down: an attempt counts while it runs and is taken back when
 * it succeeds. Counts live in memory and restart with the stack.
 */
export class FailureLimiter {
  readonly #failures = new Map<string, number[]>();

  constructor(
    /** Failures allowed per address within the window. */
    readonly limit: number,
    /** The kind of attempt, named in the error message, such as "password sign-ins". */
    readonly attempts: string,
    readonly windowMs = FAILURE_WINDOW_SECONDS * 1000,
    private readonly now: () => number = Date.now
  ) {}

  /**
   * Counts an attempt of `address` before it runs, and raises 429 `over_request_rate_limit`
   * when the address has no failed attempts left. Counting first keeps concurrent guesses within
   * the limit too. Returns the function that takes the attempt off the count again, for an
   * attempt that turns out not to be a wrong guess.
   */
  begin(address: string): () => void {
    const recent = this.#recent(address);
    if (recent.length >= this.limit) {
      const retryAfter = Math.ceil((recent[0] + this.windowMs - this.now()) / 1000);
      throw new AuthError(
        429,
        'over_request_rate_limit',
        `Too many failed ${this.attempts} from this address: ${this.limit} in ` +
          `${this.windowMs / 1000} seconds. Try again in ${retryAfter} seconds.`
      );
    }

    const startedAt = this.now();
    recent.push(startedAt);
    this.#failures.set(address, recent);

    if (this.#failures.size > SWEEP_THRESHOLD) this.#sweep();

    let released = false;
    return () => {
      if (released) return;
      released = true;
      const times = this.#failures.get(address) ?? [];
      const index = times.indexOf(startedAt);
      if (index !== -1) times.splice(index, 1);
      if (times.length === 0) this.#failures.delete(address);
    };
  }

  /** Drops the attempts of `address` that left the window and returns the rest. */
  #recent(address: string): number[] {
    const since = this.now() - this.windowMs;
    const recent = (this.#failures.get(address) ?? []).filter((time) => time > since);
    if (recent.length === 0) this.#failures.delete(address);
    else this.#failures.set(address, recent);
    return recent;
  }

  #sweep(): void {
    for (const address of [...this.#failures.keys()]) this.#recent(address);
  }
}

/** Returns the peer address, which is the client's because Auth runs inside the gateway process. */
export function clientAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}
