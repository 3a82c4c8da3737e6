package chat.api;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Where a piece of work runs: right here, on the IO thread that read its request, or handed to a pool. The server
 * decides once, at start, from what the store is (chat.server.Workers); everything else only asks.
 */
public final class Where {
    /** On the IO thread: for work that only touches memory and never waits. */
    public static final Where IO_THREAD = new Where((Executor) null);

    private final Executor pool; // null: the IO thread, or a bounded pool
    private final BoundedPool bounded; // null but for work that waits in a bounded line (logon)

    private Where(Executor pool) {
        this.pool = pool;
        this.bounded = null;
    }

    private Where(BoundedPool bounded) {
        this.pool = null;
        this.bounded = bounded;
    }

    /**
     * On a pool with a bounded line of waiting work, for slow work a client can ask for at will (a password hash):
     * the transport hands it a {@link BoundedPool.Task}, which can be refused or skipped.
     */
    public static Where bounded(BoundedPool pool) {
        return new Where(Objects.requireNonNull(pool));
    }

    /** True for work that waits in a bounded line: submit it as a task to {@link #bounded()}. */
    public boolean isBounded() {
        return bounded != null;
    }

    /** The bounded pool; only for work that {@link #isBounded()}. */
    public BoundedPool bounded() {
        if (bounded == null) {
            throw new IllegalStateException("this work does not wait in a bounded line");
        }
        return bounded;
    }

    /** On this pool: for work that may wait (a password hash, a store on the network). */
    public static Where pool(Executor pool) {
        return new Where(Objects.requireNonNull(pool));
    }

    public boolean isIoThread() {
        return pool == null && bounded == null;
    }

    /** The pool; only for work that is not on the IO thread. */
    public Executor pool() {
        if (pool == null) {
            throw new IllegalStateException(bounded != null ? "this work waits in a bounded line: submit a task"
                    : "this work runs on the IO thread, not on a pool");
        }
        return pool;
    }

    /** Runs the work here (on the IO thread) or hands it to the pool. */
    public void run(Runnable work) {
        if (bounded != null) {
            throw new IllegalStateException("this work waits in a bounded line: submit a task");
        }
        if (pool == null) {
            work.run();
        } else {
            pool.execute(work);
        }
    }
}
