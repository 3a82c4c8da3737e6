package chat.server;

import chat.api.Outcome;
import chat.api.UnsentAnswers;
import chat.error.ChatError;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioExecutor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Writes the answers of calls so that clients that do not read them cost bounded memory and time: a large answer
 * first asks {@link UnsentAnswers} for room ({@code --max-unsent}) and is refused with 503 SERVER_BUSY when there is
 * none; an answer that does not go out in its first write is held there until it has, and its connection is closed
 * if it has not drained within {@code --write-timeout}, which lets its bytes go.
 *
 * <p>Most answers are written whole by the first write, inside {@link Sender#send}: they cost no timer, no
 * accounting and no allocation here (the completion callback is one shared object). Only a stalled answer gets
 * its own state and one timer, armed once. A timer re-armed on every write (XNIO's WRITE_TIMEOUT, Undertow's
 * IDLE_TIMEOUT) is what doubled the p99 of WebSocket fan-out (BENCHMARKS.md).
 */
final class AnswerWriter {
    private static final Logger log = LoggerFactory.getLogger(AnswerWriter.class);
    private static final AttachmentKey<Stalled> STALLED = AttachmentKey.create(Stalled.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    /** Shared by every answer: the state of a stalled one is found on its exchange. */
    private static final IoCallback WHEN_WRITTEN = new IoCallback() {
        @Override
        public void onComplete(HttpServerExchange exchange, Sender sender) {
            Stalled stalled = exchange.getAttachment(STALLED);
            if (stalled != null) {
                stalled.drained();
            }
            IoCallback.END_EXCHANGE.onComplete(exchange, sender);
        }

        @Override
        public void onException(HttpServerExchange exchange, Sender sender, IOException exception) {
            Stalled stalled = exchange.getAttachment(STALLED);
            if (stalled != null) {
                stalled.drained(); // the client has gone: nothing more will be written
            }
            IoCallback.END_EXCHANGE.onException(exchange, sender, exception);
        }
    };

    private final UnsentAnswers unsent;
    private final long writeTimeoutMillis;

    private final Refusals refusals;

    AnswerWriter(UnsentAnswers unsent, Duration writeTimeout, Refusals refusals) {
        this.unsent = unsent;
        this.refusals = refusals;
        this.writeTimeoutMillis = writeTimeout.toMillis();
    }

    /** A call's outcome as its answer: 200 with the call's bytes, or the failure's envelope (Failures). */
    void send(HttpServerExchange exchange, Outcome<byte[]> outcome) {
        if (outcome.succeeded()) {
            send(exchange, 200, outcome.value());
        } else {
            Failures.send(exchange, outcome.failure());
        }
    }

    void send(HttpServerExchange exchange, int status, byte[] body) {
        if (!exchange.isInIoThread()) {
            // Calls are answered on the IO thread (Routes): a stall state set here would race its callback.
            Responses.send(exchange, status, body);
            return;
        }
        UnsentAnswers.Hold hold = null;
        if (body.length >= UnsentAnswers.LARGE) {
            hold = unsent.tryHold(body, body.length);
            if (hold == null) {
                refusals.send(exchange, ChatError.SERVER_BUSY.exception("the server holds " + unsent.maxBytes()
                        + " bytes of answers for clients that read slowly, its bound; this answer of " + body.length
                        + " bytes would pass it").retryAfter(RETRY_AFTER));
                return;
            }
        }
        ByteBuffer buffer = Responses.start(exchange, status, body);
        exchange.getResponseSender().send(buffer, WHEN_WRITTEN);
        if (!buffer.hasRemaining() || exchange.isComplete()) { // written at once (or the client has gone)
            if (hold != null) {
                hold.release();
            }
            return;
        }
        Stalled stalled = new Stalled(exchange, hold != null ? hold : unsent.hold(body, body.length));
        exchange.putAttachment(STALLED, stalled);
        stalled.timer = exchange.getIoThread().executeAfter(stalled::expire, writeTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** An answer that did not go out in its first write; on its exchange's IO thread only. */
    private static final class Stalled {
        private final HttpServerExchange exchange;
        private final UnsentAnswers.Hold hold;
        private XnioExecutor.Key timer;

        Stalled(HttpServerExchange exchange, UnsentAnswers.Hold hold) {
            this.exchange = exchange;
            this.hold = hold;
        }

        void drained() {
            timer.remove();
            hold.release();
        }

        /**
         * Not drained in time: the connection goes, and its bytes with it (the callback is not called then).
         */
        void expire() {
            hold.release();
            log.debug("closing a connection to {}: its answer did not drain in time", exchange.getSourceAddress());
            Responses.abort(exchange);
        }
    }
}
