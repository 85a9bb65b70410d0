/** A minimal JSON reader/writer shared by the baseline server and the load tool, so neither is skewed by a JSON library. */
package io.signaling.benchmarks.json;
