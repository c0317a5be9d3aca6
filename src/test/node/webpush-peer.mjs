// The node web-push peer of the fan-out benchmark (-Dbench.node=true, NodePeer.java, docs/benchmarks.md
// "Against node web-push"). A long-lived process: it reads its work once, then sends one round per
// "run" line on stdin and answers each with one JSON line on stdout. "quit" or the end of stdin ends it.
//
//   node webpush-peer.mjs <install dir> <work.json>
//
// <install dir> holds node_modules/web-push (web-push@3.6.7, installed there by NodePeer, never for
// the tests or the WAR). <work.json>: {"inFlight": 100, "payload": "<JSON text>", "subscriptions":
// [{"endpoint", "keys": {"p256dh", "auth"}}, ...]}, the same subscriptions Herald delivers to.
//
// A round sends the payload once to every subscription, with inFlight requests at a time (inFlight
// lanes, each awaiting its sendNotification before the next), and prints {"pushes", "failures",
// "seconds", "cpuSeconds", "userSeconds", "systemSeconds", "failureReasons"}: seconds from the first
// push to the last answer, CPU from process.cpuUsage() over the same span (the whole process: the
// main thread, where web-push encrypts and signs synchronously, and libuv's threads).

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import readline from 'node:readline';

const [installDir, workFile] = process.argv.slice(2);
if (!installDir || !workFile) {
  console.error('usage: node webpush-peer.mjs <install dir> <work.json>');
  process.exit(2);
}
// ES modules ignore NODE_PATH: resolve web-push (and node's own https, the same module it uses) from the install dir
const require = createRequire(path.join(path.resolve(installDir), 'peer.cjs'));
const webpush = require('web-push');
const webpushVersion = require('web-push/package.json').version;

const work = JSON.parse(readFileSync(workFile, 'utf8'));
const subscriptions = work.subscriptions;
const inFlight = work.inFlight;
const payload = work.payload;

// Transport. web-push 3.6.7 (src/web-push-lib.js, sendNotification) always sends with https.request,
// from the endpoint's hostname, port and path only, so an http:// endpoint would get a TLS handshake;
// and it takes options.agent only when it is `instanceof https.Agent` (anything else, an http.Agent
// too, is ignored with a warning). The benchmark's push-service stub (the JDK's HttpServer) speaks
// plain HTTP/1.1 only, so Herald's client, which prefers HTTP/2, speaks HTTP/1.1 to it. So the agent passed
// below is an https.Agent (it passes the check and reaches https.request unchanged) whose
// createConnection is http.Agent's (net.createConnection): plain TCP instead of tls.connect, nothing
// else. https.request then writes an ordinary HTTP/1.1 request on those sockets, kept alive and at
// most inFlight at once. Nothing of the library or of the https module is patched: the encryption
// (a new P-256 key pair and ECDH per push, http_ece), the VAPID JWT (signed anew for every push by
// vapid-helper.js getVapidHeaders), the headers and the request building all run as shipped.
const agent = new https.Agent({ keepAlive: true, maxSockets: inFlight, maxFreeSockets: inFlight });
agent.createConnection = http.Agent.prototype.createConnection;

const vapid = webpush.generateVAPIDKeys();
webpush.setVapidDetails('mailto:bench@herald.invalid', vapid.publicKey, vapid.privateKey);
// aes128gcm (RFC 8291) is web-push 3.6.7's default (web-push-lib.js); said here so it cannot change under us
const options = { agent, contentEncoding: 'aes128gcm' };

async function round() {
  let next = 0;
  let pushes = 0;
  let failures = 0;
  const failureReasons = {};
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  async function lane() {
    while (next < subscriptions.length) {
      const subscription = subscriptions[next++];
      try {
        await webpush.sendNotification(subscription, payload, options);
        pushes++;
      } catch (e) {
        failures++;
        const reason = e.statusCode ? 'status ' + e.statusCode : String(e.code || e.message);
        failureReasons[reason] = (failureReasons[reason] || 0) + 1;
      }
    }
  }
  await Promise.all(Array.from({ length: inFlight }, lane));
  const used = process.cpuUsage(cpu);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    pushes, failures, seconds,
    cpuSeconds: (used.user + used.system) / 1e6, userSeconds: used.user / 1e6, systemSeconds: used.system / 1e6,
    failureReasons
  };
}

console.log(JSON.stringify({ ready: true, subscriptions: subscriptions.length, inFlight, node: process.version, webPush: webpushVersion }));
// one command at a time: the next line is read only after the round before it printed its answer
const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
for (;;) {
  const line = await lines.next();
  if (line.done || line.value.trim() === 'quit') {
    break;
  }
  if (line.value.trim() !== 'run') {
    console.log(JSON.stringify({ error: 'unknown command: ' + line.value }));
    continue;
  }
  console.log(JSON.stringify(await round()));
}
agent.destroy();
process.exit(0);
