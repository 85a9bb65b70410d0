package io.signaling.adapter.undertow.jsr.archfixture;

/** Deliberately bad: the JSR WebSocket adapter importing the native one. Never shipped. */
public class JsrUsingNative {
    io.signaling.adapter.undertow.nativews.archfixture.NativeThing other;
}
