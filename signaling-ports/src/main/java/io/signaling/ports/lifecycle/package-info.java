/** The port for components with a start and a stop, driven in order by the application. */
package io.signaling.ports.lifecycle;
