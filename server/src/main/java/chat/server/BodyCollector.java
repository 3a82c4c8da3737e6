package chat.server;

import chat.error.ChatError;
import io.undertow.io.IoCallback;
import io.undertow.io.Receiver;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.util.Headers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
 */
final class BodyCollector implements Receiver.PartialBytesCallback, Receiver.ErrorCallback {
    private final long maxBytes;
    private final BiConsumer<HttpServerExchange, byte[]> onBody;
    private ByteArrayOutputStream pieces;
    private long discarded = -1; // -1 while the body is within the limit; then the bytes thrown away
    private boolean answered;

    private BodyCollector(long maxBytes, BiConsumer<HttpServerExchange, byte[]> onBody) {
        this.maxBytes = maxBytes;
        this.onBody = onBody;
    }

    /** How much of an oversized body is read and thrown away before answering; beyond it, the answer is sent at once. */
    static long drainLimit(long maxBytes) {
        return Math.max(2L << 20, 16 * maxBytes);
    }

    static void collect(HttpServerExchange exchange, long maxBytes, BiConsumer<HttpServerExchange, byte[]> onBody) {
        long length = exchange.getRequestContentLength();
        // A client that sent "Expect: 100-continue" waits for a 100 Continue before it sends the body: one whose
        // body is too large already is answered without it (and the connection closed), the others are asked
        // for it now. (Checked by the header's presence first: one lookup on the hot path.)
        boolean expectsContinue = exchange.getRequestHeaders().contains(Headers.EXPECT)
                && HttpContinue.requiresContinueResponse(exchange);
        if (length > drainLimit(maxBytes) || (expectsContinue && length > maxBytes)) {
            Failures.send(exchange, tooLarge(maxBytes));
            return;
        }
        BodyCollector collector = new BodyCollector(maxBytes, onBody);
        if (length > maxBytes) {
            collector.discarded = 0;
        }
        if (expectsContinue) {
            HttpContinue.sendContinueResponse(exchange, new IoCallback() {
                @Override
                public void onComplete(HttpServerExchange ex, Sender sender) {
                    ex.getRequestReceiver().receivePartialBytes(collector, collector);
                }

                @Override
                public void onException(HttpServerExchange ex, Sender sender, IOException e) {
                    collector.error(ex, e);
                }
            });
            return;
        }
        exchange.getRequestReceiver().receivePartialBytes(collector, collector);
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
            Failures.send(exchange, tooLarge(maxBytes));
        }
    }

    @Override
    public void error(HttpServerExchange exchange, IOException e) {
        // The client went away or broke the connection mid-body (or passed Undertow's backstop limit):
        // nobody is left to answer. A chunk size that overflows ends here too, unanswered: Undertow's chunked
        // decoder closes the connection itself before it reports the error, so no envelope can be sent.
        exchange.setPersistent(false);
        exchange.endExchange();
    }

    private static chat.error.ChatException tooLarge(long maxBytes) {
        return ChatError.BODY_TOO_LARGE.exception("the body is larger than " + maxBytes + " bytes, the server's limit");
    }
}
