package io.signaling.application.signaling;

import io.signaling.ports.signaling.RoomRegistry;
import io.signaling.ports.signaling.RoomRegistryContract;

class InMemoryRoomRegistryTest extends RoomRegistryContract {

    @Override
    protected RoomRegistry newRegistry() {
        return new InMemoryRoomRegistry();
    }
}
