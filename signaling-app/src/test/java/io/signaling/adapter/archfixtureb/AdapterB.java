package io.signaling.adapter.archfixtureb;

/** The other end of the adapter-to-adapter fixture. Never shipped. */
public class AdapterB {
}
