package io.signaling.ports.archfixture;

/** Deliberately bad: a port that imports an adapter. Never shipped. */
public interface PortUsingAdapter {
    io.signaling.adapter.archfixturea.AdapterA adapter();
}
