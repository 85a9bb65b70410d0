/** The structured logging port and its no-op implementation. */
package io.signaling.ports.log;
