/**
 * Health: the service that runs registered checks per probe with timeouts and a short cache
 * ({@link io.signaling.application.health.HealthService}), and the liveness and readiness HTTP
 * handlers that render its reports in the MicroProfile Health JSON shape
 * ({@link io.signaling.application.health.HealthRoutes}).
 */
package io.signaling.application.health;
