package chat.api;

import chat.error.ChatError;
import chat.error.ChatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * What a piece of a request's work came to: its value, or the failure it ended in. {@link #of} is the one place
 * where failures are caught and told apart: a {@link ChatException} is the protocol's own answer; anything else is
 * a bug or a fault of the machine, logged here in full and answered as INTERNAL_ERROR, which reveals nothing of the
 * server. The transports then write an outcome in one place each: chat.server.Failures for HTTP, chat.ws.SocketCalls
 * for WebSocket frames.
 *
 * @param value   what the work returned when it succeeded (null when it answered by itself)
 * @param failure why it failed, or null when it succeeded
 */
public record Outcome<T>(T value, ChatException failure) {
    private static final Logger log = LoggerFactory.getLogger(Outcome.class);

    /** Runs the work; {@code where} names it in the log should it fail unexpectedly ("POST /post"). */
    public static <T> Outcome<T> of(String where, Supplier<T> work) {
        try {
            return new Outcome<>(work.get(), null);
        } catch (ChatException failure) {
            return new Outcome<>(null, failure);
        } catch (RuntimeException | Error unexpected) { // Errors too: a StackOverflowError must not kill the thread
            log.error("unexpected failure in {}", where, unexpected);
            return new Outcome<>(null, ChatError.INTERNAL_ERROR.exception());
        }
    }

    /** Runs work that answers by itself; what it may throw is the outcome. */
    public static Outcome<Void> ofAction(String where, Runnable work) {
        return of(where, () -> {
            work.run();
            return null;
        });
    }

    public boolean succeeded() {
        return failure == null;
    }
}
