/** Health ports: checks the core needs and the query it offers to liveness and readiness probes. */
package io.signaling.ports.health;
