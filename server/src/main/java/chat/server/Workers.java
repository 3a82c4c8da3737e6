package chat.server;

import chat.api.BoundedPool;
import chat.api.Where;

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

    Workers(boolean storeBlocks, int hashThreads, int storeConnections, int logonQueue, Duration logonWait) {
        this.hashing = new BoundedPool(hashThreads, logonQueue, logonWait, daemon("chat-hash"));
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
