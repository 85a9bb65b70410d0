/**
 * The bare Undertow baseline: undertow-core only, a core {@code HttpHandler} health route and a
 * native (non-servlet, non-JSR) WebSocket endpoint that echoes and speaks the relay subset of the
 * signaling contract. It is the yardstick the app's figures are divided by, so it must stay as
 * close to "Undertow alone" as possible: no logging, metrics, tracing or JSON library.
 */
package io.signaling.benchmarks.bare;
