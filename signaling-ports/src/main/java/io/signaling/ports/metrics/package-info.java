/** A small metrics facade (counters, timers, summaries, gauges with tags) and its no-op. */
package io.signaling.ports.metrics;
