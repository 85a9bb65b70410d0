package io.signaling.archfixture.outsider;

/** Deliberately bad: a class outside the app that touches an adapter. Never shipped. */
public class Outsider {
    io.signaling.adapter.archfixtureb.AdapterB adapter;
}
