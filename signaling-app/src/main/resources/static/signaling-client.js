// signaling-client.js: the official browser client of signaling protocol v1.1.
//
// One ES module, no dependencies, no build step: copy it into your app or import it from the server
// that serves it (GET /signaling-client.js). It speaks the wire contract (signaling-v1.md,
// signaling-v1.1.md; this server's choices in docs/protocol.md) and hides the parts every client
// needs and few get right:
//
// - v1.1 negotiation (subprotocol "signaling.v1.1"), falling back to plain v1 against an older server;
// - the access token (auth.mode: jwt) as ?access_token=, the only way a browser can send it;
// - automatic resume after a dropped socket, with both sequence numbers: the server's `seq`
//   (lastSeq: nothing missed, nothing twice) and the client's own (lastClientSeq: what the dying
//   socket swallowed is sent again), so a call's room-mates never notice the drop;
// - the perfect-negotiation role (`polite`) the server assigns, handed to the caller per peer;
// - the ICE servers (welcome.iceServers, and v1.1's `ice-servers` refresh of TURN credentials);
// - pacing under the server's rate limit, so that no message is dropped by it.
//
// The documentation is docs/client.md; every event and method is described below as well.
//
//   import { SignalingClient } from '/signaling-client.js';
//   const client = new SignalingClient('wss://signal.example.org/ws', { token });
//   client.addEventListener('peer-joined', e => startCall(e.detail.peerId, e.detail.polite));
//   client.addEventListener('signal', e => onSignal(e.detail.type, e.detail.from, e.detail.payload));
//   await client.connect();
//   await client.join('my-room');
//   client.send('offer', peerId, { type: 'offer', sdp });
//
// License: the project's (see LICENSE); copying this one file into your app is what it is for.

/** The WebSocket subprotocol of v1.1. */
export const PROTOCOL = 'signaling.v1.1';

/** Relay message types: what {@link SignalingClient#send} sends and the `signal` event carries. */
export const RELAY_TYPES = Object.freeze(['offer', 'answer', 'candidate']);

/**
 * Connection states, in the `state` property and the `state` event:
 * - `idle`: created, {@link SignalingClient#connect} not called yet;
 * - `connecting`: the first connection is being opened;
 * - `open`: a session is live (after `welcome`);
 * - `reconnecting`: the socket was lost; the client is opening a new one and will resume the same
 *   session if the server still holds it (then the room-mates never noticed);
 * - `closed`: {@link SignalingClient#close} was called, or the session was replaced elsewhere (4001).
 * @typedef {'idle'|'connecting'|'open'|'reconnecting'|'closed'} ConnectionState
 */

/**
 * A remote peer of the current room.
 * @typedef {object} RemotePeer
 * @property {string} peerId the server-assigned id
 * @property {boolean} polite the perfect-negotiation role of THIS client toward that peer (true: this
 *   client is polite: on an offer collision it rolls back; false: it ignores the colliding offer)
 * @property {string|null} identity the peer's verified identity (the token's `sub`), under auth.mode jwt
 */

/**
 * An error the server sent (`type: "error"`), or a request that could not complete.
 * `code` is the protocol's error code (`room-full`, `forbidden`, ...) or, from this client,
 * `session-reset` (the session ended before the reply: see the `session-reset` event) and `closed`.
 */
export class SignalingError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {object} [frame] the server's error frame, when there was one
   */
  constructor(code, message, frame) {
    super(message);
    this.name = 'SignalingError';
    /** @type {string} */
    this.code = code;
    /** @type {number|undefined} milliseconds to wait before retrying (`rate-limited`, `unavailable`) */
    this.retryAfterMs = frame && typeof frame.retryAfterMs === 'number' ? frame.retryAfterMs : undefined;
    /** @type {object|undefined} */
    this.frame = frame;
  }
}

/**
 * Options of {@link SignalingClient}. Every one is optional.
 * @typedef {object} SignalingClientOptions
 * @property {string|(() => (string|Promise<string>))} [token] access token for auth.mode jwt, or a
 *   function returning one (called before every connection, so a fresh token is used to resume)
 * @property {boolean} [v11=true] ask for v1.1; false speaks v1 (no resume, no ice-servers refresh)
 * @property {boolean} [reconnect=true] reconnect after a lost socket (resuming when possible); false
 *   ends in `closed` instead
 * @property {boolean} [rejoin=true] after a session could not be resumed (`session-reset`), join
 *   the room it was in again, as a new peer
 * @property {number} [minReconnectDelayMs=250] first retry delay after a failed attempt (the first
 *   attempt after a drop is immediate); doubled up to maxReconnectDelayMs, with jitter
 * @property {number} [maxReconnectDelayMs=10000]
 * @property {number} [heartbeatMs] how often to ping the server when nothing else acknowledges the
 *   client's messages; default the server's limits.pingIntervalMs (20 s). 0 turns it off.
 * @property {number} [heartbeatTimeoutMs=10000] a socket whose ping gets no pong within this time is
 *   presumed dead (a half-open connection) and abandoned for a resume: the browser may take minutes to
 *   notice on its own
 * @property {boolean} [pace=true] keep under the server's rate limit (welcome.limits) by delaying
 *   sends instead of having the server drop them
 * @property {typeof WebSocket} [WebSocket] the WebSocket constructor (default globalThis.WebSocket)
 */

/**
 * A signaling session with automatic resume. Extends EventTarget: listen with
 * `addEventListener(type, e => ... e.detail ...)` or the shorthand {@link SignalingClient#on}.
 *
 * Events (each a CustomEvent; `detail` described):
 * - `state` `{state, previous}`: the {@link ConnectionState} changed;
 * - `welcome` `{peerId, resumed, identity, limits, iceServers, room, frame}`: a session began or
 *   resumed (`resumed: true`: same peerId, same room, nothing was missed);
 * - `resumed` `{peerId, room, resent}`: the session survived a lost socket; `resent` counts the
 *   client's own messages sent again (the server had not processed them);
 * - `session-reset` `{previousPeerId, previousRoom, reason}`: the old session is gone (window
 *   passed, server restarted, resume off, or a v1 server): close every RTCPeerConnection of it; the
 *   client is now a new peer (and, with `rejoin`, joins `previousRoom` again);
 * - `joined` `{room, peerId, peers: RemotePeer[], polite}`: this client entered a room;
 * - `peer-joined` `RemotePeer & {room}`: someone entered; `polite` is this client's role toward them
 *   (true: the newcomer makes the offer);
 * - `peer-left` `{room, peerId, reason}`: someone left (`leave`, `disconnect`, `timeout`,
 *   `shutdown`, `removed`); close its RTCPeerConnection;
 * - `left` `{room, reason}`: this client is out of its room (reply to leave, or removed/closed by
 *   an operator);
 * - `signal` `{type, from, to, payload}`: an offer, answer or candidate from a room-mate (also
 *   dispatched under its own type: `offer`, `answer`, `candidate`); a candidate with
 *   `payload: null` is end-of-candidates;
 * - `ice-servers` `{iceServers}`: fresh ICE servers (TURN credentials): pass them to
 *   `pc.setConfiguration({...pc.getConfiguration(), iceServers})` of every open connection;
 * - `goaway` `{reason, reconnect, resumeToken}`: the node is draining; the client moves on by itself;
 * - `error` `SignalingError`: an error frame no pending request claimed (e.g. `peer-not-found` for
 *   a relay, `rate-limited`);
 * - `replaced`: the session was resumed by another connection (close code 4001); this client stops;
 * - `close` `{code, reason, wasClean, hadSession}`: a socket closed or could not open (before the
 *   client decides to resume or retry; `hadSession: false` with code 1006 is typically a refused
 *   upgrade, e.g. HTTP 401 for a missing or bad token, which browsers do not expose);
 * - `message` `{frame}`: every server frame, after the client handled it (for logging).
 */
export class SignalingClient extends EventTarget {
  /**
   * @param {string} url the WebSocket endpoint, e.g. `wss://signal.example.org/ws`
   * @param {SignalingClientOptions} [options]
   */
  constructor(url, options = {}) {
    super();
    const parsed = new URL(url, typeof location !== 'undefined' ? location.href : undefined);
    if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
    if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
    if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
      throw new TypeError(`signaling URL must be ws:// or wss://, got ${url}`);
    }
    this._url = parsed;
    this._opts = {
      token: options.token ?? null,
      v11: options.v11 !== false,
      reconnect: options.reconnect !== false,
      rejoin: options.rejoin !== false,
      minReconnectDelayMs: options.minReconnectDelayMs ?? 250,
      maxReconnectDelayMs: options.maxReconnectDelayMs ?? 10000,
      heartbeatMs: options.heartbeatMs,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 10000,
      pace: options.pace !== false,
      WebSocket: options.WebSocket || globalThis.WebSocket,
    };
    /** @type {ConnectionState} */
    this._state = 'idle';
    this._ws = null;
    this._v11 = false;
    // The session: what a resume carries over.
    this._peerId = null;
    this._identity = null;
    this._room = null;
    this._limits = null;
    this._iceServers = [];
    /** @type {Map<string, RemotePeer>} */
    this._peers = new Map();
    this._resumeToken = null;
    this._resumeWindowMs = 0;
    this._lastSeq = 0; // highest server seq received
    this._clientSeq = 0; // last client seq assigned
    this._outbox = []; // numbered frames not known to be processed: {seq, text}
    this._unsent = []; // frames for the current socket, in order, waiting for pace
    this._requests = new Map(); // request id -> {resolve, reject, type, ackSeq}
    this._nextId = 1;
    this._lostAt = 0;
    this._attempt = 0;
    this._timers = new Set();
    this._tokens = 0;
    this._refillAt = 0;
    this._pumpTimer = null;
    this._heartbeat = null;
    this._pingOut = null;
    this._connectWaiters = [];
    this._stats = { resumes: 0, resets: 0, resent: 0, connections: 0 };
  }

  /** @returns {ConnectionState} */
  get state() { return this._state; }
  /** @returns {string|null} this client's peer id (stable across resumes) */
  get peerId() { return this._peerId; }
  /** @returns {string|null} the verified identity (auth.mode jwt), else null */
  get identity() { return this._identity; }
  /** @returns {string|null} the room this client is in */
  get room() { return this._room; }
  /** @returns {object|null} the server's limits from welcome */
  get limits() { return this._limits; }
  /** @returns {RTCIceServer[]} the ICE servers to give RTCPeerConnection (updated by `ice-servers`) */
  get iceServers() { return this._iceServers; }
  /** @returns {Map<string, RemotePeer>} the other peers of the room, by peer id (a copy) */
  get peers() { return new Map(this._peers); }
  /** @returns {boolean} whether the current connection negotiated v1.1 */
  get v11() { return this._v11; }
  /** @returns {number} the highest server `seq` received (v1.1) */
  get lastSeq() { return this._lastSeq; }
  /** @returns {number} the last client `seq` assigned (v1.1) */
  get clientSeq() { return this._clientSeq; }
  /** @returns {{resumes:number, resets:number, resent:number, connections:number, unacknowledged:number}} counters, for diagnostics */
  get stats() { return { ...this._stats, unacknowledged: this._outbox.length }; }

  /**
   * This client's perfect-negotiation role toward a peer of the room.
   * @param {string} peerId
   * @returns {boolean|undefined} true: polite (roll back on collision); undefined: not a room-mate
   */
  isPolite(peerId) {
    const p = this._peers.get(peerId);
    return p ? p.polite : undefined;
  }

  /**
   * Shorthand for addEventListener that passes `detail` and returns a function that removes it.
   * @param {string} type
   * @param {(detail: any, event: CustomEvent) => void} listener
   * @returns {() => void}
   */
  on(type, listener) {
    const wrapped = e => listener(e.detail, e);
    this.addEventListener(type, wrapped);
    return () => this.removeEventListener(type, wrapped);
  }

  /**
   * Opens the session. Resolves with the `welcome` detail once the first session is live; rejects
   * if the client is closed first. Later drops are handled by the client itself (see `state`).
   * @returns {Promise<object>}
   */
  connect() {
    if (this._state === 'closed') return Promise.reject(new SignalingError('closed', 'the client is closed'));
    const waiting = new Promise((resolve, reject) => this._connectWaiters.push({ resolve, reject }));
    if (this._state === 'idle') {
      this._setState('connecting');
      this._open();
    } else if (this._state === 'open') {
      this._settleConnect(true, this._welcomeDetail);
    }
    return waiting;
  }

  /**
   * Joins a room. Resolves with the `joined` detail; rejects with a SignalingError (`room-full`,
   * `forbidden`, `already-in-room`, `invalid-room`, `server-shutting-down`, `unavailable`, ...).
   * May be called while reconnecting: it is sent once the session is back.
   * @param {string} room 1-64 characters of [A-Za-z0-9_-]
   * @returns {Promise<object>}
   */
  join(room) {
    return this._request({ type: 'join', room });
  }

  /**
   * Leaves the room. Resolves with the `left` detail.
   * @returns {Promise<object>}
   */
  leave() {
    return this._request({ type: 'leave' });
  }

  /**
   * Relays an offer, answer or candidate to a peer of the room. Never throws for a lost socket:
   * while reconnecting the message waits, and with v1.1 it is delivered exactly once after the
   * resume even if the socket died under it. A server error about it (e.g. `peer-not-found`)
   * comes as the `error` event.
   * @param {'offer'|'answer'|'candidate'} type
   * @param {string} to the peer id
   * @param {*} payload any JSON value (RTCSessionDescriptionInit, RTCIceCandidateInit, or null for end-of-candidates)
   * @returns {number} the client seq of the message (0 on a v1 connection)
   */
  send(type, to, payload) {
    if (!RELAY_TYPES.includes(type)) throw new TypeError(`send: type must be one of ${RELAY_TYPES.join(', ')}, got ${type}`);
    if (typeof to !== 'string' || !to) throw new TypeError('send: to must be a peer id');
    if (payload === undefined) throw new TypeError('send: payload is required (null for end-of-candidates)');
    return this._sendNumbered({ type, to, payload });
  }

  /**
   * Sends a `ping` and resolves when its `pong` arrives (the round trip in milliseconds).
   * @returns {Promise<number>}
   */
  async ping() {
    const started = performance.now();
    await this._request({ type: 'ping' }, false);
    return performance.now() - started;
  }

  /**
   * Ends the session: a clean close, so the server ends it at once (room-mates get `peer-left`).
   * The client does not reconnect afterwards. Pending requests reject with code `closed`.
   */
  close() {
    if (this._state === 'closed') return;
    this._teardownSocket(1000, 'client closed');
    this._clearTimers();
    this._setState('closed');
    this._failRequests('closed', 'the client was closed');
    this._settleConnect(false, new SignalingError('closed', 'the client was closed'));
  }

  // ---- sending ----

  _request(msg, numbered = true) {
    if (this._state === 'closed') return Promise.reject(new SignalingError('closed', 'the client is closed'));
    const id = `c${this._nextId++}`;
    return new Promise((resolve, reject) => {
      this._requests.set(id, { resolve, reject, type: msg.type });
      const frame = { ...msg, id };
      if (numbered) {
        this._sendNumbered(frame);
      } else {
        // Not resumable: a ping lost with its socket is answered by nobody, so the loss fails it.
        this._requests.get(id).transient = true;
        this._unsent.push({ text: JSON.stringify(frame), seq: null, transient: true });
        this._pump();
      }
    });
  }

  _sendNumbered(msg) {
    if (this._state === 'closed') return 0;
    // Numbered (and kept until acknowledged) whenever v1.1 may carry it: on a v1.1 connection, or
    // while waiting for the next one (which, if it resumes, is v1.1; a v1 server ignores the field).
    // A live v1 connection acknowledges nothing, so nothing is kept for it.
    const resumable = this._opts.v11 && (this._v11 || !this._live);
    let seq = 0;
    if (resumable) {
      seq = ++this._clientSeq;
      msg = { ...msg, seq };
    }
    const text = JSON.stringify(msg);
    if (resumable) this._outbox.push({ seq, text, id: msg.id || null });
    this._unsent.push({ text, seq: seq || null });
    this._pump();
    return seq;
  }

  _pump() {
    if (this._pumpTimer || !this._ws || !this._live) return;
    while (this._unsent.length) {
      if (this._opts.pace && !this._takeToken()) {
        const wait = Math.max(5, Math.ceil(this._refillMs));
        this._pumpTimer = this._later(() => { this._pumpTimer = null; this._pump(); }, wait);
        return;
      }
      const { text, seq } = this._unsent.shift();
      try {
        this._ws.send(text);
      } catch (e) {
        // The socket is closing; the close handler takes it from here (resends what is unacknowledged).
        return;
      }
      if (seq) this._sentSeq = seq;
    }
    this._armAckPing();
  }

  // A token bucket a little under the server's, so the server's never drops a frame of ours.
  _takeToken() {
    const limits = this._limits || {};
    const rate = Math.max(0.1, Number(limits.messagesPerSecond) || 50) * 0.9;
    const burst = Math.max(1, (Number(limits.burst) || 100) - 2);
    const now = performance.now();
    this._tokens = Math.min(burst, this._tokens + (now - this._refillAt) * rate / 1000);
    this._refillAt = now;
    if (this._tokens >= 1) {
      this._tokens -= 1;
      return true;
    }
    this._refillMs = (1 - this._tokens) * 1000 / rate;
    return false;
  }

  // The server acknowledges client seqs only in a resumed welcome; a reply to a later request on
  // the same socket proves the earlier ones were processed (the server handles a socket's frames
  // in order), so a ping now and then keeps the outbox short.
  _armAckPing() {
    if (!this._v11 || this._outbox.length === 0 || this._ackPingTimer || this._pingOut) return;
    this._ackPingTimer = this._later(() => {
      this._ackPingTimer = null;
      if (this._outbox.length && this._live && !this._pingOut) this._sendPing();
    }, this._outbox.length > 64 ? 0 : 1000);
  }

  _sendPing() {
    const id = `p${this._nextId++}`;
    const ackSeq = this._sentSeq || 0;
    const ws = this._ws;
    this._pingOut = { id, ackSeq, ws, timer: null };
    if (this._opts.heartbeatTimeoutMs > 0) {
      this._pingOut.timer = this._later(() => {
        if (this._pingOut && this._pingOut.id === id && this._ws === ws) {
          // No pong: the socket is half-open. Abandon it (a close frame would end the session) and
          // resume on a new one; the server closes the old one with 4001 when the resume lands.
          this._lost(ws, { code: 4000, reason: 'no pong within heartbeatTimeoutMs', abandoned: true });
        }
      }, this._opts.heartbeatTimeoutMs);
    }
    // Pings bypass pacing only if a token is there; otherwise they wait like anything else.
    this._unsent.push({ text: JSON.stringify({ type: 'ping', id }), seq: null, transient: true });
    this._pump();
  }

  _acknowledge(seq) {
    if (!seq) return;
    let n = 0;
    while (n < this._outbox.length && this._outbox[n].seq <= seq) n++;
    if (n) this._outbox.splice(0, n);
  }

  // ---- connections ----

  async _open() {
    this._clearTimer('retry');
    let token = this._opts.token;
    try {
      if (typeof token === 'function') token = await token();
    } catch (e) {
      token = null;
    }
    if (this._state === 'closed') return;
    const url = new URL(this._url.href);
    if (token) url.searchParams.set('access_token', String(token));
    if (this._resumeToken && this._opts.v11) {
      url.searchParams.set('resume', this._resumeToken);
      url.searchParams.set('lastSeq', String(this._lastSeq));
    }
    let ws;
    try {
      ws = this._opts.v11 ? new this._opts.WebSocket(url.href, [PROTOCOL]) : new this._opts.WebSocket(url.href);
    } catch (e) {
      this._scheduleRetry();
      return;
    }
    this._ws = ws;
    this._live = false;
    this._sawWelcome = false;
    this._stats.connections += 1;
    ws.onopen = () => { this._v11 = ws.protocol === PROTOCOL; };
    ws.onmessage = ev => { if (this._ws === ws) this._onFrame(ev.data); };
    ws.onclose = ev => this._lost(ws, { code: ev.code, reason: ev.reason, wasClean: ev.wasClean });
    ws.onerror = () => { /* onclose follows */ };
  }

  _lost(ws, info) {
    if (ws !== this._ws) return; // an abandoned socket closing late (e.g. with 4001): not ours any more
    const wasLive = this._live;
    this._teardownSocket(null);
    if (this._state === 'closed') return;
    this._emit('close', { code: info.code, reason: info.reason || '', wasClean: !!info.wasClean, hadSession: wasLive });
    if (info.code === 4001) {
      // Someone resumed this session on another connection (e.g. a duplicated tab): it is theirs now.
      this._setState('closed');
      this._failRequests('replaced', 'the session was resumed by another connection');
      this._emit('replaced', { code: 4001, reason: info.reason });
      this._settleConnect(false, new SignalingError('replaced', 'the session was resumed by another connection'));
      return;
    }
    if (!this._opts.reconnect) {
      this._setState('closed');
      this._failRequests('closed', `connection closed (${info.code})`);
      this._settleConnect(false, new SignalingError('closed', `connection closed (${info.code})`));
      return;
    }
    if (wasLive) {
      this._lostAt = performance.now();
      this._attempt = 0;
    }
    // A ping lost with its socket is answered by nobody. Everything else not yet written waits.
    this._unsent = this._unsent.filter(u => !u.transient);
    for (const [id, r] of this._requests) {
      if (r.transient) {
        this._requests.delete(id);
        r.reject(new SignalingError('connection-lost', 'the connection was lost before the reply'));
      }
    }
    if (this._state === 'open') this._setState('reconnecting', { code: info.code, reason: info.reason });
    // The first attempt after losing a live socket is immediate: the resume window is short.
    if (wasLive) this._open(); else this._scheduleRetry();
  }

  _scheduleRetry() {
    if (this._state === 'closed') return;
    const base = Math.min(this._opts.maxReconnectDelayMs, this._opts.minReconnectDelayMs * 2 ** this._attempt);
    this._attempt += 1;
    const delay = base / 2 + Math.random() * base / 2;
    this._clearTimer('retry');
    this._retryTimer = this._later(() => { this._retryTimer = null; this._open(); }, delay);
  }

  _teardownSocket(code, reason) {
    const ws = this._ws;
    this._ws = null;
    this._live = false;
    this._sentSeq = 0;
    if (this._pumpTimer) { clearTimeout(this._pumpTimer); this._timers.delete(this._pumpTimer); this._pumpTimer = null; }
    if (this._ackPingTimer) { clearTimeout(this._ackPingTimer); this._timers.delete(this._ackPingTimer); this._ackPingTimer = null; }
    if (this._pingOut && this._pingOut.timer) { clearTimeout(this._pingOut.timer); this._timers.delete(this._pingOut.timer); }
    this._pingOut = null;
    if (this._heartbeat) { clearInterval(this._heartbeat); this._heartbeat = null; }
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onerror = null;
    ws.onclose = null;
    if (code !== null && code !== undefined) {
      try { ws.close(code, reason); } catch (e) { /* already closing */ }
    }
  }

  // ---- receiving ----

  _onFrame(data) {
    let msg;
    try {
      msg = JSON.parse(data);
    } catch (e) {
      return; // the server sends JSON only; nothing sensible to do with anything else
    }
    if (!msg || typeof msg.type !== 'string') return;
    if (msg.type === 'welcome') {
      this._onWelcome(msg);
    } else {
      if (typeof msg.seq === 'number') {
        // Replay and live traffic are contiguous; anything at or below lastSeq was seen already.
        if (msg.seq <= this._lastSeq) return;
        this._lastSeq = msg.seq;
      }
      this._dispatch(msg);
    }
    this._emit('message', { frame: msg });
  }

  _onWelcome(msg) {
    const ws = this._ws;
    this._v11 = ws && ws.protocol === PROTOCOL;
    const previousPeerId = this._peerId;
    const previousRoom = this._room;
    const resumed = this._v11 && msg.resumed === true && previousPeerId !== null && msg.peerId === previousPeerId;
    const hadSession = previousPeerId !== null;
    this._peerId = msg.peerId;
    this._identity = msg.identity ?? null;
    this._limits = msg.limits || null;
    this._resumeToken = this._v11 && typeof msg.resumeToken === 'string' ? msg.resumeToken : null;
    this._resumeWindowMs = this._limits && Number(this._limits.resumeWindowMs) > 0 ? Number(this._limits.resumeWindowMs) : 0;
    this._tokens = Math.max(1, ((this._limits && Number(this._limits.burst)) || 100) - 2);
    this._refillAt = performance.now();
    if (Array.isArray(msg.iceServers)) this._iceServers = msg.iceServers;
    this._sawWelcome = true;
    this._live = true;
    this._attempt = 0;

    if (resumed) {
      this._room = 'room' in msg ? msg.room : previousRoom;
      if (this._room !== previousRoom) this._peers.clear();
      // What the server processed before the drop is done; the rest went into the dying socket
      // (or was never sent) and goes again, in order, before anything new.
      const lastClientSeq = Number(msg.lastClientSeq) || 0;
      this._acknowledge(lastClientSeq);
      this._stats.resent += this._outbox.length;
      this._unsent = [...this._outbox.map(m => ({ text: m.text, seq: m.seq })), ...this._unsent.filter(u => u.transient)];
      this._stats.resumes += 1;
    } else {
      if (hadSession) {
        // A new session: nothing of the old one survives (peers, requests, numbering).
        this._room = null;
        this._peers.clear();
        this._lastSeq = 0;
        this._clientSeq = 0;
        this._outbox = [];
        this._unsent = [];
        this._stats.resets += 1;
        this._failRequests('session-reset', 'the session ended before the reply (it could not be resumed)');
      } else {
        // The first session: what was queued before it (a join called right after connect) stays
        // queued in order and goes now; nothing was written before.
        if (!this._v11) {
          // A v1 server: the numbers would be ignored, and there is no resume to keep them for.
          this._outbox = [];
        }
      }
    }
    this._startHeartbeat();
    const detail = {
      peerId: this._peerId, resumed, identity: this._identity, limits: this._limits,
      iceServers: this._iceServers, room: this._room, frame: msg,
    };
    this._welcomeDetail = detail;
    this._setState('open');
    this._emit('welcome', detail);
    if (Array.isArray(msg.iceServers) && hadSession) this._emit('ice-servers', { iceServers: this._iceServers });
    if (resumed) {
      this._emit('resumed', { peerId: this._peerId, room: this._room, resent: this._unsent.length });
    } else if (hadSession) {
      this._emit('session-reset', { previousPeerId, previousRoom, reason: msg.resumed === false ? 'not-resumed' : 'new-session' });
      if (this._opts.rejoin && previousRoom) {
        this.join(previousRoom).catch(e => this._emit('error', e));
      }
    }
    this._settleConnect(true, detail);
    this._pump();
  }

  _startHeartbeat() {
    const every = this._opts.heartbeatMs ?? ((this._limits && Number(this._limits.pingIntervalMs)) || 20000);
    if (!(every > 0) || !this._v11) return;
    this._heartbeat = setInterval(() => {
      if (this._live && !this._pingOut) this._sendPing();
    }, every);
  }

  _dispatch(msg) {
    const reply = typeof msg.id === 'string' ? this._requests.get(msg.id) : undefined;
    switch (msg.type) {
      case 'pong': {
        if (this._pingOut && msg.id === this._pingOut.id) {
          this._acknowledge(this._pingOut.ackSeq);
          if (this._pingOut.timer) { clearTimeout(this._pingOut.timer); this._timers.delete(this._pingOut.timer); }
          this._pingOut = null;
          this._armAckPing();
        }
        this._settle(msg, reply, true, {});
        return;
      }
      case 'joined': {
        this._room = msg.room;
        this._peers.clear();
        const identities = new Map((msg.members || []).map(m => [m.peerId, m.identity ?? null]));
        const peers = (msg.peers || []).map(peerId => ({ peerId, polite: msg.polite === true, identity: identities.get(peerId) ?? null }));
        for (const p of peers) this._peers.set(p.peerId, p);
        const detail = { room: msg.room, peerId: msg.peerId, peers, polite: msg.polite === true };
        this._settle(msg, reply, true, detail);
        this._emit('joined', detail);
        return;
      }
      case 'peer-joined': {
        const p = { peerId: msg.peerId, polite: msg.polite === true, identity: msg.identity ?? null };
        this._peers.set(p.peerId, p);
        this._emit('peer-joined', { ...p, room: msg.room });
        return;
      }
      case 'peer-left': {
        this._peers.delete(msg.peerId);
        this._emit('peer-left', { room: msg.room, peerId: msg.peerId, reason: msg.reason });
        return;
      }
      case 'left': {
        const detail = { room: msg.room, reason: msg.reason || 'leave' };
        this._room = null;
        this._peers.clear();
        this._settle(msg, reply, true, detail);
        this._emit('left', detail);
        return;
      }
      case 'offer':
      case 'answer':
      case 'candidate': {
        const detail = { type: msg.type, from: msg.from, to: msg.to, payload: msg.payload };
        this._emit('signal', detail);
        this._emit(msg.type, detail);
        return;
      }
      case 'ice-servers': {
        if (Array.isArray(msg.iceServers)) {
          this._iceServers = msg.iceServers;
          this._emit('ice-servers', { iceServers: this._iceServers });
        }
        return;
      }
      case 'goaway': {
        // Draining: with a resumeToken the session survives on another node; the close (1001)
        // that follows sends the client there through the same URL (the load balancer's job).
        if (typeof msg.resumeToken === 'string') this._resumeToken = msg.resumeToken;
        this._emit('goaway', { reason: msg.reason, reconnect: msg.reconnect, resumeToken: msg.resumeToken ?? null });
        return;
      }
      case 'error': {
        const err = new SignalingError(msg.code, msg.message || msg.code, msg);
        if (reply) this._settle(msg, reply, false, err);
        else this._emit('error', err);
        return;
      }
      default:
        return; // a type from a later version: ignored, as the contract asks
    }
  }

  _settle(msg, reply, ok, value) {
    if (!reply) return;
    this._requests.delete(msg.id);
    // A reply proves every numbered message sent before its request was processed.
    const sent = this._outbox.find(m => m.id === msg.id);
    if (sent) this._acknowledge(sent.seq);
    if (ok) reply.resolve(value); else reply.reject(value);
  }

  _failRequests(code, message) {
    const pending = [...this._requests.values()];
    this._requests.clear();
    for (const r of pending) r.reject(new SignalingError(code, message));
  }

  _settleConnect(ok, value) {
    const waiters = this._connectWaiters;
    this._connectWaiters = [];
    for (const w of waiters) (ok ? w.resolve : w.reject)(value);
  }

  // ---- plumbing ----

  _setState(state, extra) {
    if (this._state === state) return;
    const previous = this._state;
    this._state = state;
    this._emit('state', { state, previous, ...(extra || {}) });
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  _later(fn, ms) {
    const t = setTimeout(() => { this._timers.delete(t); fn(); }, ms);
    this._timers.add(t);
    return t;
  }

  _clearTimer(name) {
    if (name === 'retry' && this._retryTimer) {
      clearTimeout(this._retryTimer);
      this._timers.delete(this._retryTimer);
      this._retryTimer = null;
    }
  }

  _clearTimers() {
    for (const t of this._timers) clearTimeout(t);
    this._timers.clear();
    this._retryTimer = null;
    this._pumpTimer = null;
    this._ackPingTimer = null;
  }
}
