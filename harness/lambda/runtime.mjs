// The Node.js Lambda runtime, as far as our harnesses need it (harness/lambdaHost.mjs
// starts it for the demo and the end-to-end run): one warm container that loads
// the handler the configuration names (_HANDLER) from the unzipped deployment
// package (LAMBDA_TASK_ROOT) and runs invocations sent by the parent over IPC,
// one at a time, like the Lambda service does for an SQS event source mapping.
//
// Plain JavaScript, started with `node` (no tsx, no test code in this process):
// the only code that runs here besides this file is the bundle.
//
// Its answers are marker lines on stdout (`{"lambdaHost": …}`), written after
// everything the handler logged during the invocation, so the parent can tell
// which log and EMF lines belong to which invocation.
//
// Optionally (the end-to-end run) the parent passes a network map. The deployed
// config names real endpoints (hooks.slack.com, events.pagerduty.com, an SMTP
// host on port 587, ...): this process resolves those names to local receivers
// on 127.0.0.1 and refuses every other non-loopback destination, so the run is
// offline by construction and an unexpected destination shows up as a
// recorded, refused connection. TLS is real: the receivers hold a certificate
// for those names issued by a throwaway CA that NODE_EXTRA_CA_CERTS adds (how
// users add a corporate CA).
import dns from 'node:dns';
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { existsSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const send = (message) => process.stdout.write(`${JSON.stringify({ lambdaHost: message.type, ...message })}\n`);
const refused = [];

/** Installs the name → local port map on DNS and on every outgoing connection. */
function installNetwork(routes) {
  // routes: { "hooks.slack.com:443": 41234, ... }
  const byName = new Map(); // name -> synthetic address
  const forward = new Map(); // "host:port" (name or synthetic address) -> local port
  let next = 1;
  for (const [key, localPort] of Object.entries(routes)) {
    const i = key.lastIndexOf(':');
    const name = key.slice(0, i).toLowerCase();
    const port = key.slice(i + 1);
    if (!byName.has(name)) byName.set(name, `127.53.0.${next++}`);
    forward.set(`${name}:${port}`, localPort);
    forward.set(`${byName.get(name)}:${port}`, localPort);
  }
  const isLoopback = (host) => host === 'localhost' || host === '::1' || /^127\./.test(host);

  const notFound = (name) =>
    Object.assign(new Error(`getaddrinfo ENOTFOUND ${name} (e2e sandbox: offline)`), {
      code: 'ENOTFOUND',
      hostname: name,
    });

  // DNS: the mapped names resolve to their synthetic loopback address; every
  // other name fails at once (no resolver is contacted).
  const lookup = dns.lookup;
  dns.lookup = function (hostname, options, callback) {
    const cb = typeof options === 'function' ? options : callback;
    const opts = typeof options === 'object' && options !== null ? options : {};
    const name = String(hostname).toLowerCase();
    if (net.isIP(name) || name === 'localhost') return lookup.call(this, hostname, options, callback);
    const address = byName.get(name);
    if (!address) {
      refused.push({ kind: 'dns', host: name });
      return process.nextTick(() => cb(notFound(name)));
    }
    if (opts.all) return process.nextTick(() => cb(null, [{ address, family: 4 }]));
    return process.nextTick(() => cb(null, address, 4));
  };
  dns.promises.lookup = async (hostname, options = {}) => {
    const name = String(hostname).toLowerCase();
    const address = byName.get(name);
    if (net.isIP(name))
      return options.all ? [{ address: name, family: net.isIP(name) }] : { address: name, family: net.isIP(name) };
    if (!address) {
      refused.push({ kind: 'dns', host: name });
      throw notFound(name);
    }
    return options.all ? [{ address, family: 4 }] : { address, family: 4 };
  };
  const answer =
    (family) =>
    (hostname, ...rest) => {
      const cb = rest[rest.length - 1];
      const name = String(hostname).toLowerCase();
      const address = byName.get(name);
      if (!address) {
        refused.push({ kind: 'dns', host: name });
        return process.nextTick(() =>
          cb(Object.assign(new Error(`queryA ENOTFOUND ${name}`), { code: dns.NOTFOUND, hostname: name })),
        );
      }
      return process.nextTick(() =>
        family === 4
          ? cb(null, [address])
          : cb(Object.assign(new Error(`queryAaaa ENODATA ${name}`), { code: dns.NODATA })),
      );
    };
  dns.resolve4 = answer(4);
  dns.resolve6 = answer(6);
  dns.Resolver.prototype.resolve4 = answer(4);
  dns.Resolver.prototype.resolve6 = answer(6);

  // Connections: mapped (host, port) pairs go to their local receiver (the
  // TLS server name stays the original host, so certificates are verified
  // against it); loopback passes; anything else is refused.
  function route(options) {
    if (!options || options.socket || options.path) return { options };
    const host = String(options.host ?? 'localhost').toLowerCase();
    const port = String(options.port ?? '');
    const local = forward.get(`${host}:${port}`);
    if (local !== undefined) {
      const servername = options.servername ?? (net.isIP(host) ? undefined : host);
      return {
        options: {
          ...options,
          host: '127.0.0.1',
          port: local,
          ...(servername ? { servername } : {}),
          lookup: undefined,
        },
      };
    }
    if (isLoopback(host)) return { options };
    refused.push({ kind: 'connect', host, port });
    return { refuse: `${host}:${port}` };
  }
  function refusedSocket(target, callback) {
    const socket = new net.Socket();
    process.nextTick(() =>
      socket.destroy(
        Object.assign(new Error(`connect ECONNREFUSED ${target} (e2e sandbox: not a local receiver)`), {
          code: 'ECONNREFUSED',
        }),
      ),
    );
    if (typeof callback === 'function') socket.once('connect', callback);
    return socket;
  }
  function normalise(args) {
    // (options[, cb]) | (port[, host][, cb]) | (path[, cb])
    if (typeof args[0] === 'object' && args[0] !== null) return { options: args[0], cb: args[1] };
    if (typeof args[0] === 'number' || /^\d+$/.test(String(args[0]))) {
      const host = typeof args[1] === 'string' ? args[1] : undefined;
      const cb = typeof args[1] === 'function' ? args[1] : args[2];
      return { options: { port: Number(args[0]), ...(host ? { host } : {}) }, cb };
    }
    return { options: { path: args[0] }, cb: args[1] };
  }
  for (const [mod, names] of [
    [net, ['connect', 'createConnection']],
    [tls, ['connect']],
  ]) {
    for (const fn of names) {
      const original = mod[fn];
      mod[fn] = function (...args) {
        const { options, cb } = normalise(args);
        const routed = route(options);
        if (routed.refuse) return refusedSocket(routed.refuse, cb);
        return cb === undefined ? original.call(this, routed.options) : original.call(this, routed.options, cb);
      };
    }
  }
  // node:http's Agent kept a reference to the original net.createConnection
  // (the AWS SDK's HTTP handler and any http:// request go through it).
  const agentConnect = http.Agent.prototype.createConnection;
  http.Agent.prototype.createConnection = function (options, cb) {
    const routed = route(options);
    if (routed.refuse) return refusedSocket(routed.refuse, cb);
    return agentConnect.call(this, routed.options, cb);
  };
  // Bundles import these as ES modules (`import * as net from "node:net"`):
  // make their named exports see the patched functions too.
  syncBuiltinESMExports();
}

/** Lambda's handler resolution: "<module path>.<export>" in LAMBDA_TASK_ROOT, trying .js, .mjs, .cjs. */
async function loadHandler(taskRoot, handlerSetting) {
  const dot = handlerSetting.lastIndexOf('.');
  if (dot <= 0) throw new Error(`Runtime.MalformedHandlerName: "${handlerSetting}"`);
  const modulePath = handlerSetting.slice(0, dot);
  const exportName = handlerSetting.slice(dot + 1);
  const file = ['.js', '.mjs', '.cjs'].map((ext) => join(taskRoot, modulePath + ext)).find((f) => existsSync(f));
  if (!file) throw new Error(`Runtime.ImportModuleError: Cannot find module '${modulePath}' in ${taskRoot}`);
  const mod = await import(pathToFileURL(file).href);
  const fn = mod[exportName] ?? mod.default?.[exportName];
  if (typeof fn !== 'function')
    throw new Error(`Runtime.HandlerNotFound: ${modulePath}.${exportName} is undefined or not exported`);
  return { fn, file };
}

let handler;
let init;

process.on('message', async (message) => {
  if (message.type === 'init') {
    if (message.routes) installNetwork(message.routes);
    const started = performance.now();
    try {
      handler = await loadHandler(process.env.LAMBDA_TASK_ROOT, process.env._HANDLER);
      init = { ms: performance.now() - started, file: handler.file };
      send({ type: 'ready', init });
    } catch (error) {
      send({ type: 'init-error', error: String(error?.stack ?? error) });
    }
    return;
  }
  if (message.type === 'invoke') {
    const deadline = Date.now() + message.timeoutMs;
    const context = {
      awsRequestId: message.requestId,
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      invokedFunctionArn: message.functionArn,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    const started = performance.now();
    try {
      const result = await handler.fn(message.event, context);
      send({
        type: 'result',
        requestId: message.requestId,
        result: result ?? null,
        ms: performance.now() - started,
        refused: refused.splice(0),
      });
    } catch (error) {
      send({
        type: 'error',
        requestId: message.requestId,
        error: { errorType: error?.name ?? 'Error', errorMessage: String(error?.message ?? error) },
        ms: performance.now() - started,
        refused: refused.splice(0),
      });
    }
  }
});

// The harness is the Lambda service: without it, the container ends.
process.on('disconnect', () => process.exit(0));
send({ type: 'booted' });
