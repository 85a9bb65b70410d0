/**
 * Access control ports: verifying the access token a client presents at the WebSocket upgrade
 * into an {@link io.signaling.ports.auth.AccessGrant} (who it is, which room it may join, until
 * when). The token format and keys belong to an adapter (signaling-adapters-jwt); the signaling
 * use case only ever sees grants and the name of the check a refused token failed.
 */
package io.signaling.ports.auth;
