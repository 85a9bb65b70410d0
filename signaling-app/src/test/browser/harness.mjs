// Shared by the browser scenarios (two-peers.mjs, client-module.mjs): Chromium's flags, its launch,
// and the namespace's way out — a loopback TCP proxy to the node's Unix socket whose listeners can
// cut, hold and black-hole their connections, so a test can drop a page's WebSocket on purpose.

import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export function parseArgs(argv, usage) {
  return Object.fromEntries(argv.map(a => {
    const m = /^--([^=]+)=(.*)$/.exec(a);
    if (!m) usage(`unexpected argument ${a}`);
    return [m[1], m[2]];
  }));
}

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

export function chromiumArgs(userDataDir) {
  return [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--no-default-browser-check', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--disable-default-apps', '--disable-extensions', '--disable-breakpad',
    '--disable-field-trial-config', '--disable-dev-shm-usage', '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows', '--metrics-recording-only',
    '--password-store=basic', '--use-mock-keychain', '--hide-scrollbars', '--mute-audio',
    '--autoplay-policy=no-user-gesture-required', '--allow-loopback-in-peer-connection',
    '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
    `--disable-features=${disabledFeatures.join(',')}`,
    `--user-data-dir=${userDataDir}`,
    // Playwright drives the browser over this pipe; it adds it itself only with its default args.
    '--remote-debugging-pipe', '--no-startup-window',
  ];
}

/** Launches Debian's Chromium; returns {browser, userDataDir}. */
export async function launchChromium(executablePath, timeout) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signaling-chromium-'));
  const browser = await chromium.launch({
    executablePath, headless: true, ignoreDefaultArgs: true, args: chromiumArgs(userDataDir), timeout,
  });
  return { browser, userDataDir };
}

/**
 * One listener on 127.0.0.1:port inside the namespace; every TCP connection is piped to the node's
 * Unix socket. Its connections can be cut (both ends destroyed at once: the browser and the server
 * each see the TCP connection end without a WebSocket close frame, as when a network goes away),
 * held (new connections wait, unforwarded, until released: the network is still away) and
 * black-holed (bytes in either direction are read and dropped: the frames written into a dying
 * connection are lost, as on a real network that stops answering).
 */
export class Proxy {
  constructor(port, socketPath) {
    this.port = port;
    this.socketPath = socketPath;
    this.sockets = new Set();
    this.connections = 0;
    this.cuts = 0;
    this.holding = false;
    this.held = [];
    this.blackholed = new Set();
    this.server = net.createServer(client => {
      this.connections += 1;
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => {});
      if (this.holding) {
        client.pause();
        this.held.push(client);
      } else {
        this._forward(client);
      }
    });
  }

  listen() {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', resolve);
    });
  }

  _forward(client) {
    const upstream = net.connect(this.socketPath);
    const pair = { client, upstream };
    this.sockets.add(upstream);
    upstream.on('close', () => this.sockets.delete(upstream));
    // A reset on either side ends both, so neither half lingers.
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('data', d => { if (!this.blackholed.has(pair)) upstream.write(d); });
    upstream.on('data', d => { if (!this.blackholed.has(pair)) client.write(d); });
    client.resume();
    this.pairs = this.pairs || new Set();
    this.pairs.add(pair);
    client.on('close', () => { this.pairs.delete(pair); this.blackholed.delete(pair); });
  }

  /** From now on, every open connection's bytes are dropped both ways (the connections stay up). */
  blackhole() {
    for (const pair of this.pairs || []) this.blackholed.add(pair);
    return this.blackholed.size;
  }

  /** Destroys every connection (open, held or black-holed); returns how many were open. */
  cut() {
    const n = (this.pairs || new Set()).size + this.held.length;
    for (const s of this.sockets) s.destroy();
    this.held = [];
    this.cuts += 1;
    return n;
  }

  /** New connections wait, unforwarded, until release(). */
  hold() { this.holding = true; }

  release() {
    this.holding = false;
    for (const c of this.held.splice(0)) this._forward(c);
  }

  close() {
    for (const s of this.sockets) s.destroy();
    return new Promise(r => this.server.close(() => r()));
  }
}

export function describeFrame(payload) {
  const text = String(payload);
  try {
    const m = JSON.parse(text);
    const extra = m.type === 'error' ? ` ${m.code}: ${m.message}` : m.type === 'candidate' && m.payload === null ? ' end-of-candidates' : '';
    const seq = m.seq !== undefined ? ` seq=${m.seq}` : '';
    return `${m.type}${extra}${seq} (${text.length} chars)`;
  } catch (e) {
    return `non-JSON (${text.length} chars)`;
  }
}

export function withTimeout(promise, ms, fallback) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise(resolve => { timer = setTimeout(() => resolve(fallback), ms); }),
  ]);
}
