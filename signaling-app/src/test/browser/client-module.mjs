// The browser client module (/signaling-client.js) tested in real Chromium against a running node.
//
// Run by SignalingClientBrowserTest inside a network namespace that holds only `lo` (as
// two-peers.mjs). One page on the node's origin imports the module as a user's app would, and
// drives several SignalingClient instances; each one reaches the node through its own loopback TCP
// proxy port (harness.mjs), so the script can cut, hold or black-hole one client's connection while
// the others carry on.
//
//   node client-module.mjs --port=N --socket=PATH --room=PREFIX [--chromium=/usr/bin/chromium]
//                          [--cases=a,b,...] [--timeout-ms=60000]
//
// Cases (default: all): basics, ice-servers, resume, dying-socket, half-open, reset. Prints exactly one line
// `RESULT {json}` on stdout ({ok, cases: {name: {ok, error, ...facts}}}) and exits 0 when every case
// passed, 1 when one did not, 2 on bad usage. Progress and browser console lines go to stderr.

import fs from 'node:fs';
import { parseArgs, launchChromium, Proxy, describeFrame, withTimeout } from './harness.mjs';

const args = parseArgs(process.argv.slice(2), usage);
const port = Number(args.port);
const socketPath = args.socket;
const roomPrefix = args.room;
const chromiumPath = args.chromium || '/usr/bin/chromium';
const timeoutMs = Number(args['timeout-ms'] || 60000);
const ALL = ['basics', 'ice-servers', 'resume', 'dying-socket', 'half-open', 'reset'];
const cases = args.cases ? args.cases.split(',') : ALL;
if (!Number.isInteger(port) || port < 1 || port > 65535) usage(`--port must be 1..65535, got ${args.port}`);
if (!socketPath) usage('--socket is required');
if (!roomPrefix || !/^[A-Za-z0-9_-]{1,40}$/.test(roomPrefix)) usage(`--room must be 1-40 chars of [A-Za-z0-9_-], got ${roomPrefix}`);
for (const c of cases) if (!ALL.includes(c)) usage(`unknown case ${c} (known: ${ALL.join(', ')})`);
if (!fs.existsSync(chromiumPath)) usage(`no browser at ${chromiumPath} (apt-get install chromium)`);

function usage(message) {
  process.stderr.write(`client-module: ${message}\n`);
  process.exit(2);
}

const started = Date.now();
function log(message) {
  process.stderr.write(`[client-module +${Date.now() - started}ms] ${message}\n`);
}

const result = { ok: false, cases: {}, error: null };
const proxies = new Map(); // name -> Proxy on its own port
let browser = null;
let userDataDir = null;
let page = null;
let nextPort = port === 65535 ? 20000 : port + 1;
let deadline = 0;

const main = new Proxy(port, socketPath);

const watchdog = setTimeout(() => {
  result.error = result.error || `watchdog: no result within ${timeoutMs + 15000} ms`;
  writeResult();
  process.exit(1);
}, timeoutMs + 15000);
watchdog.unref();

function writeResult() {
  if (writeResult.done) return;
  writeResult.done = true;
  result.timingMs = Date.now() - started;
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

// ---- in the page ----

// Runs in the page: imports the module and keeps every client's events, in order.
async function installHelpers() {
  const module = await import('/signaling-client.js');
  const T = {
    module,
    clients: {},
    events: {},
    make(name, port, options) {
      const client = new module.SignalingClient(`ws://127.0.0.1:${port}/ws`, options || {});
      T.clients[name] = client;
      const log = T.events[name] = [];
      for (const type of ['state', 'welcome', 'resumed', 'session-reset', 'joined', 'peer-joined', 'peer-left',
        'left', 'signal', 'offer', 'answer', 'candidate', 'ice-servers', 'goaway', 'error', 'replaced', 'close']) {
        client.addEventListener(type, e => {
          const d = e.detail;
          log.push({ type, detail: d instanceof Error ? { code: d.code, message: d.message } : JSON.parse(JSON.stringify(d ?? null)) });
        });
      }
      return client;
    },
    of(name, type) { return T.events[name].filter(e => e.type === type).map(e => e.detail); },
    closeAll() {
      for (const c of Object.values(T.clients)) c.close();
      T.clients = {};
      T.events = {};
    },
  };
  window.T = T;
}

// ---- node side ----

function proxyFor(name) {
  if (!proxies.has(name)) proxies.set(name, new Proxy(nextPort++, socketPath));
  return proxies.get(name);
}

async function client(name, options) {
  const proxy = proxyFor(name);
  if (!proxy.server.listening) await proxy.listen();
  await page.evaluate(([n, p, o]) => { window.T.make(n, p, o); }, [name, proxy.port, options || {}]);
  return proxy;
}

// page.evaluate bounded by the case's deadline (a promise in the page may never settle when broken).
async function ev(fn, arg) {
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out in the page: ${String(fn).slice(0, 120)}`)), Math.max(1, deadline - Date.now()));
  });
  try {
    return await Promise.race([page.evaluate(fn, arg), expired]);
  } finally {
    clearTimeout(timer);
  }
}

async function until(what, fn, arg) {
  let last;
  while (Date.now() < deadline) {
    try {
      last = await page.evaluate(fn, arg);
      if (last) return last;
    } catch (e) {
      last = `evaluate failed: ${e.message}`;
    }
    await new Promise(r => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for: ${what} (last: ${JSON.stringify(last)})`);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function sameList(actual, expected, what) {
  check(JSON.stringify(actual) === JSON.stringify(expected), `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** Two clients a and b, both connected and in one room (a first: a is polite toward b). */
async function pair(room, optionsA, optionsB) {
  const pa = await client('a', optionsA);
  const pb = await client('b', optionsB);
  await ev(async r => {
    const { a, b } = window.T.clients;
    await a.connect();
    await b.connect();
    await a.join(r);
    await b.join(r);
  }, room);
  await until('a saw b join', () => window.T.of('a', 'peer-joined').length === 1);
  return { pa, pb };
}

/** Payloads of `type` signals `to` received from `from`, in order. */
const signalsOf = (to, from) => ev(([t, f]) => window.T.of(t, 'signal').filter(s => s.from === window.T.clients[f].peerId).map(s => s.payload), [to, from]);

const CASES = {
  // Connect, join, relay, roles, errors, ping, leave: the module against the real server.
  async basics(facts, room) {
    await pair(room);
    const info = await ev(() => {
      const { a, b } = window.T.clients;
      return {
        v11: [a.v11, b.v11], states: [a.state, b.state], ids: [a.peerId, b.peerId], rooms: [a.room, b.room],
        aPolite: a.isPolite(b.peerId), bPolite: b.isPolite(a.peerId),
        bJoined: window.T.of('b', 'joined')[0], aPeerJoined: window.T.of('a', 'peer-joined')[0],
        resumeWindowMs: a.limits && a.limits.resumeWindowMs,
      };
    });
    Object.assign(facts, { v11: info.v11, aPolite: info.aPolite, bPolite: info.bPolite, resumeWindowMs: info.resumeWindowMs ?? null });
    sameList(info.v11, [true, true], 'negotiated v1.1');
    sameList(info.states, ['open', 'open'], 'states');
    check(info.ids[0] && info.ids[1] && info.ids[0] !== info.ids[1], `peer ids ${info.ids}`);
    sameList(info.rooms, [room, room], 'rooms');
    sameList(info.bJoined.peers.map(p => [p.peerId, p.polite]), [[info.ids[0], false]], "b's joined.peers");
    check(info.aPeerJoined.peerId === info.ids[1] && info.aPeerJoined.polite === true, `a's peer-joined ${JSON.stringify(info.aPeerJoined)}`);
    check(info.aPolite === true && info.bPolite === false, 'a is polite toward b, b impolite toward a');

    // Relay both ways, every type, in order; end-of-candidates is null.
    await ev(() => {
      const { a, b } = window.T.clients;
      a.send('offer', b.peerId, { type: 'offer', sdp: 'v=0 a' });
      a.send('candidate', b.peerId, { candidate: 'c1' });
      a.send('candidate', b.peerId, null);
      b.send('answer', a.peerId, { type: 'answer', sdp: 'v=0 b' });
    });
    await until('relays arrived', () => window.T.of('b', 'signal').length === 3 && window.T.of('a', 'signal').length === 1);
    sameList(await signalsOf('b', 'a'), [{ type: 'offer', sdp: 'v=0 a' }, { candidate: 'c1' }, null], 'b received');
    sameList(await ev(() => window.T.of('b', 'signal').map(s => s.type)), ['offer', 'candidate', 'candidate'], 'types b received');
    sameList(await ev(() => window.T.of('b', 'offer').length), 1, 'offer also dispatched as its own type');
    sameList(await signalsOf('a', 'b'), [{ type: 'answer', sdp: 'v=0 b' }], 'a received');

    // Errors: a request's reject; a relay's error as an event; bad arguments as TypeError.
    const errors = await ev(async r => {
      const { a } = window.T.clients;
      const codes = [];
      for (const attempt of [() => a.join(r), () => a.join('not a room!')]) {
        try { await attempt(); codes.push('resolved'); } catch (e) { codes.push(e.code); }
      }
      a.send('offer', 'nobody-here', {});
      const thrown = [];
      for (const bad of [() => a.send('join', 'x', 1), () => a.send('offer', '', 1), () => a.send('offer', 'x')]) {
        try { bad(); thrown.push('none'); } catch (e) { thrown.push(e.name); }
      }
      const rtt = await a.ping();
      return { codes, thrown, rtt };
    }, room);
    sameList(errors.codes, ['already-in-room', 'invalid-room'], 'join errors');
    sameList(errors.thrown, ['TypeError', 'TypeError', 'TypeError'], 'bad send arguments');
    check(typeof errors.rtt === 'number' && errors.rtt >= 0, `ping rtt ${errors.rtt}`);
    await until('peer-not-found as an error event', () => window.T.of('a', 'error').some(e => e.code === 'peer-not-found'));

    // A client that asks for v1 only: no subprotocol, no numbering, and still every feature of v1.
    await client('c', { v11: false });
    const v1 = await ev(async r => {
      const { b, c } = window.T.clients;
      await c.connect();
      const joined = await c.join(r);
      c.send('offer', b.peerId, { v: 1 });
      return { v11: c.v11, clientSeq: c.clientSeq, peers: joined.peers.length, polite: joined.polite };
    }, room);
    sameList([v1.v11, v1.clientSeq, v1.peers, v1.polite], [false, 0, 2, false], 'a v1 client (v11, clientSeq, peers, polite)');
    await until('b got the v1 client\'s offer', () => window.T.of('b', 'signal').some(s => s.payload && s.payload.v === 1));
    await ev(() => window.T.clients.c.close());
    await until('b saw the v1 client leave', () => window.T.of('b', 'peer-left').length === 1);
    facts.v1Client = true;

    // Leave: a is out, b sees a leave (reason leave), b's peers are empty.
    const left = await ev(() => window.T.clients.a.leave());
    check(left.reason === 'leave' || left.reason === undefined || left.reason === 'leave', `left ${JSON.stringify(left)}`);
    await until('b saw a leave', () => window.T.of('b', 'peer-left').length === 2);
    const after = await ev(() => ({ aRoom: window.T.clients.a.room, bPeers: window.T.clients.b.peers.size, reasons: window.T.of('b', 'peer-left').map(p => p.reason) }));
    sameList([after.aRoom, after.bPeers, after.reasons], [null, 0, ['disconnect', 'leave']], 'after leave');
    facts.relayed = 4;
  },

  // The node hands out TURN credentials (turn.* set by the test, turn.ttl short) and refreshes them
  // before they expire (v1.1 ice-servers): the client exposes each set as iceServers and says so.
  async 'ice-servers'(facts) {
    await client('a');
    const first = await ev(async () => {
      const { a } = window.T.clients;
      await a.connect();
      return a.iceServers;
    });
    const turn = list => list.find(s => s.username);
    check(turn(first) && turn(first).credential, `welcome.iceServers with a TURN credential: ${JSON.stringify(first)}`);
    await until('an ice-servers refresh', () => window.T.of('a', 'ice-servers').length >= 1);
    const refreshed = await ev(() => ({ event: window.T.of('a', 'ice-servers')[0].iceServers, now: window.T.clients.a.iceServers }));
    sameList(refreshed.now, refreshed.event, 'iceServers after the refresh');
    check(turn(refreshed.now).username !== turn(first).username, 'the refresh brought a new TURN username');
    facts.refreshed = true;
  },

  // The socket is cut (the network went away and stays away for a while): both sides keep
  // sending; after the resume each receives exactly what the other sent, once, in order, and
  // nobody saw peer-left.
  async resume(facts, room) {
    const { pa } = await pair(room);
    const before = await ev(() => ({ id: window.T.clients.a.peerId }));
    pa.hold();
    facts.cutConnections = pa.cut();
    await until('a reconnecting', () => window.T.clients.a.state === 'reconnecting');
    await ev(() => {
      const { a, b } = window.T.clients;
      const bId = [...a.peers.keys()][0];
      for (let i = 1; i <= 5; i++) b.send('candidate', a.peerId, { n: i, from: 'b' });
      for (let i = 1; i <= 5; i++) a.send('candidate', bId, { n: i, from: 'a' });
    });
    pa.release();
    await until('a resumed', () => window.T.of('a', 'resumed').length === 1);
    await until('all relays arrived', () => window.T.of('a', 'signal').length >= 5 && window.T.of('b', 'signal').length >= 5);
    await ev(() => window.T.clients.a.ping()); // a round trip: anything still on its way arrives before the pong
    await ev(() => window.T.clients.b.ping());
    const expect = from => [1, 2, 3, 4, 5].map(n => ({ n, from }));
    sameList(await signalsOf('a', 'b'), expect('b'), 'a received across the cut');
    sameList(await signalsOf('b', 'a'), expect('a'), 'b received across the cut');
    const after = await ev(() => ({
      id: window.T.clients.a.peerId, room: window.T.clients.a.room,
      states: window.T.of('a', 'state').map(s => s.state),
      bPeerLeft: window.T.of('b', 'peer-left').length, aResets: window.T.of('a', 'session-reset').length,
      stats: window.T.clients.a.stats,
    }));
    check(after.id === before.id, `a's peer id changed: ${before.id} -> ${after.id}`);
    check(after.room === room, `a's room after the resume: ${after.room}`);
    sameList(after.states, ['connecting', 'open', 'reconnecting', 'open'], "a's states");
    sameList([after.bPeerLeft, after.aResets], [0, 0], 'peer-left seen by b, resets of a');
    Object.assign(facts, { states: after.states, stats: after.stats });
  },

  // Frames written into a dying connection are lost in it (black-holed, then cut): the resume
  // gets them back from both sequence numbers — lastSeq (the server replays what it wrote) and
  // lastClientSeq (the client sends again what the server never processed).
  async 'dying-socket'(facts, room) {
    const { pa } = await pair(room, { heartbeatMs: 0 });
    await ev(() => window.T.clients.a.ping()); // the outbox is acknowledged: only what follows is at stake
    facts.blackholed = pa.blackhole();
    await ev(() => {
      const { a, b } = window.T.clients;
      const bId = [...a.peers.keys()][0];
      for (let i = 1; i <= 3; i++) a.send('offer', bId, { n: i, from: 'a' });
      for (let i = 1; i <= 3; i++) b.send('offer', a.peerId, { n: i, from: 'b' });
    });
    // b's three went through b's own healthy socket to the server, which wrote them to a's.
    await ev(() => window.T.clients.b.ping());
    const lostInFlight = await ev(() => ({ a: window.T.of('a', 'signal').length, b: window.T.of('b', 'signal').length }));
    sameList([lostInFlight.a, lostInFlight.b], [0, 0], 'frames that got through the black hole');
    pa.cut();
    await until('a resumed', () => window.T.of('a', 'resumed').length === 1);
    await until('all relays arrived', () => window.T.of('a', 'signal').length >= 3 && window.T.of('b', 'signal').length >= 3);
    await ev(() => window.T.clients.a.ping());
    await ev(() => window.T.clients.b.ping());
    const expect = from => [1, 2, 3].map(n => ({ n, from }));
    sameList(await signalsOf('a', 'b'), expect('b'), 'a received (replayed by the server)');
    sameList(await signalsOf('b', 'a'), expect('a'), 'b received (resent by the client)');
    const after = await ev(() => ({ bPeerLeft: window.T.of('b', 'peer-left').length, stats: window.T.clients.a.stats }));
    sameList(after.bPeerLeft, 0, 'peer-left seen by b');
    check(after.stats.resent >= 3, `a resent ${after.stats.resent} messages, expected at least 3`);
    Object.assign(facts, { stats: after.stats });
  },

  // A half-open connection (no byte gets through, nothing closes it): the heartbeat notices, the
  // client resumes on a new connection, and the server replaces the old one (4001).
  async 'half-open'(facts, room) {
    const { pa } = await pair(room, { heartbeatMs: 300, heartbeatTimeoutMs: 1000 });
    const connectionsBefore = pa.connections;
    facts.blackholed = pa.blackhole();
    await ev(() => {
      const { a, b } = window.T.clients;
      b.send('answer', a.peerId, { n: 1 });
    });
    await until('a resumed', () => window.T.of('a', 'resumed').length === 1);
    await until('the relay arrived', () => window.T.of('a', 'signal').length >= 1);
    sameList(await signalsOf('a', 'b'), [{ n: 1 }], 'a received');
    const after = await ev(() => ({
      bPeerLeft: window.T.of('b', 'peer-left').length, states: window.T.of('a', 'state').map(s => s.state),
      closes: window.T.of('a', 'close'),
    }));
    sameList(after.bPeerLeft, 0, 'peer-left seen by b');
    sameList(after.states, ['connecting', 'open', 'reconnecting', 'open'], "a's states");
    check(after.closes.some(c => c.code === 4000), `a abandoned the silent socket: ${JSON.stringify(after.closes)}`);
    facts.proxyConnections = pa.connections - connectionsBefore;
    check(facts.proxyConnections === 1, `a opened ${facts.proxyConnections} connections after the first, expected 1`);
  },

  // A resume the server cannot honour (here: a token it never issued, as after the window ran out)
  // gives a new session: session-reset, a new peer id, the room joined again by itself; the old
  // session ends (b sees it leave) and b sees the new peer join.
  async reset(facts, room) {
    const { pa } = await pair(room, { heartbeatMs: 0 });
    const oldId = await ev(() => window.T.clients.a.peerId);
    // The token the client will present: one the server never issued (set before the cut, since
    // the client reconnects at once and its upgrade request carries the token).
    await ev(() => { window.T.clients.a._resumeToken = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'; });
    pa.cut();
    await until('a reset', () => window.T.of('a', 'session-reset').length === 1);
    await until('a back in the room', () => window.T.clients.a.room !== null && window.T.of('a', 'joined').length === 2);
    const after = await ev(() => ({
      id: window.T.clients.a.peerId, reset: window.T.of('a', 'session-reset')[0],
      welcome: window.T.of('a', 'welcome').map(w => w.resumed),
      joined: window.T.of('a', 'joined')[1],
    }));
    check(after.id && after.id !== oldId, `a's new peer id ${after.id} (old ${oldId})`);
    sameList([after.reset.previousPeerId, after.reset.previousRoom], [oldId, room], 'session-reset detail');
    sameList(after.welcome, [false, false], 'welcome.resumed');
    check(after.joined.room === room, `a joined ${after.joined.room} again`);
    // The server ends the old session when it is suspended (peer-left) or at the window's end.
    await until('b saw the new a join', () => window.T.of('b', 'peer-joined').some(p => p.peerId === window.T.clients.a.peerId));
    facts.newPeerId = after.id !== oldId;
  },
};

// Last, so that every case above is defined when the run begins.
async function run() {
try {
  await main.listen();
  ({ browser, userDataDir } = await launchChromium(chromiumPath, timeoutMs));
  log(`chromium ${browser.version()} started`);
  const context = await browser.newContext();
  page = await context.newPage();
  page.on('console', m => log(`console.${m.type()}: ${m.text()}`));
  page.on('pageerror', e => log(`page error: ${e.message}`));
  page.on('websocket', ws => {
    const name = new URL(ws.url()).port;
    log(`ws :${name} open ${ws.url().replace(/(resume|access_token)=[^&]+/g, '$1=…')}`);
    ws.on('framesent', f => log(`ws :${name} -> ${describeFrame(f.payload)}`));
    ws.on('framereceived', f => log(`ws :${name} <- ${describeFrame(f.payload)}`));
    ws.on('close', () => log(`ws :${name} closed`));
  });
  // A document of the node's origin (the module's own URL: a plain text document without a page
  // policy); the module is imported from there as an app would. (A page the test made up itself
  // would count as a public address, and Chromium's local network access checks would block it.)
  const base = `http://127.0.0.1:${port}`;
  await page.goto(`${base}/signaling-client.js`, { timeout: timeoutMs });
  await page.evaluate(installHelpers);

  for (const name of cases) {
    deadline = Date.now() + timeoutMs;
    const facts = {};
    log(`--- case ${name}`);
    try {
      await CASES[name](facts, `${roomPrefix}-${name}`);
      result.cases[name] = { ok: true, ...facts };
    } catch (e) {
      log(`case ${name} failed: ${e && e.stack ? e.stack : e}`);
      result.cases[name] = { ok: false, error: e && e.message ? e.message : String(e), ...facts };
    }
    await page.evaluate(() => window.T.closeAll()).catch(() => {});
  }
  result.ok = Object.values(result.cases).every(c => c.ok);
} catch (e) {
  result.error = e && e.message ? e.message : String(e);
  log(`failed: ${e && e.stack ? e.stack : e}`);
} finally {
  if (browser) await withTimeout(browser.close(), 10000, null).catch(() => {});
  for (const p of [main, ...proxies.values()]) await withTimeout(p.close(), 3000, null);
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  writeResult();
  process.exit(result.ok ? 0 : 1);
}
}

await run();
