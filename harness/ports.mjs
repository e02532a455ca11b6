import { createServer } from 'node:net';

/**
 * A port on 127.0.0.1 with nothing listening: bound, then released. For a
 * server that must be told its port (moto_server cannot take 0), or a
 * destination that refuses connections. Another process may take it before
 * it is used, so a caller that binds it should be ready to try again.
 *
 * @returns {Promise<number>}
 */
export async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(() => resolve(undefined)));
  return port;
}
