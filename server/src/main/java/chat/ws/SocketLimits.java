package chat.ws;

import java.time.Duration;

/**
 * The WebSocket endpoint's limits (part of {@link Config}).
 *
 * @param maxSubscriptions channels one socket may subscribe to
 * @param maxFrameBytes    bytes in one incoming frame
 * @param maxQueuedEvents  frames that may wait to be sent to one socket before it is closed as too slow
 * @param maxQueuedBytes   bytes that may wait likewise
 * @param pingInterval     how often the server pings each socket
 * @param silenceTimeout   a socket from which nothing (not even a pong) arrives this long is closed
 */
public record SocketLimits(int maxSubscriptions, int maxFrameBytes, int maxQueuedEvents, long maxQueuedBytes,
                           Duration pingInterval, Duration silenceTimeout) {
    public static SocketLimits defaults() {
        return new SocketLimits(100, 64 * 1024, 1_000, 1024 * 1024, Duration.ofSeconds(30), Duration.ofSeconds(90));
    }
}
