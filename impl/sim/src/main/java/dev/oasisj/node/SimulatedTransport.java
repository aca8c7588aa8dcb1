package dev.oasisj.node;

/**
 * One node's {@link Transport} on a {@link SimulatedNetwork}. Sending never blocks; whether a message arrives, when, and
 * how many times is the network's (seeded) decision. {@link #send} returns true once the network took the message, even
 * if the network then loses it, as a real socket would.
 */
public final class SimulatedTransport implements Transport {
    private final SimulatedNetwork network;
    private final int self;

    SimulatedTransport(SimulatedNetwork network, int self) {
        this.network = network;
        this.self = self;
    }

    @Override
    public int selfIndex() {
        return self;
    }

    @Override
    public int validatorCount() {
        return network.config().nodeCount();
    }

    @Override
    public boolean send(int peer, byte[] bytes) {
        if (peer < 0 || peer >= validatorCount()) {
            throw new IllegalArgumentException("peer index " + peer + " outside 0.." + (validatorCount() - 1));
        }
        if (peer == self || bytes.length > ShellLimits.MAX_FRAME_BYTES) {
            return false;
        }
        network.send(self, peer, bytes);
        return true;
    }

    @Override
    public int broadcast(byte[] bytes) {
        int n = 0;
        for (int peer = 0; peer < validatorCount(); peer++) {
            if (peer != self && send(peer, bytes)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public int poll(FrameHandler handler, int maxFrames) {
        return network.poll(self, handler, maxFrames);
    }

    @Override
    public int connectedPeerCount() {
        if (network.isDown(self)) {
            return 0;
        }
        int n = 0;
        for (int peer = 0; peer < validatorCount(); peer++) {
            if (peer != self && !network.isDown(peer)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        // Nothing to release: the network outlives its transports (a restarted node gets a new one).
    }
}
