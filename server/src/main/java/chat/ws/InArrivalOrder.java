package chat.ws;

import chat.api.Where;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one socket's subscribes and unsubscribes one at a time, in the order their frames arrived, where the store's
 * work runs. With a store that blocks (Redis) that is a pool, where two of a socket's subscribes to one channel
 * would otherwise overlap: the older could then send an event after the newer's answer, or answer after it, and a
 * message reach the socket twice (once from each). In order, each subscription has ended before the next one's
 * answer, so every event after an answer is that subscription's (spec ws/4).
 *
 * <p>A queue of its own rather than a lock, so that waiting calls hold no pool thread; bounded per socket.
 */
final class InArrivalOrder {
    private final Where where;
    private final int maxWaiting;
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger(); // waiting, plus the one running

    InArrivalOrder(Where where, int maxWaiting) {
        this.where = where;
        this.maxWaiting = maxWaiting;
    }

    /** Runs the work after those submitted before it; false, running nothing, when too many are waiting already. */
    boolean submit(Runnable work) {
        if (queued.get() > maxWaiting) {
            return false;
        }
        waiting.add(work);
        if (queued.getAndIncrement() == 0) {
            where.run(this::runNext);
        }
        return true;
    }

    /** Runs the oldest waiting work, then hands the next to the pool again, so one socket's line holds no thread long. */
    private void runNext() {
        try {
            waiting.remove().run();
        } finally {
            if (queued.decrementAndGet() > 0) {
                where.run(this::runNext);
            }
        }
    }
}
