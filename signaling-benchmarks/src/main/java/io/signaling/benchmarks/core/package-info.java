/**
 * JMH micro-benchmarks of the core with its real adapters: what the middleware chain, the logger,
 * the tracer, the metrics facade, the JSON codec and the room registry each cost per call.
 * Run with {@code java -jar signaling-benchmarks/target/benchmarks.jar 'io.signaling.benchmarks.core'}.
 */
package io.signaling.benchmarks.core;
