package chat.server;

import chat.core.ChatError;
import io.undertow.io.Receiver;
import io.undertow.server.HttpServerExchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.BiConsumer;

/**
 * Reads a request body up to a size limit, then hands the bytes on.
 *
 * <p>Undertow can enforce a limit itself, but on a chunked body it drops the connection without a word; this
 * answers every oversized body with BODY_TOO_LARGE (413) instead. The usual body arrives in one piece and is
 * passed on without a copy.
 */
final class BodyCollector implements Receiver.PartialBytesCallback, Receiver.ErrorCallback {
    private final long maxBytes;
    private final BiConsumer<HttpServerExchange, byte[]> onBody;
    private ByteArrayOutputStream pieces;
    private boolean refused;

    private BodyCollector(long maxBytes, BiConsumer<HttpServerExchange, byte[]> onBody) {
        this.maxBytes = maxBytes;
        this.onBody = onBody;
    }

    static void collect(HttpServerExchange exchange, long maxBytes, BiConsumer<HttpServerExchange, byte[]> onBody) {
        if (exchange.getRequestContentLength() > maxBytes) {
            Failures.send(exchange, tooLarge(maxBytes));
            return;
        }
        BodyCollector collector = new BodyCollector(maxBytes, onBody);
        exchange.getRequestReceiver().receivePartialBytes(collector, collector);
    }

    @Override
    public void handle(HttpServerExchange exchange, byte[] piece, boolean last) {
        if (refused) {
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
            refused = true;
            exchange.getRequestReceiver().pause();
            Failures.send(exchange, tooLarge(maxBytes));
            return;
        }
        pieces.write(piece, 0, piece.length);
        if (last) {
            onBody.accept(exchange, pieces.toByteArray());
        }
    }

    @Override
    public void error(HttpServerExchange exchange, IOException e) {
        // The client went away or broke the connection mid-body (or passed Undertow's backstop limit):
        // nobody is left to answer.
        exchange.setPersistent(false);
        exchange.endExchange();
    }

    private static chat.core.ChatException tooLarge(long maxBytes) {
        return ChatError.BODY_TOO_LARGE.exception("the body is larger than " + maxBytes + " bytes, the server's limit");
    }
}
