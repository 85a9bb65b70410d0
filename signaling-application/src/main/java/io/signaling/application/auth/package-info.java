/**
 * Access control at the WebSocket upgrade: the access token is taken from the request
 * ({@code Authorization: Bearer} or {@code access_token}), verified through the
 * {@link io.signaling.ports.auth.AccessTokenVerifier} port, and a refusal becomes a 401 with
 * {@code WWW-Authenticate} and a problem body naming the failed check, never the token.
 */
package io.signaling.application.auth;
