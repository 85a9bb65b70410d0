package io.signaling.app.archfixture;

/** A stand-in app class for the architecture fixtures. Never shipped. */
public class AppThing {
}
