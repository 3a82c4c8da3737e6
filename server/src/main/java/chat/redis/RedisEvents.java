package chat.redis;

import chat.core.ChatEvents;
import chat.error.ChatError;
import chat.error.ChatException;
import chat.store.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The core's events across replicas, over Redis pub/sub on one channel, {@code chat:events}. Every replica,
 * the poster's own included, hears every event and hands it to its local listener (the WebSocket side), so a
 * message posted through replica A is pushed by replica B.
 *
 * <p>New messages need no publishing here: the append script publishes each in the same atomic step that stores
 * it. Pub/sub delivers at most once, so a replica that loses its subscription (Redis restarted, connection cut)
 * may miss some; when it subscribes again, {@code onResubscribed} lets the subscriptions catch up from the store,
 * where nothing was lost, and is tried again shortly until it could read the store for every channel. Until then
 * the replica is not ready ({@link #checkListening}): its sockets may be missing messages.
 */
public final class RedisEvents implements ChatEvents, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisEvents.class);
    /**
     * The longest wait between attempts to reconnect, and to catch up: /ready must be 200 within 3 s of Redis
     * answering again (issue 15), and an attempt on a Redis that is down costs a refused connect, 4 a second.
     */
    private static final long MAX_BACKOFF_MILLIS = 250;
    private static final String NOT_LISTENING = "the server's push connection to its store (Redis pub/sub) is down "
            + "or catching up; WebSocket subscribers may miss messages until it is back";

    private final RedisConnections redis;
    private final ChatEvents local;
    private final BooleanSupplier onResubscribed;
    private final JedisClientConfig listenerConfig;
    private final Thread listener;
    /** Where catch-ups run, off the listener so that it goes on reading events meanwhile. */
    private final ScheduledExecutorService catchUps;
    private volatile boolean closed;
    private volatile Subscriber subscriber;
    /** Numbers each subscription, so that a catch-up for one that has dropped since stops. */
    private final AtomicLong subscriptions = new AtomicLong();
    private volatile boolean subscribed;
    private volatile long caughtUpWith; // the number of the subscription whose catch-up is done

    /**
     * @param local          what this replica does with an event (deliver to its sockets); called on the listener thread
     * @param onResubscribed run after every (re)subscription, to recover notifications missed meanwhile; false when
     *                       the store did not answer for all of them, to be run again
     */
    public RedisEvents(RedisConnections redis, ChatEvents local, BooleanSupplier onResubscribed) {
        this.redis = redis;
        this.local = local;
        this.onResubscribed = onResubscribed;
        JedisClientConfig config = redis.clientConfig();
        // A subscribed connection is quiet between events; keepAlive() pings it, and the timeout notices a dead one.
        this.listenerConfig = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(config.getConnectionTimeoutMillis())
                .socketTimeoutMillis(15_000)
                .database(config.getDatabase())
                .user(config.getUser())
                .password(config.getPassword())
                .clientName("chat-server-events")
                .clientSetInfoConfig(config.getClientSetInfoConfig())
                .build();
        this.listener = new Thread(this::listen, "chat-redis-events");
        this.listener.setDaemon(true);
        this.catchUps = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "chat-redis-catch-up");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Throws STORE_UNAVAILABLE unless events are heard and what was missed before is caught up: otherwise a socket
     * here may be missing messages, and a load balancer should send new subscribers elsewhere.
     */
    public void checkListening() {
        if (!subscribed || caughtUpWith != subscriptions.get()) {
            throw ChatError.STORE_UNAVAILABLE.exception(NOT_LISTENING);
        }
    }

    public void start() {
        listener.start();
    }

    /** New messages were published by the append script already. */
    @Override
    public void posted(String channel, Message message) {
    }

    /** Joins and leaves were published by the presence scripts already (RedisPresence). */
    @Override
    public void presence(String channel, String username, boolean joined) {
    }

    @Override
    public void sessionEnded(long sesskey) {
        try {
            byte[] event = ("s" + sesskey).getBytes(StandardCharsets.US_ASCII);
            redis.call(jedis -> jedis.publish(RedisStore.EVENTS, event));
        } catch (ChatException e) {
            // The session is gone from Redis already; each replica's periodic check closes its sockets.
            log.warn("could not announce the end of a session; its sockets close at the next periodic check");
        }
    }

    /** Pings the subscribed connection, so that a dead one is noticed within the listener's socket timeout. */
    public void keepAlive() {
        Subscriber current = subscriber;
        if (current != null && current.isSubscribed()) {
            try {
                current.ping();
            } catch (JedisException e) {
                log.debug("ping on the events connection failed; the listener reconnects", e);
            }
        }
    }

    private void listen() {
        long backoff = 50;
        HostAndPort server = new HostAndPort(redis.address().host(), redis.address().port());
        while (!closed) {
            long subscribedBefore = subscriptions.get();
            try (Jedis jedis = new Jedis(server, listenerConfig)) {
                Subscriber current = new Subscriber();
                subscriber = current;
                jedis.subscribe(current, RedisStore.EVENTS); // returns when unsubscribed
            } catch (JedisException e) {
                if (!closed) {
                    redis.meters().reconnects.inc();
                    log.debug("events connection to Redis lost; reconnecting in {} ms", backoff, e);
                }
            } catch (RuntimeException e) {
                log.error("unexpected failure on the events connection; reconnecting", e);
            }
            subscribed = false; // not ready: events published from now on are missed, until the next catch-up
            if (subscriptions.get() != subscribedBefore && !closed) { // a live subscription dropped
                // Redis restarting closes every connection at once, and this one notices first (it is always
                // reading): the pooled ones are replaced before a call fails on one. Once per drop, not per failed
                // reconnect, which would have them reconnect again and again while Redis is away.
                redis.replaceConnections();
                backoff = 50; // and retried at once, not after the last outage's wait
            }
            if (!closed) {
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    private final class Subscriber extends BinaryJedisPubSub {
        @Override
        public void onSubscribe(byte[] channel, int subscribedChannels) {
            log.info("listening for events from other replicas on Redis at {}", redis.address());
            long subscription = subscriptions.incrementAndGet(); // before subscribed: not ready until caught up
            subscribed = true;
            try {
                catchUps.execute(() -> catchUp(subscription, 50));
            } catch (RejectedExecutionException closing) {
                // the server is stopping: nothing to catch up for
            }
        }

        @Override
        public void onMessage(byte[] channel, byte[] event) {
            try {
                dispatch(event);
            } catch (RuntimeException e) {
                log.error("could not handle an event from Redis", e);
            }
        }
    }

    /**
     * "m{id} {name length} {name}{stamped message}" (StampedFields: older replicas publish it unstamped) or
     * "s{session key}" (see RedisScripts), or "j{name length} {name}{user}" and "l..." (a join, a leave: see
     * RedisPresence). Lengths are in bytes.
     */
    private void dispatch(byte[] event) {
        if (event.length == 0) {
            return;
        }
        if (event[0] == 's') {
            local.sessionEnded(Long.parseLong(new String(event, 1, event.length - 1, StandardCharsets.US_ASCII)));
        } else if (event[0] == 'm') {
            int idEnd = indexOf(event, (byte) ' ', 1);
            int lengthEnd = indexOf(event, (byte) ' ', idEnd + 1);
            long id = Long.parseLong(ascii(event, 1, idEnd));
            int nameLength = Integer.parseInt(ascii(event, idEnd + 1, lengthEnd));
            String channel = new String(event, lengthEnd + 1, nameLength, StandardCharsets.UTF_8);
            byte[] stamped = Arrays.copyOfRange(event, lengthEnd + 1 + nameLength, event.length);
            local.posted(channel, StampedFields.message(id, stamped));
        } else if (event[0] == 'j' || event[0] == 'l') {
            int lengthEnd = indexOf(event, (byte) ' ', 1);
            int nameLength = Integer.parseInt(new String(event, 1, lengthEnd - 1, StandardCharsets.US_ASCII));
            String channel = new String(event, lengthEnd + 1, nameLength, StandardCharsets.UTF_8);
            int userStart = lengthEnd + 1 + nameLength;
            String user = new String(event, userStart, event.length - userStart, StandardCharsets.UTF_8);
            local.presence(channel, user, event[0] == 'j');
        }
    }

    private static String ascii(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.US_ASCII);
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        throw new IllegalArgumentException("malformed event");
    }

    /**
     * Catches up what the subscription numbered {@code subscription} may have missed, again after {@code backoff} ms
     * while the store does not answer; stops once a newer subscription or a drop makes it moot (the next subscription
     * catches up itself). It first asks the store through the pool, so that calls are let through at once again
     * (RedisConnections lets one at a time try while Redis was not answering).
     */
    private void catchUp(long subscription, long backoff) {
        if (closed || !subscribed || subscription != subscriptions.get()) {
            return;
        }
        boolean done;
        try {
            redis.call(Jedis::ping);
            done = onResubscribed.getAsBoolean();
        } catch (ChatException e) {
            done = false;
        } catch (RuntimeException e) {
            log.error("unexpected failure catching up after the events connection was back; trying again", e);
            done = false;
        }
        if (done) {
            caughtUpWith = subscription;
        } else if (!closed) {
            log.debug("could not catch up after the events connection was back; trying again in {} ms", backoff);
            catchUps.schedule(() -> catchUp(subscription, Math.min(MAX_BACKOFF_MILLIS, backoff * 2)), backoff,
                    TimeUnit.MILLISECONDS);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        Subscriber current = subscriber;
        if (current != null && current.isSubscribed()) {
            try {
                current.unsubscribe();
            } catch (JedisException e) {
                // the connection is gone already
            }
        }
        listener.interrupt();
        catchUps.shutdownNow();
    }
}
