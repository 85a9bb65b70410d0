/**
 * ICE servers for clients: the configured STUN/TURN URLs in {@code RTCIceServer} shape, with TURN
 * REST credentials (the scheme coturn's {@code use-auth-secret} checks) minted per connection.
 */
package io.signaling.application.ice;
