package io.signaling.adapter.archfixturea;

/** Deliberately bad: an adapter module that imports another adapter module. Never shipped. */
public class AdapterA {
    io.signaling.adapter.archfixtureb.AdapterB other;
}
