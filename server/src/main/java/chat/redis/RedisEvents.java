package chat.redis;

import chat.core.ChatEvents;
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

/**
 * The core's events across replicas, over Redis pub/sub on one channel, {@code chat:events}. Every replica,
 * the poster's own included, hears every event and hands it to its local listener (the WebSocket side), so a
 * message posted through replica A is pushed by replica B.
 *
 * <p>New messages need no publishing here: the append script publishes each in the same atomic step that stores
 * it. Pub/sub delivers at most once, so a replica that loses its subscription (Redis restarted, connection cut)
 * may miss some; when it subscribes again, {@code onResubscribed} lets the subscriptions catch up from the store,
 * where nothing was lost.
 */
public final class RedisEvents implements ChatEvents, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisEvents.class);
    private static final long MAX_BACKOFF_MILLIS = 2_000;

    private final RedisConnections redis;
    private final ChatEvents local;
    private final Runnable onResubscribed;
    private final JedisClientConfig listenerConfig;
    private final Thread listener;
    private volatile boolean closed;
    private volatile Subscriber subscriber;

    /**
     * @param local          what this replica does with an event (deliver to its sockets); called on the listener thread
     * @param onResubscribed run after every (re)subscription, to recover notifications missed meanwhile
     */
    public RedisEvents(RedisConnections redis, ChatEvents local, Runnable onResubscribed) {
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
    }

    public void start() {
        listener.start();
    }

    /** New messages were published by the append script already. */
    @Override
    public void posted(String channel, Message message) {
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
            try (Jedis jedis = new Jedis(server, listenerConfig)) {
                Subscriber current = new Subscriber();
                subscriber = current;
                jedis.subscribe(current, RedisStore.EVENTS); // returns when unsubscribed
                backoff = 50;
            } catch (JedisException e) {
                if (!closed) {
                    redis.meters().reconnects.inc();
                    log.debug("events connection to Redis lost; reconnecting in {} ms", backoff, e);
                }
            } catch (RuntimeException e) {
                log.error("unexpected failure on the events connection; reconnecting", e);
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
            onResubscribed.run();
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

    /** "m{id} {name length} {name}{encoded message}" or "s{session key}"; see RedisScripts. */
    private void dispatch(byte[] event) {
        if (event.length == 0) {
            return;
        }
        if (event[0] == 's') {
            local.sessionEnded(Long.parseLong(new String(event, 1, event.length - 1, StandardCharsets.US_ASCII)));
        } else if (event[0] == 'm') {
            int idEnd = indexOf(event, (byte) ' ', 1);
            int lengthEnd = indexOf(event, (byte) ' ', idEnd + 1);
            long id = Long.parseLong(new String(event, 1, idEnd - 1, StandardCharsets.US_ASCII));
            int nameLength = Integer.parseInt(new String(event, idEnd + 1, lengthEnd - idEnd - 1, StandardCharsets.US_ASCII));
            String channel = new String(event, lengthEnd + 1, nameLength, StandardCharsets.UTF_8);
            byte[] encoded = Arrays.copyOfRange(event, lengthEnd + 1 + nameLength, event.length);
            local.posted(channel, new Message(id, encoded));
        }
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        throw new IllegalArgumentException("malformed event");
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
    }
}
