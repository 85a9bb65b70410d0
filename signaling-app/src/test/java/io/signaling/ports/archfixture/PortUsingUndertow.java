package io.signaling.ports.archfixture;

/** Deliberately bad: a port that leaks an Undertow type. Never shipped. */
public interface PortUsingUndertow {
    io.undertow.server.HttpHandler handler();
}
