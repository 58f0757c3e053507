/**
 * A minimal typed event emitter that runs in browsers and Node alike (no
 * node:events). A listener that throws does not stop the others or the
 * caller (a socket handler): its error is reported like an uncaught one.
 */

type Listener = (...args: any[]) => void;
export type EventMap = { [event: string]: Listener };

export class Emitter<Events extends EventMap> {
  readonly #listeners = new Map<keyof Events, Set<Listener>>();

  /** Add a listener; returns a function that removes it. */
  on<E extends keyof Events>(event: E, listener: Events[E]): () => void {
    let set = this.#listeners.get(event);
    if (set === undefined) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => this.off(event, listener);
  }

  off<E extends keyof Events>(event: E, listener: Events[E]): void {
    this.#listeners.get(event)?.delete(listener);
  }

  /** Resolves with the arguments of the next `event` for which `accept` is true. */
  once<E extends keyof Events>(event: E, accept: (...args: Parameters<Events[E]>) => boolean = () => true): Promise<Parameters<Events[E]>> {
    return new Promise((resolve) => {
      const off = this.on(event, ((...args: Parameters<Events[E]>) => {
        if (!accept(...args)) return;
        off();
        resolve(args);
      }) as Events[E]);
    });
  }

  protected emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): void {
    const set = this.#listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (err) {
        reportError(err);
      }
    }
  }

  protected listenerCount(event: keyof Events): number {
    return this.#listeners.get(event)?.size ?? 0;
  }
}

function reportError(err: unknown): void {
  const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
  if (typeof report === 'function') report(err);
  else
    setTimeout(() => {
      throw err;
    });
}
