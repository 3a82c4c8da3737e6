package chat.server;

import chat.api.UnsentAnswers;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import org.xnio.IoUtils;
import org.xnio.Option;
import org.xnio.Options;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Writes a complete JSON answer. Every HTTP response of the server goes through here, or through
 * {@link AnswerWriter} (a call's answer, which also counts the bytes of a large one waiting for its client) and
 * then here; the two exceptions are the raw 429 of a connection refused at accept and Undertow's own 100 Continue.
 */
final class Responses {
    private static final String JSON = "application/json";

    /**
     * --write-timeout in milliseconds, as an option of every connection (HttpListener sets it), so that a small
     * answer that stalls is dropped in time too: a client that pipelines /health and never reads would otherwise
     * hold its connection for good, since Undertow stops reading (and so the read timeout) while it answers.
     */
    static final Option<Integer> WRITE_TIMEOUT = Option.simple(Responses.class, "WRITE_TIMEOUT", Integer.class);

    private Responses() {
    }

    /** A small answer (health, readiness, a failure's envelope): written at once, or dropped if it stalls. */
    static void send(HttpServerExchange exchange, int status, byte[] body) {
        ByteBuffer buffer = start(exchange, status, body);
        exchange.getResponseSender().send(buffer);
        if (buffer.hasRemaining() && !exchange.isComplete()) { // (off the IO thread a stale look: the timer checks again)
            int timeout = exchange.getConnection().getUndertowOptions().get(WRITE_TIMEOUT, 30_000);
            exchange.getIoThread().executeAfter(() -> {
                if (!exchange.isComplete()) {
                    abort(exchange);
                }
            }, timeout, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Closes the connection of an answer that did not drain, with a reset, so that the kernel drops what it still
     * holds for this client too, instead of trying on to deliver it.
     */
    static void abort(HttpServerExchange exchange) {
        try {
            exchange.getConnection().setOption(Options.CLOSE_ABORT, true);
        } catch (IOException | RuntimeException e) {
            // closed all the same, if less abruptly
        }
        IoUtils.safeClose(exchange.getConnection());
    }

    /**
     * Sets the status and headers, and returns the body to write: the array itself, never a copy, since the same
     * array may be the answer of many exchanges at once (a cached window, chat.api). A large one goes under a
     * read-only view, so that no write anywhere can change what the others send; a small one is only wrapped, as
     * a second object per answer would be felt on the fast calls, and nothing writes into what it sends.
     */
    static ByteBuffer start(HttpServerExchange exchange, int status, byte[] body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, JSON);
        exchange.setResponseContentLength(body.length);
        ByteBuffer wrapped = ByteBuffer.wrap(body);
        return body.length >= UnsentAnswers.LARGE ? wrapped.asReadOnlyBuffer() : wrapped;
    }
}
