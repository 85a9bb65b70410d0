#!/usr/bin/env node
// Two signaling peers over real WebSockets, for scripts/check-image.sh: peer a connects to the
// first URL, peer b to the second (the same node, or two nodes sharing rooms), both join one
// room, a sends b an offer and b answers it, each relayed by the server(s). Then both stay
// connected until the server closes them, which is what a drain must do: `goaway` first, then
// close code 1001.
//
//   node --experimental-websocket scripts/ws-peers.mjs WS_URL_A WS_URL_B [TIMEOUT_SECONDS]
//
// One JSON line per milestone on stdout: {"event":"relayed",...} once the offer and the answer
// both arrived, then {"event":"closed","peer":"a","code":1001,"goaway":true,...} for each peer.
// Exit 0 when both sockets were closed by the server after a goaway with 1001; exit 1 on any
// other close, an error, or when the timeout (default 120 s) passes first. Node 20 needs
// --experimental-websocket for its built-in WebSocket client (standard from Node 22).
const [urlA, urlB, timeoutArg] = process.argv.slice(2);
if (!urlA || !urlB) {
  console.error('usage: node --experimental-websocket ws-peers.mjs WS_URL_A WS_URL_B [TIMEOUT_SECONDS]');
  process.exit(2);
}
if (typeof WebSocket !== 'function') {
  console.error('ws-peers: no WebSocket client in this Node; run it with --experimental-websocket (Node 20)');
  process.exit(2);
}
const room = `check-${process.pid}-${Date.now()}`;
const say = (event) => console.log(JSON.stringify(event));
const fail = (why) => {
  console.error(`ws-peers: ${why}`);
  process.exit(1);
};
const timer = setTimeout(() => fail(`timed out after ${timeoutArg ?? 120}s; state ${JSON.stringify(summary())}`),
  Number(timeoutArg ?? 120) * 1000);

const peers = { a: { url: urlA }, b: { url: urlB } };
let offered = false;
let answered = false;

function summary() {
  return Object.fromEntries(Object.entries(peers).map(([n, p]) => [n, { id: p.id, goaway: !!p.goaway, closed: p.closed }]));
}

function open(name, onJoined) {
  const p = peers[name];
  const ws = new WebSocket(p.url);
  p.ws = ws;
  ws.onmessage = (e) => {
    let m;
    try { m = JSON.parse(e.data); } catch { return fail(`${name}: not JSON: ${e.data}`); }
    switch (m.type) {
      case 'welcome': p.id = m.peerId; ws.send(JSON.stringify({ type: 'join', room })); break;
      case 'joined': onJoined(); break;
      case 'peer-joined':
        // a learns b's id from the server, and offers.
        if (name === 'a') ws.send(JSON.stringify({ type: 'offer', to: m.peerId, payload: { sdp: 'check-image offer' } }));
        break;
      case 'offer':
        if (name !== 'b' || m.from !== peers.a.id || m.payload?.sdp !== 'check-image offer') return fail(`b: unexpected ${e.data}`);
        offered = true;
        ws.send(JSON.stringify({ type: 'answer', to: m.from, payload: { sdp: 'check-image answer' } }));
        break;
      case 'answer':
        if (name !== 'a' || m.from !== peers.b.id || m.payload?.sdp !== 'check-image answer') return fail(`a: unexpected ${e.data}`);
        answered = true;
        if (offered) say({ event: 'relayed', room, a: peers.a.id, b: peers.b.id });
        break;
      case 'goaway': p.goaway = m; break;
      case 'peer-left': p.peerLeft = m.reason; break;
      case 'error': return fail(`${name}: server error ${e.data}`);
      default: break;
    }
  };
  ws.onerror = (e) => { if (p.closed === undefined) fail(`${name}: ${e.message ?? 'WebSocket error'} (${p.url})`); };
  ws.onclose = (e) => {
    p.closed = e.code;
    say({ event: 'closed', peer: name, code: e.code, reason: e.reason, goaway: !!p.goaway,
      reconnect: p.goaway?.reconnect ?? null, peerLeft: p.peerLeft ?? null });
    if (!offered || !answered) return fail(`${name} closed (${e.code}) before the relay completed`);
    if (Object.values(peers).every((q) => q.closed !== undefined)) {
      clearTimeout(timer);
      const drained = Object.values(peers).every((q) => q.closed === 1001 && q.goaway?.reason === 'shutdown');
      process.exit(drained ? 0 : 1);
    }
  };
}

open('a', () => open('b', () => {}));
