/**
 * Configuration: the immutable typed records of every setting, and their loading from the
 * layered sources (highest precedence first) command line {@code --key=value}, environment
 * {@code SIGNALING_*}, the explicit config file, the profile file and the classpath
 * {@code default.yaml}; validation that reports every problem at once with its key, value and
 * source; and the masked rendering of the effective configuration.
 *
 * <p>Every setting is declared once, in {@link io.signaling.app.config.Keys} (its doc says how to
 * add one); parsing, bounds, env names, did-you-mean, masking, {@code check} output,
 * {@code default.yaml} and the README table all follow from that declaration.
 *
 * <p>Entry points: {@link io.signaling.app.config.ConfigLoader} and
 * {@link io.signaling.app.config.EffectiveConfig}. Everything else that is public is a value type.
 */
package io.signaling.app.config;
