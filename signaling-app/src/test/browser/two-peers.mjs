// Two headless Chromium pages hold a call through a running signaling node, via its demo page.
//
// Run by DemoPageBrowserTest inside a network namespace that holds only `lo`, so every ICE
// candidate and connectivity check stays on loopback. The node itself runs outside the namespace:
// this script listens on 127.0.0.1:<port> inside it and pipes every TCP connection to a Unix socket
// that the Java test relays to the node's real port. Page and WebSocket share that origin.
//
//   node two-peers.mjs --port=N --socket=PATH --room=NAME [--chromium=/usr/bin/chromium]
//                      [--join=url|together] [--glare=true] [--artifacts=DIR] [--timeout-ms=30000]
//
// --cut=alice: once the call runs, alice's WebSocket is cut (her page is served through a proxy
// port of its own) and kept away while bob restarts ICE, so his offer waits in the server for her;
// then the network comes back: her page must resume, answer, and the call go on without bob ever
// seeing peer-left.
//
// --join=url (default): the first page opens /?room=NAME and is in the room before the second
// opens it. --join=together: both pages open /, then join in the same instant (the server orders
// them: one is the newcomer). --glare=true: once connected, both pages restart ICE at once, so
// both offer and the offers cross, which perfect negotiation must resolve.
//
// Prints exactly one line `RESULT {json}` on stdout and exits 0 when the call worked, 1 when it
// did not, 2 on bad usage. Progress and browser console lines go to stderr.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { chromium } from 'playwright-core';
import { Proxy } from './harness.mjs';

const args = Object.fromEntries(process.argv.slice(2).map(a => {
  const m = /^--([^=]+)=(.*)$/.exec(a);
  if (!m) usage(`unexpected argument ${a}`);
  return [m[1], m[2]];
}));
const port = Number(args.port);
const socketPath = args.socket;
const room = args.room;
const chromiumPath = args.chromium || '/usr/bin/chromium';
const artifacts = args.artifacts || null;
const timeoutMs = Number(args['timeout-ms'] || 30000);
const joinMode = args.join || 'url';
const glare = args.glare === 'true';
// --relay=1: the pages force iceTransportPolicy "relay" (TURN only); --tokens=A,B: alice's and bob's
// access tokens, passed as ?token= as a person pasting a link would.
const relayOnly = args.relay === '1';
const tokens = args.tokens ? args.tokens.split(',') : [];
const cutAlice = args.cut === 'alice';
if (args.cut !== undefined && !cutAlice) usage(`--cut must be alice, got ${args.cut}`);
if (!Number.isInteger(port) || port < 1 || port > 65535) usage(`--port must be 1..65535, got ${args.port}`);
if (!socketPath) usage('--socket is required');
if (!room || !/^[A-Za-z0-9_-]{1,64}$/.test(room)) usage(`--room must be 1-64 chars of [A-Za-z0-9_-], got ${room}`);
if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) usage(`--timeout-ms must be a positive integer, got ${args['timeout-ms']}`);
if (joinMode !== 'url' && joinMode !== 'together') usage(`--join must be url or together, got ${joinMode}`);
if (!fs.existsSync(chromiumPath)) usage(`no browser at ${chromiumPath} (apt-get install chromium)`);

function usage(message) {
  process.stderr.write(`two-peers: ${message}\n`);
  process.exit(2);
}

function log(message) {
  process.stderr.write(`[two-peers +${Date.now() - started}ms] ${message}\n`);
}

const started = Date.now();
const deadline = started + timeoutMs;
const remaining = () => Math.max(1, deadline - Date.now());

// Every Chromium flag is ours (ignoreDefaultArgs: true): Chromium honours only the last
// --disable-features it sees, so Playwright's own list could not be merged with ours otherwise.
const disabledFeatures = [
  // Loopback host candidates must stay visible, not hidden behind mDNS names nothing resolves here.
  'WebRtcHideLocalIpsWithMdns',
  // What Playwright disables to keep a fresh profile from calling home.
  'OptimizationHints', 'NetworkTimeServiceQuerying', 'AimEnabled', 'PreconnectToSearch', 'MediaRouter',
  'DestroyProfileOnBrowserClose', 'HttpsUpgrades', 'HttpsFirstBalancedModeAutoEnable', 'LensOverlay',
  'PaintHolding', 'AvoidUnnecessaryBeforeUnloadCheckSync', 'Translate',
];
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signaling-chromium-'));
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-breakpad',
  '--disable-field-trial-config',
  '--disable-dev-shm-usage',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  '--metrics-recording-only',
  '--password-store=basic',
  '--use-mock-keychain',
  '--hide-scrollbars',
  '--mute-audio',
  '--autoplay-policy=no-user-gesture-required',
  '--allow-loopback-in-peer-connection',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  `--disable-features=${disabledFeatures.join(',')}`,
  `--user-data-dir=${userDataDir}`,
  // Playwright drives the browser over this pipe; it adds it itself only with its default args.
  '--remote-debugging-pipe',
  '--no-startup-window',
];

const result = { ok: false, room, join: joinMode, glare: null, cut: null, leave: null, port, peers: [], timingsMs: {}, error: null };
// The namespace's way out to the node; with --cut, alice has a port (and origin) of her own, whose
// connections the scenario cuts.
const relay = new Proxy(port, socketPath);
const aliceProxy = cutAlice ? new Proxy(port === 65535 ? 20000 : port + 1, socketPath) : null;
let browser = null;
const pages = [];
let finishing = null;
let resultWritten = false;

const watchdog = setTimeout(() => {
  // Last resort if something ignores its own timeout: report and leave; Playwright kills Chromium on exit.
  result.error = result.error || `watchdog: no result within ${timeoutMs + 15000} ms`;
  if (finishing) {
    writeResult();
    process.exit(1);
  }
  finish(1);
  setTimeout(() => { writeResult(); process.exit(1); }, 15000).unref();
}, timeoutMs + 15000);
watchdog.unref();

try {
  await relay.listen();
  if (aliceProxy) await aliceProxy.listen();
  log(`relay 127.0.0.1:${port}${aliceProxy ? ` (alice: ${aliceProxy.port})` : ''} -> ${socketPath}`);

  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    ignoreDefaultArgs: true,
    args: chromiumArgs,
    timeout: remaining(),
  });
  result.browserVersion = browser.version();
  result.timingsMs.browserStarted = Date.now() - started;
  log(`chromium ${browser.version()} started`);

  const base = `http://127.0.0.1:${port}/`;
  const pageUrls = {};
  for (const [i, name] of ['alice', 'bob'].entries()) {
    const origin = name === 'alice' && aliceProxy ? `http://127.0.0.1:${aliceProxy.port}/` : base;
    const url = `${origin}?room=${encodeURIComponent(room)}`;
    pageUrls[name] = url + (relayOnly ? '&relay=1' : '') + (tokens[i] ? '&token=' + encodeURIComponent(tokens[i]) : '');
    // Separate contexts: two independent "users", no shared storage or session.
    const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
    const page = await context.newPage();
    page.on('console', m => log(`${name} console.${m.type()}: ${m.text()}`));
    page.on('pageerror', e => log(`${name} page error: ${e.message}`));
    // The signaling conversation, one line per frame (type and size; SDP would drown the log).
    page.on('websocket', ws => {
      log(`${name} websocket open ${ws.url()}`);
      ws.on('framesent', f => log(`${name} ws -> ${describeFrame(f.payload)}`));
      ws.on('framereceived', f => log(`${name} ws <- ${describeFrame(f.payload)}`));
      ws.on('close', () => log(`${name} websocket closed`));
      ws.on('socketerror', e => log(`${name} websocket error ${e}`));
    });
    pages.push({ name, page });
  }
  if (joinMode === 'url') {
    // As a person would: one tab is in the room before the second arrives.
    for (const p of pages) {
      await p.page.goto(pageUrls[p.name], { timeout: remaining(), waitUntil: 'load' });
      await until(p, 'joined the room', () => window.signalingDemo.state.room);
    }
  } else {
    // Both join in the same instant; the server decides who is the newcomer.
    for (const p of pages) {
      await p.page.goto(base, { timeout: remaining(), waitUntil: 'load' });
    }
    await Promise.all(pages.map(p => until(p, 'welcome', () => window.signalingDemo.state.peerId)));
    await Promise.all(pages.map(p => p.page.evaluate(r => window.signalingDemo.join(r), room)));
    await Promise.all(pages.map(p => until(p, 'joined the room', () => window.signalingDemo.state.room)));
  }
  log(`both pages in room ${room} (join: ${joinMode})`);
  result.timingsMs.joined = Date.now() - started;

  // Connected and the chat channel open, with exactly one remote peer (the other page).
  await Promise.all(pages.map(p => until(p, 'peer connection connected and chat open', () => {
    const peers = [...window.signalingDemo.state.peers.values()];
    return peers.length === 1 && peers[0].pc.connectionState === 'connected'
      && peers[0].channel !== null && peers[0].channel.readyState === 'open'
      ? peers[0].id : false;
  })));
  result.timingsMs.connected = Date.now() - started;

  if (glare) {
    result.glare = await forceGlare();
    result.timingsMs.glareResolved = Date.now() - started;
  }

  const [a, b] = pages;
  for (const [from, to] of [[a, b], [b, a]]) {
    const text = `hello from ${from.name} ${crypto.randomUUID()}`;
    const sentTo = await from.page.evaluate(t => window.signalingDemo.sendChat(t), text);
    if (sentTo !== 1) throw new Error(`${from.name}: sendChat reached ${sentTo} open channels, expected 1`);
    await until(to, `chat message from ${from.name}`, t => window.signalingDemo.received().includes(t), text);
    from.sent = text;
  }
  result.timingsMs.chatted = Date.now() - started;

  await Promise.all(pages.map(p => until(p, 'remote video frames decoded',
    async () => (await window.signalingDemo.framesDecoded()) > 0)));
  result.timingsMs.framesDecoded = Date.now() - started;
  result.peers = await Promise.all(pages.map(p => describe(p)));
  await screenshots('call');

  if (cutAlice) {
    result.cut = await cutAndResume();
    result.timingsMs.resumed = Date.now() - started;
  }

  // Hang up as a person would: bob presses Leave; alice must see him go and drop his video tile.
  await b.page.click('#leaveBtn', { timeout: remaining() });
  await until(b, 'bob out of the room', () => window.signalingDemo.state.room === null
    && window.signalingDemo.state.peers.size === 0);
  await until(a, 'alice told that bob left', () => window.signalingDemo.state.peers.size === 0
    && document.querySelector('.videos [id^="tile-"]') === null);
  result.leave = { leaverOut: true, otherSawPeerLeft: true };
  result.timingsMs.left = Date.now() - started;
  result.ok = true;
} catch (e) {
  result.error = e && e.message ? e.message : String(e);
  log(`failed: ${e && e.stack ? e.stack : e}`);
} finally {
  await finish(result.ok ? 0 : 1);
}

// Alice's network goes away mid-call: her WebSocket is cut (no close frame: the server suspends her
// session) and new connections are held. While she is away bob restarts ICE, so his offer and
// candidates wait in the server for her. Then the network returns: her page resumes on its own,
// gets bob's offer replayed, answers, and the call goes on; bob never sees peer-left.
async function cutAndResume() {
  const [alice, bob] = pages;
  const framesBefore = await Promise.all(pages.map(p => p.page.evaluate(() => window.signalingDemo.framesDecoded())));
  const aliceId = await alice.page.evaluate(() => window.signalingDemo.state.peerId);
  const ufragBefore = await bob.page.evaluate(() => /a=ice-ufrag:(\S+)/.exec([...window.signalingDemo.state.peers.values()][0].pc.localDescription.sdp)[1]);
  aliceProxy.hold();
  const cutConnections = aliceProxy.cut();
  log(`cut alice's ${cutConnections} connection(s); holding new ones`);
  const shown = await until(alice, 'alice shows reconnecting', () => document.getElementById('connState').textContent.includes('reconnecting')
    && window.signalingDemo.state.connection === 'reconnecting' && document.getElementById('connState').textContent);
  await screenshots('reconnecting');
  await bob.page.evaluate(() => { for (const p of window.signalingDemo.state.peers.values()) p.pc.restartIce(); });
  await until(bob, 'bob sent his ICE-restart offer', () => [...window.signalingDemo.state.peers.values()][0].pc.signalingState === 'have-local-offer');
  const stillAway = await alice.page.evaluate(() => window.signalingDemo.state.connection);
  aliceProxy.release();
  log('alice\'s network is back');
  await until(alice, 'alice resumed', () => window.signalingDemo.state.connection === 'open'
    && window.signalingDemo.client.stats.resumes === 1 && document.getElementById('connState').textContent === 'connected');
  await Promise.all(pages.map(p => until(p, 'renegotiated after the resume', ufrag => {
    const peer = [...window.signalingDemo.state.peers.values()][0];
    const now = /a=ice-ufrag:(\S+)/.exec(peer.pc.remoteDescription.sdp)[1];
    const mine = /a=ice-ufrag:(\S+)/.exec(peer.pc.localDescription.sdp)[1];
    return peer.pc.signalingState === 'stable' && peer.pc.connectionState === 'connected' && (now !== ufrag || mine !== ufrag);
  }, ufragBefore)));
  // Video keeps being decoded: a good second's worth of new frames on both sides after the resume.
  const framesAfterResume = await Promise.all(pages.map(p => p.page.evaluate(() => window.signalingDemo.framesDecoded())));
  await Promise.all(pages.map((p, i) => until(p, 'new video frames after the resume',
    min => window.signalingDemo.framesDecoded().then(n => n >= min), framesAfterResume[i] + 20)));
  const framesLater = await Promise.all(pages.map(p => p.page.evaluate(() => window.signalingDemo.framesDecoded())));
  // The chat (data channel) works after the resume, both ways.
  const chat = [];
  for (const [from, to] of [[alice, bob], [bob, alice]]) {
    const text = `after the cut from ${from.name} ${crypto.randomUUID()}`;
    const sentTo = await from.page.evaluate(t => window.signalingDemo.sendChat(t), text);
    if (sentTo !== 1) throw new Error(`${from.name}: sendChat after the resume reached ${sentTo} open channels, expected 1`);
    await until(to, `chat after the resume from ${from.name}`, t => window.signalingDemo.received().includes(t), text);
    chat.push(text);
  }
  const histories = await Promise.all(pages.map(p => p.page.evaluate(() => ({
    peerId: window.signalingDemo.state.peerId,
    peerLeft: window.signalingDemo.history.filter(h => h.type === 'peer-left').length,
    resets: window.signalingDemo.history.filter(h => h.type === 'session-reset').length,
    states: window.signalingDemo.history.filter(h => h.type === 'state').map(h => h.detail.state),
    stats: window.signalingDemo.client.stats,
  }))));
  return {
    cutConnections, reconnectingShown: shown, stillAwayWhenBobOffered: stillAway,
    samePeerId: histories[0].peerId === aliceId,
    framesBefore, framesAfterResume, framesLater, chatAfterResume: chat,
    alice: histories[0], bob: histories[1],
  };
}

// Both pages restart ICE in the same instant, so both renegotiate and their offers cross; the
// polite side must roll back and answer, the impolite side must ignore the colliding offer. Tried
// again (bounded) in the rare case the offers did not cross; every round must end connected.
async function forceGlare() {
  const ufrags = () => Promise.all(pages.map(p => p.page.evaluate(() => {
    const peer = [...window.signalingDemo.state.peers.values()][0];
    return /a=ice-ufrag:(\S+)/.exec(peer.pc.localDescription.sdp)[1];
  })));
  const collisions = () => Promise.all(pages.map(p => p.page.evaluate(
    () => [...window.signalingDemo.state.peers.values()][0].collisions)));
  for (let attempt = 1; attempt <= 3; attempt++) {
    const before = await ufrags();
    const collisionsBefore = await collisions();
    await Promise.all(pages.map(p => p.page.evaluate(() => {
      for (const peer of window.signalingDemo.state.peers.values()) peer.pc.restartIce();
    })));
    await Promise.all(pages.map((p, i) => until(p, 'renegotiated after the glare', ufragBefore => {
      const peer = [...window.signalingDemo.state.peers.values()][0];
      const ufrag = /a=ice-ufrag:(\S+)/.exec(peer.pc.localDescription.sdp)[1];
      return peer.pc.signalingState === 'stable' && !peer.makingOffer && ufrag !== ufragBefore
        && peer.pc.connectionState === 'connected';
    }, before[i])));
    const after = await collisions();
    const seen = after.map((n, i) => n - collisionsBefore[i]);
    log(`glare attempt ${attempt}: collisions seen by ${pages.map((p, i) => `${p.name}=${seen[i]}`).join(', ')}`);
    if (seen.every(n => n > 0)) return { attempts: attempt, collisions: Object.fromEntries(pages.map((p, i) => [p.name, seen[i]])) };
  }
  throw new Error('the offers never crossed in 3 simultaneous ICE restarts');
}

// Polls fn in the page until it returns something truthy or the overall deadline passes.
async function until(p, what, fn, arg) {
  let last;
  while (Date.now() < deadline) {
    try {
      last = await p.page.evaluate(fn, arg);
      if (last) return last;
    } catch (e) {
      last = `evaluate failed: ${e.message}`;
      if (p.page.isClosed()) break;
    }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`${p.name}: timed out after ${timeoutMs} ms waiting for: ${what} (last: ${JSON.stringify(last)})`);
}

// What a page knows of the call, for the result (and, on failure, for the diagnosis).
async function describe(p) {
  try {
    const info = await p.page.evaluate(async () => {
      const d = window.signalingDemo;
      return {
        peerId: d.state.peerId,
        room: d.state.room,
        connectionStates: d.connectionStates(),
        identity: d.state.identity || null,
        identities: d.identities(),
        candidateTypes: await d.selectedCandidateTypes(),
        negotiation: [...d.state.peers.values()].map(p => ({
          peer: p.id, polite: p.polite, signaling: p.pc.signalingState, ice: p.pc.iceConnectionState,
          gathering: p.pc.iceGatheringState, remoteDescription: p.pc.remoteDescription ? p.pc.remoteDescription.type : null,
          channel: p.channel ? p.channel.readyState : null,
        })),
        received: d.received(),
        framesDecoded: await d.framesDecoded(),
        media: document.getElementById('mediaState').textContent,
        status: document.getElementById('status').textContent,
      };
    });
    return { name: p.name, sent: p.sent || null, ...info };
  } catch (e) {
    return { name: p.name, sent: p.sent || null, error: e.message };
  }
}

function finish(code) {
  finishing = finishing || (async () => {
    if (browser) {
      if (result.peers.length === 0) {
        for (const p of pages) {
          result.peers.push(await withTimeout(describe(p), 3000, { name: p.name, error: 'describe timed out' }));
        }
      }
      await screenshots('end');
      await withTimeout(browser.close(), 10000, null).catch(e => log(`browser close failed: ${e.message}`));
    }
    await withTimeout(relay.close(), 3000, null);
    if (aliceProxy) await withTimeout(aliceProxy.close(), 3000, null);
    fs.rmSync(userDataDir, { recursive: true, force: true });
    writeResult();
    process.exit(code);
  })();
  return finishing;
}

function writeResult() {
  if (resultWritten) return;
  resultWritten = true;
  result.timingsMs.total = Date.now() - started;
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

async function screenshots(label) {
  if (!artifacts) return;
  fs.mkdirSync(artifacts, { recursive: true });
  for (const p of pages) {
    const file = path.join(artifacts, `${p.name}-${label}.png`);
    await withTimeout(p.page.screenshot({ path: file }), 5000, null).catch(e => log(`screenshot ${file} failed: ${e.message}`));
  }
}

function describeFrame(payload) {
  const text = String(payload);
  try {
    const m = JSON.parse(text);
    const extra = m.type === 'error' ? ` ${m.code}: ${m.message}` : m.type === 'candidate' && m.payload === null ? ' end-of-candidates' : '';
    return `${m.type}${extra} (${text.length} chars)`;
  } catch (e) {
    return `non-JSON (${text.length} chars)`;
  }
}

function withTimeout(promise, ms, fallback) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise(resolve => { timer = setTimeout(() => resolve(fallback), ms); }),
  ]);
}
