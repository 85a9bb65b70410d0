/**
 * The HTTP server, router and WebSocket adapters on Undertow: plain undertow-core handlers for
 * every HTTP route, and a Jakarta WebSocket (undertow-websockets-jsr) deployment mounted on the
 * WebSocket path only.
 */
package io.signaling.adapter.undertow;
