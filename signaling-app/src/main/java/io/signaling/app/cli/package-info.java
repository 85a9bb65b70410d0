/**
 * Command-line parsing: turns {@code args} and the environment into an
 * {@link io.signaling.app.cli.Invocation} (what to do, with the loaded configuration or every
 * problem found), without side effects, so the launcher only acts on the result.
 */
package io.signaling.app.cli;
