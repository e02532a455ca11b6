// The one SMTP server every harness starts: npm smtp-server on 127.0.0.1 with
// STARTTLS (its built-in test certificate, or one given), AUTH when asked for
// (only after STARTTLS, like a submission server), every message kept raw and
// parsed back with mailparser as a mail client would, and per-message faults
// (a 4xx/5xx reply after DATA, a dropped connection) for the fault suites.
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { trackConnections } from './http.mjs';

/**
 * @param {{ code: number, message: string }} reply
 */
const smtpError = (reply) => Object.assign(new Error(reply.message), { responseCode: reply.code });

/**
 * @param {import('./smtp.d.mts').SmtpOptions} [options]
 * @returns {Promise<import('./smtp.d.mts').SmtpServer>}
 */
export async function startSmtpServer(options = {}) {
  const { tls = 'builtin', auth, answer = () => 'accept', rcpt, parse = true, banner, onMail } = options;
  /**
   * Messages at the end of DATA not yet recorded (parsing): `idle()` waits for them too.
   * @type {Set<Promise<void>>}
   */
  const pending = new Set();
  /** @param {Promise<void>} work */
  const recording = (work) => {
    pending.add(work);
    const done = () => pending.delete(work);
    work.then(done, done);
  };
  /** @type {import('./smtp.d.mts').ReceivedMail[]} */
  const mails = [];
  const server = new SMTPServer({
    logger: false,
    // Clients are on 127.0.0.1 and nothing reads the client's host name: skip the reverse DNS lookup per connection.
    disableReverseLookup: true,
    ...(banner ? { banner } : {}),
    ...(tls === false ? { disabledCommands: ['STARTTLS'] } : {}),
    ...(typeof tls === 'object' ? { key: tls.key, cert: tls.cert } : {}),
    authOptional: !auth?.required,
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: false,
    onAuth(credentials, _session, callback) {
      if (auth && credentials.username === auth.user && credentials.password === auth.pass)
        callback(null, { user: credentials.username });
      else callback(smtpError({ code: 535, message: 'Invalid username or password' }));
    },
    onRcptTo(address, _session, callback) {
      const refusal = rcpt?.(address.address);
      callback(refusal ? smtpError(refusal) : undefined);
    },
    onData(stream, session, callback) {
      /** @type {Buffer[]} */
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => recording(record()));
      const record = async () => {
        const raw = Buffer.concat(chunks);
        /** @type {import('./smtp.d.mts').ReceivedMail} */
        const mail = {
          at: Date.now(),
          raw: raw.toString('utf8'),
          parsed: parse ? await simpleParser(raw) : undefined,
          envelope: {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          },
          secure: session.secure,
          user: /** @type {string | undefined} */ (session.user),
          answer: '',
          accepted: false,
        };
        mails.push(mail);
        const reply = answer(mails.length - 1, mail);
        if (reply === 'accept') {
          mail.answer = '250';
          mail.accepted = true;
          onMail?.(mail);
          callback();
        } else if (reply === 'drop') {
          mail.answer = 'drop';
          dropConnections();
        } else {
          mail.answer = String(reply.code);
          callback(smtpError(reply));
        }
      };
    },
  });
  // A client that dies mid-session (a killed sender: ECONNRESET) is an error of that connection
  // only; smtp-server reports it on the server, where an unheard 'error' would end the process.
  server.on('error', () => undefined);
  // smtp-server keeps its open connections here; a dropped connection is one destroyed before the reply.
  const dropConnections = () => {
    for (const connection of /** @type {{ connections: Set<{ _socket: import('node:net').Socket }> }} */ (
      /** @type {unknown} */ (server)
    ).connections)
      connection._socket.destroy();
  };
  const connections = trackConnections(server.server);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  return {
    port: /** @type {import('node:net').AddressInfo} */ (server.server.address()).port,
    mails,
    reset: () => {
      mails.length = 0;
    },
    idle: async () => {
      await connections.idle();
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    close: () =>
      new Promise((resolve) => {
        dropConnections();
        server.close(() => resolve(undefined));
      }),
  };
}
