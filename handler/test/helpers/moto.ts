import { afterAll, beforeAll } from 'vitest';
import { type Moto, type MotoOptions, startMoto } from '../../../harness/moto.mjs';

// The suites' emulator is the one every harness starts (harness/moto.mjs).
export { startMoto, type Moto } from '../../../harness/moto.mjs';

/**
 * moto for the tests of the enclosing file or `describe`: started before them
 * with its environment in `process.env` (so SDK clients made afterwards reach
 * it), stopped and the environment restored after. Use it inside tests and hooks only.
 *
 * @example const moto = useMoto(); // then, in a test: createStateTable(name, moto.endpoint)
 */
export function useMoto(options: MotoOptions = {}): Moto {
  let started: Moto | undefined;
  const saved = { ...process.env };
  beforeAll(async () => {
    started = await startMoto(options);
    Object.assign(process.env, started.env);
  }, 60_000);
  afterAll(async () => {
    process.env = saved;
    await started?.stop();
  });
  const current = (): Moto => {
    if (!started) throw new Error('moto starts in beforeAll: use it inside tests and hooks');
    return started;
  };
  return {
    get endpoint() {
      return current().endpoint;
    },
    get env() {
      return current().env;
    },
    stop: () => current().stop(),
  };
}
