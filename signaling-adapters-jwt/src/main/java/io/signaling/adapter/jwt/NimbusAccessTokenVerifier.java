package io.signaling.adapter.jwt;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.Header;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.auth.AccessGrant;
import io.signaling.ports.auth.AdminGrant;
import io.signaling.ports.auth.AccessTokenVerifier;
import io.signaling.ports.auth.TokenCheck;
import io.signaling.ports.auth.TokenRejectedException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Signed JWTs on nimbus-jose-jwt. The order of checks matters: size before parsing; the header's
 * {@code alg} and {@code kid} before the signature (a token is verified only with the key its
 * {@code kid} names and only with that key's pinned algorithm, so neither {@code alg: none} nor
 * an HS256 token "signed" with a configured RSA public key can pass); claims only once the
 * signature holds, so nothing about them is revealed to a forger. Messages name the check and
 * never quote the token or a value taken from it.
 */
final class NimbusAccessTokenVerifier implements AccessTokenVerifier {

    /** Claims are flat in practice; a deeper document is an attack on the parser, refused before it runs. */
    static final int MAX_JSON_DEPTH = 32;

    private final Map<String, PinnedKey> keysById;
    private final List<PinnedKey> keysWithoutId;
    private final JwksKeys jwks;
    private final String audience;
    private final Set<String> issuers;
    private final Duration skew;
    private final Clock clock;

    NimbusAccessTokenVerifier(Map<String, PinnedKey> keysById, List<PinnedKey> keysWithoutId, JwksKeys jwks,
                              String audience, Set<String> issuers, Duration skew, Clock clock) {
        this.keysById = Map.copyOf(keysById);
        this.keysWithoutId = List.copyOf(keysWithoutId);
        this.jwks = jwks;
        this.audience = Objects.requireNonNull(audience, "audience");
        this.issuers = Set.copyOf(issuers);
        this.skew = Objects.requireNonNull(skew, "skew");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Every check up to the signature's; claims are checked by the caller. */
    private SignedJWT signed(String token) throws TokenRejectedException {
        if (token == null || token.isEmpty()) {
            throw new TokenRejectedException(TokenCheck.MISSING, "no access token was presented");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new TokenRejectedException(TokenCheck.SIZE, "the access token is larger than "
                    + MAX_TOKEN_CHARS + " characters");
        }
        SignedJWT jwt = parse(token);
        JWSHeader header = jwt.getHeader();
        PinnedKey key = keyFor(header);
        if (!key.algorithm().equals(header.getAlgorithm())) {
            throw new TokenRejectedException(TokenCheck.ALGORITHM, "the token's alg is not the algorithm its key is"
                    + " pinned to (" + key.algorithm() + ")");
        }
        if (!key.verify(header, jwt.getSigningInput(), jwt.getSignature())) {
            throw new TokenRejectedException(TokenCheck.SIGNATURE, "the token's signature does not verify");
        }
        return jwt;
    }

    @Override
    public AccessGrant verify(String token) throws TokenRejectedException {
        return grant(signed(token));
    }

    @Override
    public AdminGrant verifyAdmin(String token) throws TokenRejectedException {
        SignedJWT jwt = signed(token);
        Checked checked = checkClaims(jwt);
        if (!checked.admin()) {
            throw new TokenRejectedException(TokenCheck.SCOPE, "the token does not grant room administration (its"
                    + " scope claim lacks '" + AdminGrant.ROOMS_ADMIN_SCOPE + "'; a join token is not an admin token)");
        }
        return new AdminGrant(checked.sub(), checked.exp());
    }

    private static SignedJWT parse(String token) throws TokenRejectedException {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw new TokenRejectedException(TokenCheck.FORMAT, "not a signed JWT (header.payload.signature,"
                    + " each base64url)");
        }
        // Nimbus' base64url decoder skips characters outside the alphabet, so without this check
        // "sig" and "s*i g" would verify alike: one token, endless spellings (found by
        // AccessTokenFuzzTest), which defeats anything keyed on the token's text. JWS compact
        // serialization is unpadded base64url (RFC 7515 section 2), nothing else.
        if (!isBase64Url(token)) {
            throw new TokenRejectedException(TokenCheck.FORMAT, "not a signed JWT: a part has a character outside"
                    + " unpadded base64url (A-Z, a-z, 0-9, '-', '_')");
        }
        Header header;
        try {
            Base64URL encodedHeader = new Base64URL(token.substring(0, first));
            if (JsonDepth.exceeds(encodedHeader.decodeToString(), MAX_JSON_DEPTH)) {
                throw new TokenRejectedException(TokenCheck.FORMAT, "the token's header nests JSON deeper than "
                        + MAX_JSON_DEPTH + " levels");
            }
            header = Header.parse(encodedHeader);
        } catch (TokenRejectedException e) {
            throw e;
        } catch (ParseException | RuntimeException e) {
            throw new TokenRejectedException(TokenCheck.FORMAT, "the token's header is not valid base64url JSON");
        }
        if (Algorithm.NONE.equals(header.getAlgorithm())) {
            throw new TokenRejectedException(TokenCheck.ALGORITHM, "unsigned tokens (alg none) are refused");
        }
        if (header instanceof JWEHeader || !(header instanceof JWSHeader)) {
            throw new TokenRejectedException(TokenCheck.FORMAT, "not a signed JWT (an encrypted or unknown form)");
        }
        if (second == token.length() - 1) {
            throw new TokenRejectedException(TokenCheck.FORMAT, "the token has no signature");
        }
        String payload;
        try {
            payload = new Base64URL(token.substring(first + 1, second)).decodeToString();
        } catch (RuntimeException e) {
            throw new TokenRejectedException(TokenCheck.FORMAT, "the token's payload is not valid base64url");
        }
        if (JsonDepth.exceeds(payload, MAX_JSON_DEPTH)) {
            throw new TokenRejectedException(TokenCheck.FORMAT, "the token's payload nests JSON deeper than "
                    + MAX_JSON_DEPTH + " levels");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            jwt.getPayload().toJSONObject(); // force the payload's parse here, under this catch
            return jwt;
        } catch (ParseException | RuntimeException e) {
            throw new TokenRejectedException(TokenCheck.FORMAT, "the token's payload is not valid base64url JSON");
        }
    }

    /** Every character is unpadded base64url or one of the two dots (checked before). */
    private static boolean isBase64Url(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private PinnedKey keyFor(JWSHeader header) throws TokenRejectedException {
        String kid = header.getKeyID();
        if (kid != null) {
            PinnedKey key = keysById.get(kid);
            if (key == null && jwks != null) {
                key = jwks.key(kid);
            }
            if (key == null) {
                throw new TokenRejectedException(TokenCheck.KEY, "the token's kid names no configured key");
            }
            return key;
        }
        JWSAlgorithm alg = header.getAlgorithm();
        Set<JWSAlgorithm> family = Keys.HMAC.contains(alg) ? Keys.HMAC : Keys.RSA.contains(alg) ? Keys.RSA
                : Keys.EC.contains(alg) ? Keys.EC : Set.of(JWSAlgorithm.EdDSA);
        PinnedKey only = null;
        int matches = 0;
        for (PinnedKey key : keysWithoutId) {
            if (family.contains(key.algorithm())) {
                only = key;
                matches++;
            }
        }
        if (matches != 1) {
            throw new TokenRejectedException(TokenCheck.KEY, matches == 0
                    ? "the token has no kid and no key of its algorithm family is configured"
                    : "the token has no kid and several keys of its algorithm family are configured");
        }
        return only;
    }

    private record Checked(String sub, Instant exp, Object room, boolean admin) {
    }

    private AccessGrant grant(SignedJWT jwt) throws TokenRejectedException {
        Checked checked = checkClaims(jwt);
        if (checked.admin()) {
            throw new TokenRejectedException(TokenCheck.SCOPE, "an admin token (scope '" + AdminGrant.ROOMS_ADMIN_SCOPE
                    + "') cannot join a room; use a join token");
        }
        if (!(checked.room() instanceof String roomName) || !RoomId.isValid(roomName)) {
            throw new TokenRejectedException(TokenCheck.CLAIMS, "the token's room claim must be a room name (1 to 64"
                    + " characters of A-Z, a-z, 0-9, '_' and '-')");
        }
        return new AccessGrant(checked.sub(), RoomId.of(roomName), checked.exp());
    }

    /** The claims every token must pass (time, audience, issuer, subject), and what it grants. */
    private Checked checkClaims(SignedJWT jwt) throws TokenRejectedException {
        JWTClaimsSet claims;
        Object scope;
        Date exp;
        Date nbf;
        Date iat;
        String sub;
        Object room;
        List<String> aud;
        String iss;
        try {
            claims = jwt.getJWTClaimsSet();
            exp = claims.getExpirationTime();
            nbf = claims.getNotBeforeTime();
            iat = claims.getIssueTime();
            sub = claims.getSubject();
            room = claims.getClaim("room");
            scope = claims.getClaim("scope");
            aud = claims.getAudience();
            iss = claims.getIssuer();
        } catch (ParseException | RuntimeException e) {
            throw new TokenRejectedException(TokenCheck.CLAIMS, "a registered claim has the wrong type (exp, nbf, iat"
                    + " are numbers; sub, iss strings; aud a string or an array of strings)");
        }
        Instant now = clock.instant();
        if (exp == null) {
            throw new TokenRejectedException(TokenCheck.CLAIMS, "the token has no exp claim");
        }
        if (exp.toInstant().plus(skew).isBefore(now)) {
            throw new TokenRejectedException(TokenCheck.EXPIRED, "the token has expired (allowed clock skew "
                    + skew.toSeconds() + " s)");
        }
        if (nbf != null && nbf.toInstant().minus(skew).isAfter(now)) {
            throw new TokenRejectedException(TokenCheck.NOT_YET_VALID, "the token is not valid yet (nbf; allowed"
                    + " clock skew " + skew.toSeconds() + " s)");
        }
        if (iat != null && iat.toInstant().minus(skew).isAfter(now)) {
            throw new TokenRejectedException(TokenCheck.NOT_YET_VALID, "the token was issued in the future (iat;"
                    + " allowed clock skew " + skew.toSeconds() + " s)");
        }
        if (aud == null || !aud.contains(audience)) {
            throw new TokenRejectedException(TokenCheck.AUDIENCE, "the token's aud does not contain this server's"
                    + " audience '" + audience + "'");
        }
        if (!issuers.isEmpty() && (iss == null || !issuers.contains(iss))) {
            throw new TokenRejectedException(TokenCheck.ISSUER, "the token's iss is not one of the configured issuers");
        }
        if (sub == null || sub.isEmpty() || sub.length() > AccessGrant.MAX_IDENTITY_LENGTH) {
            throw new TokenRejectedException(TokenCheck.CLAIMS, "the token's sub must be 1 to "
                    + AccessGrant.MAX_IDENTITY_LENGTH + " characters");
        }
        if (scope != null && !(scope instanceof String)) {
            throw new TokenRejectedException(TokenCheck.CLAIMS, "the token's scope claim must be a string of"
                    + " space-separated scopes");
        }
        boolean admin = scope != null && java.util.Arrays.asList(((String) scope).split(" "))
                .contains(AdminGrant.ROOMS_ADMIN_SCOPE);
        return new Checked(sub, exp.toInstant(), room, admin);
    }
}
