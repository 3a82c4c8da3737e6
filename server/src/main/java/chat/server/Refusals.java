package chat.server;

import chat.api.Outcome;
import chat.error.ChatError;
import chat.error.ChatException;
import chat.metrics.Metrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.undertow.server.HttpServerExchange;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * HTTP requests answered below the protocol, outside any call: an unknown path or a wrong method, a head or body
 * too large or too slow, the server shutting down, a store not ready, a refused WebSocket handshake, too many
 * connections from one address, an answer refused for want of room. Counted as
 * {@code chat_http_refused_total{status, error}} (a call's own failures are chat_calls_total's), then written by
 * {@link Failures}, the one place for HTTP failures. Undertow's own bare 400s for a request it cannot parse are
 * not seen here.
 */
final class Refusals {
    private final Metrics.Family<CounterDataPoint> refused;
    /** By error, resolved on first use: a dozen codes at most, so the exposition lists only those that happened. */
    private final AtomicReferenceArray<CounterDataPoint> byError = new AtomicReferenceArray<>(ChatError.values().length);

    Refusals(Metrics metrics) {
        this.refused = metrics.counter("chat_http_refused_total", "HTTP requests answered below the protocol, outside "
                + "any call, by status and error code", "status", "error");
    }

    /** Counts a refusal written elsewhere (AcceptedConnections' raw 429). */
    void count(ChatError error) {
        CounterDataPoint point = byError.get(error.ordinal());
        if (point == null) {
            point = refused.labels(Integer.toString(error.httpStatus()), error.name());
            byError.set(error.ordinal(), point);
        }
        point.inc();
    }

    /** Counts and answers the refusal. */
    void send(HttpServerExchange exchange, ChatException failure) {
        count(failure.error());
        Failures.send(exchange, failure);
    }

    /**
     * Runs work that answers the exchange by itself (/health, /ready, a WebSocket handshake); a failure it ends in is
     * a refusal. {@code where} names it in the log, should it fail unexpectedly.
     */
    void run(HttpServerExchange exchange, String where, Runnable work) {
        Outcome<Void> outcome = Outcome.ofAction(where, work);
        if (!outcome.succeeded()) {
            send(exchange, outcome.failure());
        }
    }
}
