package dev.oasisj.node;

/** Receives one frame polled from a {@link Transport}: the bytes a peer sent, attributed to its validator index. */
@FunctionalInterface
public interface FrameHandler {
    /** Called on the agent thread; it may call {@link Transport#send} or {@link Transport#broadcast}. */
    void onFrame(int peer, byte[] bytes);
}
