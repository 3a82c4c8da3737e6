package chat.client;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts of things open at once per key (connections per client, sockets per session): a bound on what is held
 * now, not a rate. A key is forgotten when its count drops to zero, so the map holds only keys with something open.
 *
 * @param <K> what is counted under, e.g. a {@link ClientKey}
 */
public final class OpenCounts<K> {
    private final ConcurrentHashMap<K, Integer> counts = new ConcurrentHashMap<>();

    /** One thing held open, counted until {@link #close()}; closing it twice releases it once. */
    public final class Permit implements AutoCloseable {
        private final K key;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Permit(K key) {
            this.key = key;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                counts.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
            }
        }
    }

    /** A permit if fewer than {@code max} are open under the key now (and counts it), else null. */
    public Permit tryOpen(K key, int max) {
        boolean[] admitted = {false};
        counts.compute(key, (k, count) -> {
            int open = count == null ? 0 : count;
            if (open >= max) {
                return count;
            }
            admitted[0] = true;
            return open + 1;
        });
        return admitted[0] ? new Permit(key) : null;
    }

    /** How many are open under the key now. */
    public int count(K key) {
        return counts.getOrDefault(key, 0);
    }

    /** How many keys have something open. */
    public int keys() {
        return counts.size();
    }
}
