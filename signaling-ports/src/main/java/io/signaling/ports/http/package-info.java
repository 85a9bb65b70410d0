/**
 * A small HTTP abstraction owned by the core: the exchange, handlers, middleware, the router and
 * the server. Middleware written against it runs on any router adapter.
 */
package io.signaling.ports.http;
