package io.signaling.archfixture.cycle.b;

/** Deliberately bad: the other half of a package cycle. Never shipped. */
public class CycleB {
    io.signaling.archfixture.cycle.a.CycleA a;
}
