package io.signaling.adapter.undertow.nativews.archfixture;

/** A class of the native WebSocket adapter for {@code JsrUsingNative} to import. Never shipped. */
public class NativeThing {
}
