package chat.server;

import chat.core.ChatError;
import chat.core.ChatException;
import io.undertow.server.HttpServerExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become responses: the protocol's envelope
 * {@code {"status":false,"data":"reason","error":"CODE"}} with the status of the error's table entry.
 */
final class Failures {
    private static final Logger log = LoggerFactory.getLogger(Failures.class);

    private Failures() {
    }

    static void send(HttpServerExchange exchange, ChatException failure) {
        ChatError error = failure.error();
        if (log.isDebugEnabled()) {
            log.debug("{} {} failed: {} {}", exchange.getRequestMethod(), exchange.getRequestPath(), error,
                    failure.reason());
        }
        if (error.httpStatus() >= 400 && error != ChatError.STORE_UNAVAILABLE) {
            // After a failure below the protocol the request body may be unread, or the client confused:
            // a fresh connection is the safe way on. (A call refused because Redis is down was read whole and
            // may be retried on the same connection; closing would only add reconnects to an outage.)
            exchange.setPersistent(false);
        }
        Responses.send(exchange, error.httpStatus(), Json.failure(error.name(), failure.reason()));
    }

    /** A bug or a fault of the machine: logged in full, answered with nothing of the server's insides. */
    static void sendUnexpected(HttpServerExchange exchange, Throwable cause) {
        log.error("unexpected failure in {} {}", exchange.getRequestMethod(), exchange.getRequestPath(), cause);
        if (exchange.isResponseStarted()) {
            exchange.endExchange();
            return;
        }
        send(exchange, ChatError.INTERNAL_ERROR.exception());
    }
}
