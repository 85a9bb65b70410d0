/**
 * The standard HTTP middleware, written against the ports so that any router adapter runs it:
 * request id, recovery, tracing, metrics and access log, installed in that order (outermost
 * first) by {@link io.signaling.application.http.StandardMiddleware}.
 */
package io.signaling.application.http;
