package chat.server;

import chat.redis.RedisAddress;
import chat.ws.SocketLimits;

import java.time.Duration;

/**
 * Everything the server can be told, built once (by {@link Main} from flags, then environment variables, then
 * defaults; by tests directly) and never changed. The README's configuration table lists the same fields.
 *
 * @param host                  address to bind; 0.0.0.0 for every interface
 * @param port                  port to bind; 0 picks a free one (see {@link ChatServer#port()})
 * @param store                 where state lives: "memory", or a redis://host:port[/db] URL shared by replicas
 * @param storeTimeout          the longest one store call may take (Redis), pool wait and connect included
 * @param storeConnections      connections to the store (Redis), and threads that call it
 * @param sessionIdleTimeout    a session unused this long expires
 * @param windowSize            messages kept per channel (the newest)
 * @param maxMessageLength      characters in one message
 * @param maxBodyBytes          bytes in one request body
 * @param bcryptCost            bcrypt's work factor (log2 rounds) for new passwords
 * @param maxUsers              registered usernames
 * @param maxSessions           live sessions, all users together
 * @param maxChannels           channels
 * @param maxConnections        open connections; further ones wait in the accept backlog
 * @param ioThreads             threads that read requests and answer the fast calls; 0 = one per core
 * @param hashThreads           threads that run password hashing; 0 = one per core
 * @param requestTimeout        longest time to receive one request's headers
 * @param idleConnectionTimeout a connection from which nothing is read this long (idle, or stalled) is closed
 * @param shutdownTimeout       how long shutdown waits for requests in flight
 * @param socketLimits          the WebSocket endpoint's limits
 */
public record Config(
        String host,
        int port,
        String store,
        Duration storeTimeout,
        int storeConnections,
        Duration sessionIdleTimeout,
        int windowSize,
        int maxMessageLength,
        int maxBodyBytes,
        int bcryptCost,
        long maxUsers,
        long maxSessions,
        long maxChannels,
        int maxConnections,
        int ioThreads,
        int hashThreads,
        Duration requestTimeout,
        Duration idleConnectionTimeout,
        Duration shutdownTimeout,
        SocketLimits socketLimits) {

    public Config {
        require(port >= 0 && port <= 65535, "port must be 0 to 65535, got " + port);
        require(store != null && ("memory".equals(store) || store.startsWith("redis://")),
                "store must be \"memory\" or a redis://host:port[/db] URL, got \"" + store + "\"");
        if (store.startsWith("redis://")) {
            RedisAddress.parse(store); // throws with the reason when malformed
        }
        require(positive(storeTimeout), "store timeout must be positive");
        require(storeConnections >= 1 && storeConnections <= 1024, "store connections must be 1 to 1024, got "
                + storeConnections);
        require(positive(sessionIdleTimeout), "session idle timeout must be positive");
        require(windowSize >= 1 && windowSize <= 100_000, "window size must be 1 to 100000, got " + windowSize);
        require(maxMessageLength >= 1, "max message length must be at least 1, got " + maxMessageLength);
        require(maxBodyBytes >= 256, "max body bytes must be at least 256, got " + maxBodyBytes);
        require(bcryptCost >= 4 && bcryptCost <= 31, "bcrypt cost must be 4 to 31, got " + bcryptCost);
        require(maxUsers >= 1 && maxSessions >= 1 && maxChannels >= 1 && maxConnections >= 1,
                "user, session, channel and connection limits must be at least 1");
        require(ioThreads >= 0 && hashThreads >= 0, "thread counts must be 0 (automatic) or more");
        require(positive(requestTimeout) && positive(idleConnectionTimeout), "connection timeouts must be positive");
        require(shutdownTimeout != null && !shutdownTimeout.isNegative(), "shutdown timeout must not be negative");
        require(socketLimits.maxSubscriptions() >= 1 && socketLimits.maxFrameBytes() >= 256
                        && socketLimits.maxQueuedEvents() >= 1 && socketLimits.maxQueuedBytes() >= 1024,
                "WebSocket limits: at least 1 subscription, 256-byte frames, 1 queued event and 1 KiB queued");
        require(positive(socketLimits.pingInterval()) && positive(socketLimits.silenceTimeout()),
                "WebSocket ping interval and silence timeout must be positive");
    }

    /** The defaults of every field, as the README documents them. */
    public static Builder defaults() {
        return new Builder();
    }

    private static boolean positive(Duration duration) {
        return duration != null && !duration.isNegative() && !duration.isZero();
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Field-by-field construction; unset fields keep their defaults. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private String store = "memory";
        private Duration storeTimeout = Duration.ofSeconds(1);
        private int storeConnections = 8;
        private Duration sessionIdleTimeout = Duration.ofMinutes(30);
        private int windowSize = 100;
        private int maxMessageLength = 4096;
        private int maxBodyBytes = 64 * 1024;
        private int bcryptCost = 10;
        private long maxUsers = 1_000_000;
        private long maxSessions = 1_000_000;
        private long maxChannels = 10_000;
        private int maxConnections = 10_000;
        private int ioThreads = 0;
        private int hashThreads = 0;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration idleConnectionTimeout = Duration.ofMinutes(5);
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        private SocketLimits socketLimits = SocketLimits.defaults();

        private Builder() {
        }

        public Builder host(String value) { host = value; return this; }
        public Builder port(int value) { port = value; return this; }
        public Builder store(String value) { store = value; return this; }
        public Builder storeTimeout(Duration value) { storeTimeout = value; return this; }
        public Builder storeConnections(int value) { storeConnections = value; return this; }
        public Builder sessionIdleTimeout(Duration value) { sessionIdleTimeout = value; return this; }
        public Builder windowSize(int value) { windowSize = value; return this; }
        public Builder maxMessageLength(int value) { maxMessageLength = value; return this; }
        public Builder maxBodyBytes(int value) { maxBodyBytes = value; return this; }
        public Builder bcryptCost(int value) { bcryptCost = value; return this; }
        public Builder maxUsers(long value) { maxUsers = value; return this; }
        public Builder maxSessions(long value) { maxSessions = value; return this; }
        public Builder maxChannels(long value) { maxChannels = value; return this; }
        public Builder maxConnections(int value) { maxConnections = value; return this; }
        public Builder ioThreads(int value) { ioThreads = value; return this; }
        public Builder hashThreads(int value) { hashThreads = value; return this; }
        public Builder requestTimeout(Duration value) { requestTimeout = value; return this; }
        public Builder idleConnectionTimeout(Duration value) { idleConnectionTimeout = value; return this; }
        public Builder shutdownTimeout(Duration value) { shutdownTimeout = value; return this; }
        public Builder socketLimits(SocketLimits value) { socketLimits = value; return this; }

        public Config build() {
            return new Config(host, port, store, storeTimeout, storeConnections, sessionIdleTimeout, windowSize, maxMessageLength, maxBodyBytes,
                    bcryptCost, maxUsers, maxSessions, maxChannels, maxConnections, ioThreads, hashThreads,
                    requestTimeout, idleConnectionTimeout, shutdownTimeout, socketLimits);
        }
    }
}
