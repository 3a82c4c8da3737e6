package chat.server;

import chat.error.ChatError;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets requests through until shutdown begins, then answers new ones with SHUTTING_DOWN (503, with the
 * envelope) while those in flight finish. Like Undertow's GracefulShutdownHandler, but its refusals speak
 * the protocol.
 */
final class ShutdownGate implements HttpHandler {
    private final HttpHandler next;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ExchangeCompletionListener onComplete = this::completed;
    private volatile boolean closing;

    private final Refusals refusals;

    ShutdownGate(HttpHandler next, Refusals refusals) {
        this.next = next;
        this.refusals = refusals;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        inFlight.incrementAndGet(); // before the check, so that awaitIdle cannot miss this request
        if (closing) {
            completed(exchange, null);
            exchange.setPersistent(false);
            refusals.send(exchange, ChatError.SHUTTING_DOWN.exception());
            return;
        }
        exchange.addExchangeCompleteListener(onComplete);
        next.handleRequest(exchange);
    }

    private void completed(HttpServerExchange exchange, ExchangeCompletionListener.NextListener nextListener) {
        // Undertow's own completion work first (it readies the connection for the next request, which schedules a
        // read timeout on the IO thread): counted down before it, the last request would let shutdown stop the IO
        // threads while that work is still to run, and XNIO would log a RejectedExecutionException.
        try {
            if (nextListener != null) {
                nextListener.proceed();
            }
        } finally {
            if (inFlight.decrementAndGet() == 0 && closing) {
                synchronized (this) {
                    notifyAll();
                }
            }
        }
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Refuses new requests from now on and waits up to the timeout for those in flight; true if all finished. */
    synchronized boolean closeAndAwait(Duration timeout) throws InterruptedException {
        closing = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
