/**
 * The room management API ({@code /api/v1/rooms}): list the rooms of the whole cluster, inspect a
 * room's peers, remove a peer, close a room. {@link io.signaling.application.rooms.RoomAdmin} is
 * the use case (each action logged with who asked, counted and traced; cluster-wide through
 * {@link io.signaling.application.signaling.RoomControl}); {@link io.signaling.application.rooms.RoomsRoutes}
 * is its JSON-over-HTTP face with RFC 9457 problems, on the admin listener without credentials or
 * on the public listener behind an admin token ({@link io.signaling.application.rooms.AdminAccess}).
 * The OpenAPI 3.1 description is the classpath resource {@value io.signaling.application.rooms.RoomsRoutes#OPENAPI_RESOURCE}.
 */
package io.signaling.application.rooms;
