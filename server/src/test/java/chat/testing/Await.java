package chat.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for something another thread or process brings about: the tests' one way to wait for an event that sends
 * no answer of its own. A test never sleeps for a guessed time instead; it names what it waits for, gives a deadline
 * that holds on a loaded machine, and on failure is told what was last seen.
 */
public final class Await {
    private static final long CHECK_EVERY_MILLIS = 10;

    private Await() {
    }

    /** Returns once the condition holds; fails naming {@code what} when it still does not after {@code within}. */
    public static void until(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        value(what, within, condition::getAsBoolean, Boolean::booleanValue);
    }

    /**
     * Probes until {@code done} accepts what the probe returned, and returns that; fails quoting the last value
     * probed when nothing acceptable came within the time.
     */
    public static <T> T value(String what, Duration within, Supplier<T> probe, Predicate<T> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            T seen = probe.get();
            if (done.test(seen)) {
                return seen;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + within.toMillis() + " ms waiting for " + what
                        + "; last seen: " + seen);
            }
            Thread.sleep(CHECK_EVERY_MILLIS);
        }
    }
}
