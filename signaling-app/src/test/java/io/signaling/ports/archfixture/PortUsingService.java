package io.signaling.ports.archfixture;

/** Deliberately bad: a port that imports an application service. Never shipped. */
public interface PortUsingService {
    io.signaling.application.archfixture.SomeService service();
}
