/**
 * JMH benchmarks ({@code java -jar signaling-benchmarks/target/benchmarks.jar}). Each benchmark
 * states in its comment the question it answers.
 */
package io.signaling.benchmarks.jmh;
