package io.signaling.application.archfixture;

/** A stand-in service for the architecture fixtures. Never shipped. */
public class SomeService {
}
