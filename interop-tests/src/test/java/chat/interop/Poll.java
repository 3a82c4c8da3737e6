package chat.interop;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting for something another process or thread does: check, pause briefly, check again, until it holds or a
 * deadline passes. The tests wait like this instead of sleeping for a guessed time, so a wait lasts as long as
 * the event takes (a busy machine only makes it longer), and one that runs out says what it was waiting for.
 */
final class Poll {
    /** Between checks: short next to anything awaited, long enough not to busy the machine. */
    private static final long PAUSE_MILLIS = 50;

    private Poll() {
    }

    /** Checks until the condition holds; false when it did not within the time. */
    static boolean within(Duration time, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + time.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(PAUSE_MILLIS);
        }
        return true;
    }

    /** Probes until what it returns is done; fails, naming what it waited for and what it saw last, if not in time. */
    static <T> void until(String waitingFor, Duration time, Supplier<T> probe, Predicate<T> done)
            throws InterruptedException {
        AtomicReference<T> last = new AtomicReference<>();
        boolean happened = within(time, () -> {
            last.set(probe.get());
            return done.test(last.get());
        });
        if (!happened) {
            throw new AssertionError("waited " + time.toSeconds() + " s for " + waitingFor + "; last seen: " + last.get());
        }
    }
}
