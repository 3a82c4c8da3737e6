package chat.server;

import chat.error.ChatError;
import io.undertow.io.IoCallback;
import io.undertow.io.Receiver;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.util.Headers;
import org.xnio.XnioExecutor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Reads a request body up to a size limit, then hands the bytes on.
 *
 * <p>Undertow can enforce a limit itself, but on a chunked body it drops the connection without a word; this
 * answers every oversized body with BODY_TOO_LARGE (413) instead. The usual body arrives in one piece and is
 * passed on without a copy.
 *
 * <p>An oversized body is read to its end and thrown away (up to {@link #drainLimit}) before the 413 is sent.
 * Closing a connection with unread data makes the kernel reset it, and a reset can destroy the answer before the
 * client, or a proxy in between, has read it; so a client would see a broken connection instead of the reason.
 *
 * <p>A body must arrive within the body timeout: one timer per body that is not read in one go (armed once, not
 * per read, and cancelled when the body is complete), so a client trickling a byte at a time cannot hold the
 * connection and its buffer for long. On expiry the answer is BODY_TIMEOUT (408) and the connection is closed.
 */
final class BodyCollector implements Receiver.PartialBytesCallback, Receiver.ErrorCallback {
    private final long maxBytes;
    private final BiConsumer<HttpServerExchange, byte[]> onBody;
    private final Duration timeout;
    private final Refusals refusals;
    private XnioExecutor.Key deadline; // armed once the body has not arrived in its first read
    private boolean complete; // the body was handed on, or answered
    private ByteArrayOutputStream pieces;
    private long discarded = -1; // -1 while the body is within the limit; then the bytes thrown away
    private boolean answered;

    private BodyCollector(long maxBytes, Duration timeout, Refusals refusals, BiConsumer<HttpServerExchange, byte[]> onBody) {
        this.refusals = refusals;
        this.maxBytes = maxBytes;
        this.timeout = timeout;
        this.onBody = onBody;
    }

    /** How much of an oversized body is read and thrown away before answering; beyond it, the answer is sent at once. */
    static long drainLimit(long maxBytes) {
        return Math.max(2L << 20, 16 * maxBytes);
    }

    static void collect(HttpServerExchange exchange, long maxBytes, Duration timeout, Refusals refusals,
                        BiConsumer<HttpServerExchange, byte[]> onBody) {
        long length = exchange.getRequestContentLength();
        // A client that sent "Expect: 100-continue" waits for a 100 Continue before it sends the body: one whose
        // body is too large already is answered without it (and the connection closed), the others are asked
        // for it now. (Checked by the header's presence first: one lookup on the hot path.)
        boolean expectsContinue = exchange.getRequestHeaders().contains(Headers.EXPECT)
                && HttpContinue.requiresContinueResponse(exchange);
        if (length > drainLimit(maxBytes) || (expectsContinue && length > maxBytes)) {
            refusals.send(exchange, tooLarge(maxBytes));
            return;
        }
        BodyCollector collector = new BodyCollector(maxBytes, timeout, refusals, onBody);
        if (length > maxBytes) {
            collector.discarded = 0;
        }
        if (expectsContinue) {
            HttpContinue.sendContinueResponse(exchange, new IoCallback() {
                @Override
                public void onComplete(HttpServerExchange ex, Sender sender) {
                    collector.receive(ex);
                }

                @Override
                public void onException(HttpServerExchange ex, Sender sender, IOException e) {
                    collector.error(ex, e);
                }
            });
            return;
        }
        collector.receive(exchange);
    }

    /** Reads the body, on the IO thread. */
    private void receive(HttpServerExchange exchange) {
        exchange.getRequestReceiver().receivePartialBytes(this, this);
        // The usual body has been read whole (and handed on) inside that call; only one still coming gets a timer.
        if (!complete) {
            deadline = exchange.getIoThread().executeAfter(() -> expired(exchange), timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** On the connection's IO thread, as the reads are: no race with handle. */
    private void expired(HttpServerExchange exchange) {
        if (complete) {
            return;
        }
        complete = true;
        answered = true;
        exchange.getRequestReceiver().pause();
        exchange.setPersistent(false);
        refusals.send(exchange, ChatError.BODY_TIMEOUT.exception("the body did not arrive within "
                + timeout.toMillis() + " ms of the request's headers; send it whole and promptly"));
    }

    /** The body is handed on (or answered): nothing is left for the timer to do. */
    private void finished() {
        complete = true;
        if (deadline != null) {
            deadline.remove();
        }
    }

    @Override
    public void handle(HttpServerExchange exchange, byte[] piece, boolean last) {
        if (answered) {
            return;
        }
        if (discarded >= 0) {
            discard(exchange, piece.length, last);
            return;
        }
        if (pieces == null && last) {
            finished();
            onBody.accept(exchange, piece); // the whole body in one read: no copy
            return;
        }
        if (pieces == null) {
            pieces = new ByteArrayOutputStream(Math.max(256, piece.length * 2));
        }
        if (pieces.size() + (long) piece.length > maxBytes) {
            discarded = pieces.size();
            pieces = null;
            discard(exchange, piece.length, last);
            return;
        }
        pieces.write(piece, 0, piece.length);
        if (last) {
            finished();
            onBody.accept(exchange, pieces.toByteArray());
        }
    }

    private void discard(HttpServerExchange exchange, int length, boolean last) {
        discarded += length;
        if (last || discarded > drainLimit(maxBytes)) {
            if (!last) {
                exchange.getRequestReceiver().pause(); // past the drain limit: answer now, and close
            }
            answered = true;
            finished();
            refusals.send(exchange, tooLarge(maxBytes));
        }
    }

    @Override
    public void error(HttpServerExchange exchange, IOException e) {
        // The client went away or broke the connection mid-body (or passed Undertow's backstop limit):
        // nobody is left to answer. A chunk size that overflows ends here too, unanswered: Undertow's chunked
        // decoder closes the connection itself before it reports the error, so no envelope can be sent.
        finished();
        exchange.setPersistent(false);
        exchange.endExchange();
    }

    private static chat.error.ChatException tooLarge(long maxBytes) {
        return ChatError.BODY_TOO_LARGE.exception("the body is larger than " + maxBytes + " bytes, the server's limit");
    }
}
