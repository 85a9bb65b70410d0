/**
 * The cluster ports on Redis, through Lettuce: {@link io.signaling.adapter.redis.RedisCluster}
 * connects (standalone {@code redis://}/{@code rediss://}, Sentinel {@code redis-sentinel://}, or a
 * Redis Cluster seed list) and hands out the room directory (Lua scripts on one room's keys, all in
 * that room's hash slot), the node inboxes (one stream per node incarnation, appended to in batches,
 * one script of {@code XADD MAXLEN ~} per batch and at most one batch in flight per destination, read
 * with {@code XREAD BLOCK} on a connection of its own) and the node leases ({@code SET PX}
 * tagged with the incarnation, an epoch key that reveals a restart or a flush, {@code SET NX}
 * claims that elect one cleaner). The request queue is bounded, commands are rejected while
 * disconnected and time out after the command timeout, and envelopes waiting for a destination
 * are bounded in number and size, so nothing waits on Redis unboundedly.
 */
package io.signaling.adapter.redis;
