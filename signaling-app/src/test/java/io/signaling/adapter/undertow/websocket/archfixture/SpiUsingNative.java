package io.signaling.adapter.undertow.websocket.archfixture;

/** Deliberately bad: the shared WebSocket SPI support importing one of its flavours. Never shipped. */
public class SpiUsingNative {
    io.signaling.adapter.undertow.nativews.archfixture.NativeThing flavour;
}
