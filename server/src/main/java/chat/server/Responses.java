package chat.server;

import chat.api.UnsentAnswers;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.nio.ByteBuffer;

/**
 * Writes a complete JSON answer. Every response of the server goes through here, or through {@link AnswerWriter}
 * (a call's answer, which watches for a client that does not read it) and then here.
 */
final class Responses {
    private static final String JSON = "application/json";

    private Responses() {
    }

    static void send(HttpServerExchange exchange, int status, byte[] body) {
        exchange.getResponseSender().send(start(exchange, status, body));
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
