/**
 * WebSocket ports: the connection handle, the listener the core implements, the hub of open
 * connections on a node, close codes and the transport settings.
 */
package io.signaling.ports.websocket;
