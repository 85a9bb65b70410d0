package io.signaling.observability.archfixture;

/** Deliberately bad: the observability adapters importing another adapter. Never shipped. */
public class ObservabilityUsingAdapter {
    io.signaling.adapter.archfixtureb.AdapterB adapter;
}
