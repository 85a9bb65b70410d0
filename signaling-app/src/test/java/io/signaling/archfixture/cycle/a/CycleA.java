package io.signaling.archfixture.cycle.a;

/** Deliberately bad: one half of a package cycle. Never shipped. */
public class CycleA {
    io.signaling.archfixture.cycle.b.CycleB b;
}
