package io.signaling.adapter.archfixtureb;

import com.nimbusds.jwt.SignedJWT;

/** An adapter other than the jwt one parsing a JWT itself: the JOSE rule must fail. Never shipped. */
public class AdapterUsingNimbus {
    public Object parse(String token) throws java.text.ParseException {
        return SignedJWT.parse(token);
    }
}
