/*
 * Shares write requests between concurrent callers. Every channel records its
 * receipt after each send and waits for it before its next send; written one
 * request per call, seven channels keep up to seven small requests in flight,
 * each paying a signature, a connection's buffers and the parse of its answer
 * (the heap it holds while it waits on the network is what V8 promotes and
 * peak RSS remembers). Here one request at a time carries what every caller
 * queued meanwhile (up to the request's limit); a caller still waits only for
 * its own items, so a channel's receipt is still written before its next send.
 */

export interface BatchWriterOptions<T> {
  /** Items per request (DynamoDB's BatchWriteItem takes 25). */
  limit: number;
  /**
   * The item's key, which must not appear twice in one request. Asked when a
   * request is assembled, so waiting items hold no key strings.
   */
  idOf: (item: T) => string;
  /** Writes one request's items, retries included; throws when they could not all be written. */
  write: (items: T[]) => Promise<void>;
}

interface Caller<T> {
  pending: T[];
  /** Index of the next item to take. */
  next: number;
  /** Items taken into requests and not yet written. */
  inFlight: number;
  resolve: () => void;
  reject: (error: unknown) => void;
  settled: boolean;
}

/**
 * A writer that coalesces the items of concurrent calls into shared requests.
 * Each request takes items from the waiting callers in turn (one each, round
 * after round), so a large call (a digest's 1,000 receipts) never makes a
 * small one wait behind all of it. A call resolves when all its items are
 * written; it rejects when a request carrying one of them fails, or when its
 * own signal aborts (its items not yet taken are dropped). Items of one call
 * are written in the order given; two items with one key never share a
 * request, so the later one lands last.
 *
 * @example
 * const writer = createBatchWriter({ limit: 25, idOf: (item) => `${item.pk.S}|${item.sk.S}`, write: batchWriteItem });
 * await writer.write([item], AbortSignal.timeout(2_500));
 */
export function createBatchWriter<T>(options: BatchWriterOptions<T>) {
  const { limit, idOf, write } = options;
  const waiting: Array<Caller<T>> = [];
  let running = false;

  const settle = (caller: Caller<T>, error?: unknown) => {
    if (caller.settled) return;
    caller.settled = true;
    caller.pending = [];
    const index = waiting.indexOf(caller);
    if (index >= 0) waiting.splice(index, 1);
    if (error === undefined) caller.resolve();
    else caller.reject(error);
  };

  /** Up to `limit` items, one per waiting caller in turn; a key already in the request waits for the next. */
  function nextRequest(): Array<{ caller: Caller<T>; item: T }> {
    const taken: Array<{ caller: Caller<T>; item: T }> = [];
    const ids = new Set<string>();
    for (let progress = true; progress && taken.length < limit; ) {
      progress = false;
      for (const caller of waiting) {
        if (taken.length >= limit || caller.next >= caller.pending.length) continue;
        const item = caller.pending[caller.next] as T;
        const id = idOf(item);
        if (ids.has(id)) continue;
        caller.next++;
        caller.inFlight++;
        ids.add(id);
        taken.push({ caller, item });
        progress = true;
      }
    }
    return taken;
  }

  async function drain(): Promise<void> {
    if (running) return;
    running = true;
    try {
      for (let taken = nextRequest(); taken.length > 0; taken = nextRequest()) {
        let failure: unknown;
        try {
          await write(taken.map((t) => t.item));
        } catch (error) {
          failure = error;
        }
        for (const { caller } of taken) {
          caller.inFlight--;
          if (failure !== undefined) settle(caller, failure);
          else if (caller.next >= caller.pending.length && caller.inFlight === 0) settle(caller);
        }
      }
    } finally {
      running = false;
    }
  }

  return {
    /** Queues `items` (kept, not copied: do not change them) and waits until they are written or the signal aborts. */
    write(items: T[], signal: AbortSignal): Promise<void> {
      if (items.length === 0) return Promise.resolve();
      if (signal.aborted) return Promise.reject(signal.reason);
      return new Promise<void>((resolve, reject) => {
        const caller: Caller<T> = { pending: items, next: 0, inFlight: 0, resolve, reject, settled: false };
        const onAbort = () => settle(caller, signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        caller.resolve = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        caller.reject = (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        };
        waiting.push(caller);
        void drain();
      });
    },
  };
}
