package chat.server;

import chat.api.Json;
import chat.api.Outcome;
import chat.error.ChatError;
import chat.error.ChatException;
import chat.error.Throttle;
import chat.log.LogContext;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP responses: the protocol's envelope
 * {@code {"status":false,"data":"reason","error":"CODE"}} with the status of the error's table entry (a call's
 * successful answer is AnswerWriter's). (The one place
 * for WebSocket frames is chat.ws.SocketCalls's answer; both take what {@link Outcome#of} made of the failure.)
 */
final class Failures {
    private static final Logger log = LoggerFactory.getLogger(Failures.class);
    private static final HttpString RATE_LIMIT_POLICY = new HttpString("RateLimit-Policy");
    private static final HttpString RATE_LIMIT = new HttpString("RateLimit");

    private Failures() {
    }

    static void send(HttpServerExchange exchange, ChatException failure) {
        ChatError error = failure.error();
        exchange.putAttachment(AccessLog.ERROR, error);
        if (log.isDebugEnabled()) {
            LogContext.enter(RequestIds.of(exchange), null); // written on the IO thread, outside the call's context
            try {
                log.debug("{} failed: {} {}", describe(exchange), error, failure.reason());
            } finally {
                LogContext.leave();
            }
        }
        if (exchange.isResponseStarted()) {
            exchange.endExchange(); // too late for an envelope: the client sees the connection end
            return;
        }
        if (error.httpStatus() >= 400 && error != ChatError.STORE_UNAVAILABLE && error != ChatError.SERVER_BUSY
                && error != ChatError.RATE_LIMITED) {
            // After a failure below the protocol the request body may be unread, or the client confused:
            // a fresh connection is the safe way on. (A call refused because Redis is down, or the server busy, was read whole and
            // may be retried on the same connection; closing would only add reconnects to an outage. So may a call
            // refused by a rate limit: closing would only add connections to the limit's count.)
            exchange.setPersistent(false);
        }
        if (failure.retryAfter() != null) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, failure.retryAfterSeconds());
        }
        Throttle throttle = failure.throttle();
        if (throttle != null) {
            // draft-ietf-httpapi-ratelimit-headers-10: the policy that refused, and that it has nothing left
            String policy = "\"" + throttle.policy() + "\"";
            exchange.getResponseHeaders().put(RATE_LIMIT_POLICY, policy + ";q=" + throttle.quota() + ";w="
                    + throttle.windowSeconds());
            exchange.getResponseHeaders().put(RATE_LIMIT, policy + ";r=0;t=" + failure.retryAfterSeconds());
        }
        Responses.send(exchange, error.httpStatus(), Json.failure(error.name(), failure.reason()));
    }

    /** "POST /post": how the log names a request. */
    private static String describe(HttpServerExchange exchange) {
        return exchange.getRequestMethod() + " " + exchange.getRequestPath();
    }
}
