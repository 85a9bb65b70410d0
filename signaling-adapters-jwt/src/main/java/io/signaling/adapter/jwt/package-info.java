/**
 * The {@link io.signaling.ports.auth.AccessTokenVerifier} port on nimbus-jose-jwt: signed JWTs
 * (JWS compact form) verified only with the key their {@code kid} names and only with that key's
 * pinned algorithm. Keys are HMAC secrets, public keys read from PEM files with the JDK (no
 * BouncyCastle), or a JWKS URL fetched in the background and cached. Entry point:
 * {@link io.signaling.adapter.jwt.JwtVerifiers}.
 */
package io.signaling.adapter.jwt;
