package chat.ws;

import chat.config.Config;
import chat.config.Settings;

import java.time.Duration;

/**
 * The WebSocket endpoint's limits, as the socket code reads them; set by the {@code --ws-*} settings.
 *
 * @param maxSubscriptions channels one socket may subscribe to
 * @param maxFrameBytes    bytes in one incoming frame
 * @param maxQueuedEvents  frames that may wait to be sent to one socket before it is closed as too slow
 * @param maxQueuedBytes   bytes that may wait likewise
 * @param pingInterval     how often the server pings each socket
 * @param silenceTimeout   a socket from which nothing (not even a pong) arrives this long is closed
 * @param closeTimeout     a socket the server has closed is dropped this long after, if its client has not answered
 * @param maxPerSession    sockets open at once on one session (clients not exempt)
 * @param maxPerClient     sockets open at once from one client address (likewise)
 */
public record SocketLimits(int maxSubscriptions, int maxFrameBytes, int maxQueuedEvents, long maxQueuedBytes,
                           Duration pingInterval, Duration silenceTimeout, Duration closeTimeout, int maxPerSession,
                           int maxPerClient) {
    /** The one place these limits are made: from the settings, already validated by the Config. */
    public static SocketLimits from(Config config) {
        return new SocketLimits(config.get(Settings.WS_MAX_SUBSCRIPTIONS), config.get(Settings.WS_MAX_FRAME),
                config.get(Settings.WS_QUEUE_EVENTS), config.get(Settings.WS_QUEUE_BYTES),
                config.get(Settings.WS_PING), config.get(Settings.WS_SILENCE), config.get(Settings.WS_CLOSE_TIMEOUT),
                config.get(Settings.WS_MAX_PER_SESSION), config.get(Settings.WS_MAX_PER_CLIENT));
    }
}
