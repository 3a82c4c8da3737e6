package chat.server;

import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP listener, built as {@code io.undertow.Undertow.start()} builds it (an XNIO worker, Undertow's
 * HttpOpenListener, a stream connection server), with the same defaults, but with our own accept listener in front
 * of Undertow's: {@link AcceptedConnections} counts each connection per client as it is accepted. Undertow's builder
 * has no such hook, and counting any later (at the first request) would miss idle connections, which never send one.
 */
final class HttpListener implements AutoCloseable {
    private final XnioWorker worker;
    private final AcceptingChannel<StreamConnection> server;

    private HttpListener(XnioWorker worker, AcceptingChannel<StreamConnection> server) {
        this.worker = worker;
        this.server = server;
    }

    /**
     * Binds and accepts.
     *
     * @param serverOptions Undertow's options (UndertowOptions.*) for every connection
     * @param socketOptions XNIO's options (Options.*) for the listening socket and the connections it accepts
     * @param accepted      sees each connection first, and hands it to Undertow
     */
    static HttpListener start(String host, int port, int ioThreads, OptionMap serverOptions, OptionMap socketOptions,
                              HttpHandler root, AcceptedConnections accepted) {
        Xnio xnio = Xnio.getInstance(HttpListener.class.getClassLoader());
        XnioWorker worker;
        try {
            worker = xnio.createWorker(OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, ioThreads)
                    .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
                    .set(Options.CONNECTION_LOW_WATER, 1_000_000)
                    .set(Options.WORKER_TASK_CORE_THREADS, ioThreads) // our calls never block a worker; slow work has its own pool
                    .set(Options.WORKER_TASK_MAX_THREADS, ioThreads)
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.CORK, true)
                    .getMap());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the IO threads", e);
        }
        try {
            HttpOpenListener open = new HttpOpenListener(buffers(), OptionMap.builder()
                    .set(UndertowOptions.BUFFER_PIPELINED_DATA, true)
                    .addAll(serverOptions)
                    .getMap());
            open.setRootHandler(root);
            OptionMap listening = OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, worker.getIoThreadCount())
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.REUSE_ADDRESSES, true)
                    .set(Options.BALANCING_TOKENS, 1)
                    .set(Options.BALANCING_CONNECTIONS, 2)
                    .addAll(socketOptions)
                    .getMap();
            AcceptingChannel<StreamConnection> server = worker.createStreamConnectionServer(
                    new InetSocketAddress(InetAddress.getByName(host), port), accepted.handingTo(open), listening);
            server.resumeAccepts();
            return new HttpListener(worker, server);
        } catch (IOException | RuntimeException e) {
            worker.shutdownNow();
            throw e instanceof IOException io ? new UncheckedIOException("cannot listen on " + host + ":" + port, io)
                    : (RuntimeException) e;
        }
    }

    /** Undertow's default buffers: 16 KB direct ones, smaller on a small heap (as Undertow.Builder chooses). */
    private static ByteBufferPool buffers() {
        long maxMemory = Runtime.getRuntime().maxMemory();
        if (maxMemory < 64L << 20) {
            return new DefaultByteBufferPool(false, 512, -1, 4);
        }
        if (maxMemory < 128L << 20) {
            return new DefaultByteBufferPool(true, 1024, -1, 4);
        }
        return new DefaultByteBufferPool(true, 16 * 1024 - 20, -1, 4); // 20 bytes left for protocol headers (UNDERTOW-1209)
    }

    int port() {
        return server.getLocalAddress(InetSocketAddress.class).getPort();
    }

    /** Stops accepting, then stops the IO threads, which closes every connection. */
    @Override
    public void close() {
        IoUtils.safeClose(server);
        worker.shutdown();
        try {
            if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
