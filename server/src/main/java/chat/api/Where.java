package chat.api;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Where a piece of work runs: right here, on the IO thread that read its request, or handed to a pool. The server
 * decides once, at start, from what the store is (chat.server.Workers); everything else only asks.
 */
public final class Where {
    /** On the IO thread: for work that only touches memory and never waits. */
    public static final Where IO_THREAD = new Where(null);

    private final Executor pool; // null: the IO thread

    private Where(Executor pool) {
        this.pool = pool;
    }

    /** On this pool: for work that may wait (a password hash, a store on the network). */
    public static Where pool(Executor pool) {
        return new Where(Objects.requireNonNull(pool));
    }

    public boolean isIoThread() {
        return pool == null;
    }

    /** The pool; only for work that is not on the IO thread. */
    public Executor pool() {
        if (pool == null) {
            throw new IllegalStateException("this work runs on the IO thread, not on a pool");
        }
        return pool;
    }

    /** Runs the work here (on the IO thread) or hands it to the pool. */
    public void run(Runnable work) {
        if (pool == null) {
            work.run();
        } else {
            pool.execute(work);
        }
    }
}
