package chat.server;

import chat.api.BoundedPool;
import chat.api.CallTable;
import chat.client.Client;
import chat.api.Outcome;
import chat.error.ChatException;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.server.protocol.http.HttpServerConnection;
import org.xnio.IoUtils;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An HTTP call (logon) waiting in a bounded line for a hash thread, its body read. Before it is hashed, its
 * connection is asked whether the client is still there.
 *
 * <p>Why the question needs a read: once Undertow has read a request it stops reading the connection until the
 * answer is sent, so a client that hung up is not noticed by itself ({@code isOpen()} stays true). The check reads
 * the socket without blocking, on the connection's IO thread (the only thread that may touch it), below the
 * request's body conduit (which is exhausted): end of stream or a reset means the client has gone; bytes mean it
 * pipelined its next request, and they are pushed back with {@link HttpServerConnection#ungetRequestBytes}, where
 * Undertow reads them once this exchange ends. A client that only shut down its sending side looks gone too: it
 * is not answered (HTTP clients do not do that while they wait for an answer).
 */
final class QueuedExchange implements BoundedPool.Task {
    /** Longest a hash thread waits for the IO thread's answer; past it the client is taken to be there. */
    private static final long CHECK_TIMEOUT_MILLIS = 1_000;

    private final HttpServerExchange exchange;
    private final CallTable.Route route;
    private final byte[] body;
    private final Client client;
    private final AnswerWriter answers;

    QueuedExchange(HttpServerExchange exchange, CallTable.Route route, byte[] body, Client client,
                   AnswerWriter answers) {
        this.client = client;
        this.exchange = exchange;
        this.route = route;
        this.body = body;
        this.answers = answers;
    }

    @Override
    public boolean clientGone() {
        CompletableFuture<Boolean> gone = new CompletableFuture<>();
        try {
            exchange.getIoThread().execute(() -> gone.complete(hasHungUp(exchange.getConnection())));
        } catch (RejectedExecutionException stopping) {
            return true; // the IO thread has stopped: nobody can be answered any more
        }
        try {
            return gone.get(CHECK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (TimeoutException | ExecutionException e) {
            return false; // when in doubt, serve
        }
    }

    /** On the IO thread: whether the client closed or reset its connection. */
    private static boolean hasHungUp(ServerConnection connection) {
        if (!connection.isOpen()) {
            return true;
        }
        if (!(connection instanceof HttpServerConnection http) || http.getExtraBytes() != null) {
            return false; // not HTTP/1.1 (nothing to read below), or it has already sent more: it is there
        }
        PooledByteBuffer pooled = http.getByteBufferPool().allocate();
        try {
            ByteBuffer buffer = pooled.getBuffer();
            buffer.clear();
            int read = http.getOriginalSourceConduit().read(buffer);
            if (read > 0) {
                buffer.flip();
                http.ungetRequestBytes(pooled);
                pooled = null;
                return false;
            }
            return read < 0;
        } catch (IOException reset) {
            return true;
        } finally {
            if (pooled != null) {
                pooled.close();
            }
        }
    }

    /**
     * Computes the answer on the hash thread and writes it on the IO thread (Routes.answerFromPool says why).
     */
    @Override
    public void run() {
        // logon: no post, so no idempotency key
        Outcome<byte[]> outcome = route.answerHttp(body, null, client, RequestIds.of(exchange));
        exchange.getIoThread().execute(() -> answers.send(exchange, outcome));
    }

    @Override
    public void refuse(ChatException busy) {
        route.meter().count(busy);
        exchange.getIoThread().execute(() -> Failures.send(exchange, busy));
    }

    @Override
    public void abandon() {
        exchange.getIoThread().execute(() -> {
            exchange.setPersistent(false);
            IoUtils.safeClose(exchange.getConnection());
            exchange.endExchange(); // so that the exchange counts as finished (ShutdownGate)
        });
    }
}
