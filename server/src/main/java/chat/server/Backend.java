package chat.server;

import chat.config.Config;
import chat.config.RedisAddress;
import chat.config.Settings;
import chat.core.ChatEvents;
import chat.limit.Buckets;
import chat.limit.MemoryBuckets;
import chat.limit.RateLimits;
import chat.metrics.Metrics;
import chat.redis.RedisBuckets;
import chat.redis.RedisConnections;
import chat.redis.RedisEvents;
import chat.redis.RedisPresence;
import chat.redis.RedisStore;
import chat.store.ChatStore;
import chat.store.IdempotencyLimits;
import chat.store.InMemoryPresence;
import chat.store.InMemoryStore;
import chat.store.MessageMemory;
import chat.store.PresenceStore;

import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * What --store chose, decided once at start: the store, where logon's rate-limit buckets live, and how the core's
 * events (a post, a logoff) reach the subscribers of every replica. In memory there is one process, so they go
 * straight to push; on Redis they go through Redis, to every replica this one included, and the buckets are in
 * Redis too, so that replicas share each limit.
 */
abstract class Backend implements AutoCloseable {
    final ChatStore store;
    final Buckets buckets;
    /** Who is in each channel (--presence), in the same store; null when presence is off. */
    final PresenceStore presence;

    private Backend(ChatStore store, Buckets buckets, PresenceStore presence) {
        this.store = store;
        this.buckets = buckets;
        this.presence = presence;
    }

    static Backend open(Config config, Metrics metrics) {
        String store = config.get(Settings.STORE);
        Duration sessionIdle = config.get(Settings.SESSION_IDLE);
        int window = config.get(Settings.WINDOW);
        RateLimits limits = RateLimits.from(config);
        IdempotencyLimits keys = new IdempotencyLimits(config.get(Settings.IDEMPOTENCY_WINDOW),
                config.get(Settings.IDEMPOTENCY_KEYS));
        boolean presence = config.get(Settings.PRESENCE);
        Duration grace = config.get(Settings.PRESENCE_GRACE);
        int maxEvents = config.get(Settings.PRESENCE_MAX_EVENTS);
        if (store.startsWith("redis://")) {
            RedisConnections redis = new RedisConnections(RedisAddress.parse(store), config.get(Settings.STORE_TIMEOUT),
                    config.get(Settings.STORE_CONNECTIONS), metrics);
            return new Redis(new RedisStore(redis, Clock.systemUTC(), sessionIdle, window, limits, keys), redis,
                    presence ? new RedisPresence(redis, grace, config.get(Settings.PRESENCE_EXPIRY), maxEvents) : null);
        }
        long budget = MessageMemory.budgetFor(config.get(Settings.MEMORY_BUDGET), Runtime.getRuntime().maxMemory());
        InMemoryStore memory = new InMemoryStore(Clock.systemUTC(), sessionIdle, window, new MessageMemory(budget),
                limits, keys);
        InMemory backend = new InMemory(memory, new MemoryBuckets(config.get(Settings.RATE_LIMIT_KEYS)),
                presence ? new InMemoryPresence(Clock.systemUTC(), grace, maxEvents, memory.unchecked()) : null);
        backend.measure(metrics);
        return backend;
    }

    /** For the start-up line: the messages' memory and its budget, or where the bound is with Redis. */
    abstract String describeMemory();

    /**
     * Where the core sends its events, given this replica's push and what to do when events may have been missed
     * (a replica's connection to Redis was cut and is back): false when it could not, to be run again.
     */
    abstract ChatEvents events(ChatEvents push, BooleanSupplier missedEvents);

    /**
     * For /ready: throws STORE_UNAVAILABLE unless calls can succeed and this replica hears every new message (on
     * Redis, its pub/sub connection is up and caught up).
     */
    abstract void checkReady();

    /** Starts listening to other replicas, if there are any. */
    abstract void start();

    /** Run periodically with the sockets' keep-alive. */
    abstract void keepAlive();

    /** Stops listening to other replicas: before the threads that deliver what it hears stop. */
    abstract void stopListening();

    /** Closes the store: last, once nothing runs that could still call it. */
    @Override
    public void close() {
        store.close();
    }

    /** The store for the log: a Redis URL without its password. */
    static String describe(Config config) {
        String store = config.get(Settings.STORE);
        return store.startsWith("redis://") ? RedisAddress.parse(store).toString() : store;
    }

    private static final class InMemory extends Backend {
        private final InMemoryStore memoryStore;

        InMemory(InMemoryStore store, MemoryBuckets buckets, PresenceStore presence) {
            super(store, buckets, presence);
            this.memoryStore = store;
        }

        /**
         * What the store holds, read when scraped. (With Redis these would be a round trip per scrape, which could
         * hang a scrape on a Redis that hangs: they are left to Redis's own exporter there.)
         */
        void measure(Metrics metrics) {
            metrics.gauge("chat_users", "Registered users", memoryStore::userCount);
            metrics.gauge("chat_sessions", "Live sessions (and expired ones not yet swept)", memoryStore::sessionCount);
            metrics.gauge("chat_channels", "Channels", memoryStore::channelCount);
            metrics.gauge("chat_kept_messages", "Messages kept in the channels' windows", memoryStore::keptMessageCount);
            metrics.gauge("chat_kept_bytes", "Heap bytes the kept messages and channels take (--memory-budget bounds "
                    + "them)", () -> memoryStore.memory().used());
            metrics.gauge("chat_memory_budget_bytes", "The bound on chat_kept_bytes",
                    () -> memoryStore.memory().budget());
        }

        @Override
        String describeMemory() {
            return "messages' memory " + memoryStore.memory().describe() + " (heap "
                    + Runtime.getRuntime().maxMemory() / 1048576 + " MiB)";
        }

        @Override
        ChatEvents events(ChatEvents push, BooleanSupplier missedEvents) {
            return push;
        }

        @Override
        void checkReady() {
            store.checkAvailable();
        }

        @Override
        void start() {
        }

        @Override
        void keepAlive() {
        }

        @Override
        void stopListening() {
        }
    }

    private static final class Redis extends Backend {
        private final RedisConnections connections;
        private RedisEvents events; // set once, at wiring, before start

        Redis(ChatStore store, RedisConnections connections, PresenceStore presence) {
            super(store, new RedisBuckets(connections), presence);
            this.connections = connections;
        }

        @Override
        String describeMemory() {
            return "messages' memory bounded by Redis's maxmemory";
        }

        @Override
        ChatEvents events(ChatEvents push, BooleanSupplier missedEvents) {
            events = new RedisEvents(connections, push, missedEvents);
            return events;
        }

        @Override
        void checkReady() {
            store.checkAvailable();
            events.checkListening();
        }

        @Override
        void start() {
            events.start();
        }

        @Override
        void keepAlive() {
            events.keepAlive();
        }

        @Override
        void stopListening() {
            events.close();
        }
    }
}
