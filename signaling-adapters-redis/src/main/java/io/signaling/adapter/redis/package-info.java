package io.signaling.adapter.redis;
