/**
 * Login throttling: failures are counted per account (slows guessing one
 * password) and per client address (slows spraying many accounts). A
 * successful login clears the account's counter.
 *
 * Counters live in this process's memory (RateLimiterMemory): with several
 * pglive processes behind a load balancer each keeps its own, so the real
 * limit is N times higher. rate-limiter-flexible's RateLimiterPostgres would
 * share them but needs a `pg` client, not postgres.js.
 */
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import { PgliveError } from '../errors.js';

export interface LoginLimits {
  /** failures allowed per e-mail within the window */
  readonly perAccount: number;
  /** failures allowed per client address within the window */
  readonly perAddress: number;
  readonly windowSeconds: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAccount: 5, perAddress: 20, windowSeconds: 15 * 60 };

export interface LoginRateLimiter {
  /** throws PGLIVE203 (with Retry-After) when either counter is exhausted */
  check(email: string, address: string): Promise<void>;
  recordFailure(email: string, address: string): Promise<void>;
  recordSuccess(email: string): Promise<void>;
}

function accountKey(email: string): string {
  return email.trim().toLowerCase();
}

function blocked(res: RateLimiterRes | null, limit: number): number {
  return res !== null && res.consumedPoints >= limit ? res.msBeforeNext : 0;
}

export function createLoginRateLimiter(limits: LoginLimits = DEFAULT_LOGIN_LIMITS): LoginRateLimiter {
  const byAccount = new RateLimiterMemory({ points: limits.perAccount, duration: limits.windowSeconds });
  const byAddress = new RateLimiterMemory({ points: limits.perAddress, duration: limits.windowSeconds });
  return {
    async check(email, address) {
      const [acc, addr] = await Promise.all([byAccount.get(accountKey(email)), byAddress.get(address)]);
      const waitMs = Math.max(blocked(acc, limits.perAccount), blocked(addr, limits.perAddress));
      if (waitMs > 0) {
        const seconds = Math.max(1, Math.ceil(waitMs / 1000));
        throw new PgliveError('PGLIVE203', `Too many failed login attempts: retry in ${seconds} s`, {
          headers: { 'retry-after': String(seconds) },
        });
      }
    },
    async recordFailure(email, address) {
      await Promise.all([byAccount.penalty(accountKey(email), 1), byAddress.penalty(address, 1)]);
    },
    async recordSuccess(email) {
      await byAccount.delete(accountKey(email));
    },
  };
}
