package io.signaling.adapter.archfixturea;

/** Deliberately bad: an adapter that imports the app. Never shipped. */
public class AdapterUsingApp {
    io.signaling.app.archfixture.AppThing app;
}
