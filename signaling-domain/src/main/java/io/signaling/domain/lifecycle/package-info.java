/** Lifecycle states of a server node and the rule of how they may change. */
package io.signaling.domain.lifecycle;
