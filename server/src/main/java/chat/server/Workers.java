package chat.server;

import chat.api.BoundedPool;
import chat.api.Where;
import chat.metrics.Metrics;

import java.time.Duration;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's own threads, and the one decision of where work runs, made once from what the store is.
 *
 * <p>With the store in memory, calls are answered on the IO thread that read them and push offers each message on
 * each socket's IO thread: nothing waits, so a hand-off would only cost. With a store that blocks on the network
 * (Redis), every call runs on a pool as large as the store's connections, so a slow store holds up no reads, and
 * push offers messages on a thread of its own (it may read the store to fill a hole). Logon hashes a password, so it
 * always runs on a pool of its own, whose line of waiting logons is bounded (--logon-queue, --logon-wait): a burst
 * of logons is answered SERVER_BUSY past the bound instead of growing without end, and a logon whose client has
 * gone is not hashed.
 */
final class Workers {
    private final BoundedPool hashing;
    private final ExecutorService storePool; // absent (null) when the store never blocks
    private final ExecutorService delivery; // likewise
    private final ScheduledExecutorService housekeeping;
    private final Where logon;
    private final Where storeWork;
    private final Where pushDelivery;

    Workers(boolean storeBlocks, int hashThreads, int storeConnections, int logonQueue, Duration logonWait,
            Metrics metrics) {
        this.hashing = new BoundedPool(hashThreads, logonQueue, logonWait, daemon("chat-hash"),
                metrics.histogram("chat_logon_wait_seconds", "Time a logon waited for a hash thread",
                        Metrics.CALL_SECONDS),
                metrics.histogram("chat_logon_hash_seconds", "Time a logon took on its hash thread: the bcrypt hash "
                        + "or check, and its store work", Metrics.CALL_SECONDS));
        metrics.gauge("chat_logon_queue_length", "Logons waiting for a hash thread now (--logon-queue bounds it)",
                () -> hashing.counts().waiting());
        metrics.counterOf("chat_logon_skipped_total", "Logons not hashed because their client had gone",
                () -> hashing.counts().skipped());
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(daemon("chat-housekeeping"));
        this.logon = Where.bounded(hashing);
        if (storeBlocks) {
            this.storePool = Executors.newFixedThreadPool(storeConnections, daemon("chat-store"));
            this.delivery = Executors.newSingleThreadExecutor(daemon("chat-push"));
            this.storeWork = Where.pool(storePool);
            this.pushDelivery = Where.pool(delivery);
        } else {
            this.storePool = null;
            this.delivery = null;
            this.storeWork = Where.IO_THREAD;
            this.pushDelivery = Where.IO_THREAD;
        }
    }

    /** Where logon runs. */
    Where logon() {
        return logon;
    }

    /** What the logon pool has done: logons hashed, skipped (client gone) and refused. */
    BoundedPool.Counts logonCounts() {
        return hashing.counts();
    }

    /** Where every other call runs, and anything else that asks the store (/ready, a WebSocket handshake). */
    Where storeWork() {
        return storeWork;
    }

    /** Where push offers new messages to subscribers: on the IO thread means each socket's own. */
    Where pushDelivery() {
        return pushDelivery;
    }

    /** Periodic work: the session sweep, the sockets' keep-alive. */
    ScheduledExecutorService housekeeping() {
        return housekeeping;
    }

    void stop() {
        hashing.stop();
        housekeeping.shutdownNow();
        if (storePool != null) {
            storePool.shutdownNow();
            delivery.shutdownNow();
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
