package io.signaling.embedded.archfixture;

/** Deliberately bad: the embedding API importing the launcher. Never shipped. */
public class EmbeddedUsingApp {
    io.signaling.app.archfixture.AppThing app;
}
