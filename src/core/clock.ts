// Time and randomness are injected so that tests move time instead of sleeping.
import { randomBytes, randomUUID } from 'node:crypto';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests advance by hand. */
export class TestClock implements Clock {
  #ms: number;
  constructor(start: Date = new Date()) {
    this.#ms = start.getTime();
  }
  now(): Date {
    return new Date(this.#ms);
  }
  advance(ms: number): void {
    this.#ms += ms;
  }
}

export interface Random {
  bytes(n: number): Buffer;
  uuid(): string;
}

export const systemRandom: Random = {
  bytes: (n) => randomBytes(n),
  uuid: () => randomUUID(),
};

export const DAY_MS = 86_400_000;
