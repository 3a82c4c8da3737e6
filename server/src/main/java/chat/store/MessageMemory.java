package chat.store;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of heap that kept messages and channels take, against a budget: one counter for the whole store, so
 * that many users together cannot exhaust the heap any more than one can. Charging is a compare-and-set on one
 * AtomicLong (a post already takes its channel's lock, so this adds no lock); reads never touch it.
 *
 * <p>What is charged is what {@link KeptBytes} says an object costs, and every charge has its release: a message
 * is charged when its window keeps it and released when a newer one takes its slot, so the count is exactly the
 * sum over what is kept now (MessageMemoryTest and InMemoryStoreTest check it).
 */
public final class MessageMemory {
    private final long budget;
    private final AtomicLong used = new AtomicLong();

    /** @param budget the most bytes that may be kept; Long.MAX_VALUE for no bound */
    public MessageMemory(long budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("memory budget must not be negative, got " + budget);
        }
        this.budget = budget;
    }

    /** The budget --memory-budget asks for: as given, or when 0, half of the heap the JVM may grow to. */
    public static long budgetFor(long configured, long maxHeap) {
        return configured != 0 ? configured : maxHeap / 2;
    }

    public long budget() {
        return budget;
    }

    public long used() {
        return used.get();
    }

    /**
     * Swaps {@code released} bytes for {@code charged} ones in one step, as a post into a full window does (its
     * message replaces the oldest). Refuses with LIMIT_REACHED, changing nothing, when the difference would take
     * the count past the budget; a swap that frees bytes or keeps them equal always succeeds.
     */
    void replace(long released, long charged) {
        long more = charged - released;
        if (more <= 0) {
            used.addAndGet(more);
            return;
        }
        while (true) {
            long now = used.get();
            if (now + more > budget || now + more < 0) {
                throw StoreRefusals.memoryFull(now, budget, more);
            }
            if (used.compareAndSet(now, now + more)) {
                return;
            }
        }
    }

    void charge(long bytes) {
        replace(0, bytes);
    }

    void release(long bytes) {
        replace(bytes, 0);
    }

    /** For the start-up line: "12.0 KiB of 512.0 MiB". */
    public String describe() {
        return size(used()) + " of " + (budget == Long.MAX_VALUE ? "no bound" : size(budget));
    }

    static String size(long bytes) {
        if (bytes >= 1L << 20) {
            return String.format("%.1f MiB", bytes / 1048576.0);
        }
        if (bytes >= 1L << 10) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        return bytes + " bytes";
    }
}
