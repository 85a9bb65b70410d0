/** JMH benchmarks, the bare Undertow baseline server and the load tool. */
package io.signaling.benchmarks;
