package chat.server;

import chat.api.Json;
import chat.client.ClientAddresses;
import chat.client.ClientKey;
import chat.client.OpenCounts;
import chat.error.ChatError;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.ServerConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.channels.AcceptingChannel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Every open connection, seen as it is accepted, before Undertow reads a byte of it:
 * <ul>
 * <li>connections per client address are bounded ({@code --max-client-connections}): one over the bound is answered
 *     429 TOO_MANY_CONNECTIONS at once and closed. Counted at accept, because the connections that exhaust a server
 *     are idle ones, which never send a request to be counted at. Exempt addresses and trusted proxies are not
 *     counted ({@link ClientAddresses});</li>
 * <li>near {@code --max-connections} (above 90 % of it) the HTTP connections that are between requests are closed,
 *     the longest idle first, so that idle keep-alive connections make room for new clients instead of the accept
 *     backlog filling up. WebSockets and connections with a request in flight are never closed for this.</li>
 * </ul>
 * Whether a connection is between requests is marked by {@link ConnectionActivity}, once per request.
 */
final class AcceptedConnections {
    private static final Logger log = LoggerFactory.getLogger(AcceptedConnections.class);
    /** How long a refused connection may linger while what its client already sent is read and thrown away. */
    private static final long REFUSED_LINGER_MILLIS = 1_000;
    private static final int REFUSED_DRAIN_BYTES = 64 * 1024;
    /**
     * Refused connections that may linger at once, all clients together. Past it a refused connection is closed as
     * soon as its answer is written: lingering ones are not counted per client, and a client opening connections
     * faster than they linger out would otherwise fill the server's --max-connections with them.
     */
    private static final int MAX_LINGERING = 256;
    /** After a scan for idle connections found none to close, the next waits this long (the scan is O(open)). */
    private static final long PRUNE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ClientAddresses clients;
    private final int maxPerClient;
    private final int pruneAbove;
    private final OpenCounts<ClientKey> perClient = new OpenCounts<>();
    private final ConcurrentHashMap<StreamConnection, Tracked> open = new ConcurrentHashMap<>();
    private final AtomicBoolean pruning = new AtomicBoolean();
    private final AtomicInteger lingering = new AtomicInteger();
    private volatile long nextPruneNanos = System.nanoTime();

    /**
     * @param maxPerClient   connections open at once from one client address
     * @param maxConnections the server's bound on open connections; above 90 % of it idle ones are closed
     */
    private final Refusals refusals;

    AcceptedConnections(ClientAddresses clients, int maxPerClient, int maxConnections, Refusals refusals) {
        this.refusals = refusals;
        this.clients = clients;
        this.maxPerClient = maxPerClient;
        this.pruneAbove = Math.max(1, (int) (maxConnections * 9L / 10));
    }

    /** The accept listener: counts each connection, then hands it to Undertow's {@code open} listener. */
    ChannelListener<AcceptingChannel<StreamConnection>> handingTo(ChannelListener<StreamConnection> undertow) {
        return server -> {
            StreamConnection connection;
            try {
                connection = server.accept();
            } catch (IOException e) {
                log.debug("accepting a connection failed: {}", e.toString());
                return;
            }
            if (connection != null) {
                accepted(connection, undertow);
            }
        };
    }

    private void accepted(StreamConnection connection, ChannelListener<StreamConnection> undertow) {
        InetSocketAddress peer = connection.getPeerAddress(InetSocketAddress.class);
        OpenCounts<ClientKey>.Permit permit = null;
        if (peer != null && !clients.isConnectionExempt(peer.getAddress())) {
            ClientKey client = ClientKey.of(peer.getAddress());
            permit = perClient.tryOpen(client, maxPerClient);
            if (permit == null) {
                refuse(connection, client);
                return;
            }
        }
        Tracked tracked = new Tracked(connection, permit);
        open.put(connection, tracked);
        ChannelListeners.invokeChannelListener(connection, undertow);
        // Undertow's connection has set its close listener by now; ours runs after it.
        ChannelListener<? super StreamConnection> undertowsClose = connection.getCloseListener();
        connection.setCloseListener(closed -> {
            try {
                ChannelListeners.invokeChannelListener(closed, undertowsClose);
            } finally {
                forget(tracked);
            }
        });
        if (!connection.isOpen()) {
            forget(tracked); // closed before our listener was set: nothing else will release it
        }
        if (open.size() > pruneAbove && System.nanoTime() - nextPruneNanos >= 0) {
            closeIdle();
        }
    }

    private void forget(Tracked tracked) {
        if (open.remove(tracked.connection, tracked) && tracked.permit != null) {
            tracked.permit.close();
        }
    }

    /**
     * A raw HTTP/1.1 answer with the envelope, then the connection is closed. Whatever the client sent meanwhile is
     * read and thrown away for a moment first: closing with unread bytes makes the kernel reset the connection, and a
     * reset can destroy the answer before the client has read it.
     */
    private void refuse(StreamConnection connection, ClientKey client) {
        log.debug("refused a connection from {}: {} open already", client, maxPerClient);
        ChatError error = ChatError.TOO_MANY_CONNECTIONS;
        refusals.count(error);
        byte[] body = Json.failure(error.name(), "too many connections are open from your address (" + maxPerClient
                + " at most); close some and try again");
        byte[] head = ("HTTP/1.1 " + error.httpStatus() + " Too Many Requests\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer answer = ByteBuffer.allocate(head.length + body.length).put(head).put(body).flip();
        try {
            connection.getSinkChannel().write(answer); // a few hundred bytes into an empty send buffer: written whole
            connection.getSinkChannel().shutdownWrites();
            connection.getSinkChannel().flush();
        } catch (IOException e) {
            IoUtils.safeClose(connection);
            return;
        }
        if (lingering.incrementAndGet() > MAX_LINGERING) {
            lingering.decrementAndGet();
            IoUtils.safeClose(connection);
            return;
        }
        connection.setCloseListener(closed -> lingering.decrementAndGet());
        connection.getIoThread().executeAfter(() -> IoUtils.safeClose(connection), REFUSED_LINGER_MILLIS,
                TimeUnit.MILLISECONDS);
        ByteBuffer discard = ByteBuffer.allocate(4096);
        int[] drained = {0};
        connection.getSourceChannel().setReadListener(source -> {
            try {
                int read;
                while ((read = source.read(discard.clear())) > 0) {
                    drained[0] += read;
                }
                if (read < 0 || drained[0] > REFUSED_DRAIN_BYTES) {
                    IoUtils.safeClose(connection);
                }
            } catch (IOException e) {
                IoUtils.safeClose(connection);
            }
        });
        connection.getSourceChannel().resumeReads();
    }

    /**
     * Closes the longest-idle HTTP connections until no more than 90 % of the bound are open (or none idle is
     * left). Runs on the accept thread, only while above that mark: a scan of the open connections, rare by nature.
     */
    private void closeIdle() {
        if (!pruning.compareAndSet(false, true)) {
            return;
        }
        try {
            List<Tracked> idle = new ArrayList<>();
            int live = 0;
            for (Tracked tracked : open.values()) {
                int state = tracked.state;
                if (state != Tracked.CLOSING) {
                    live++;
                }
                if (state == Tracked.IDLE) {
                    idle.add(tracked);
                }
            }
            int excess = live - pruneAbove;
            if (excess <= 0 || idle.isEmpty()) {
                nextPruneNanos = System.nanoTime() + PRUNE_PAUSE_NANOS;
                return;
            }
            idle.sort(Comparator.comparingLong(tracked -> tracked.idleSinceNanos));
            for (Tracked tracked : idle.subList(0, Math.min(excess, idle.size()))) {
                tracked.closeIfStillIdle();
            }
            log.debug("{} connections open, above 90 % of the limit: closed {} idle ones", live,
                    Math.min(excess, idle.size()));
        } finally {
            pruning.set(false);
        }
    }

    /** The tracked state of an Undertow connection, or null for one not accepted here. */
    Tracked of(ServerConnection connection) {
        return connection instanceof AbstractServerConnection server ? open.get(server.getChannel()) : null;
    }

    ClientAddresses clients() {
        return clients;
    }

    /** Connections between requests now (what closeIdle may close). */
    int idleCount() {
        return (int) open.values().stream().filter(tracked -> tracked.state == Tracked.IDLE).count();
    }

    /** Connections open now (WebSockets included). */
    int openCount() {
        return open.size();
    }

    /** One open connection: whether it is between requests, in one, or a WebSocket. */
    static final class Tracked {
        static final int IDLE = 0;
        static final int BUSY = 1;
        static final int SOCKET = 2;
        static final int CLOSING = 3;
        private static final AtomicIntegerFieldUpdater<Tracked> STATE =
                AtomicIntegerFieldUpdater.newUpdater(Tracked.class, "state");

        final StreamConnection connection;
        final OpenCounts<ClientKey>.Permit permit;
        // Written by the connection's IO thread (ConnectionActivity), read by the accept thread.
        volatile int state = IDLE;
        volatile long idleSinceNanos = System.nanoTime();

        Tracked(StreamConnection connection, OpenCounts<ClientKey>.Permit permit) {
            this.connection = connection;
            this.permit = permit;
        }

        void requestStarted() {
            state = BUSY; // a plain write: also cancels a pending closeIfStillIdle, whose close checks for CLOSING
        }

        void requestEnded(boolean upgraded) {
            if (upgraded) {
                state = SOCKET;
            } else {
                idleSinceNanos = System.nanoTime();
                state = IDLE;
            }
        }

        /** Closed on its own IO thread, unless a request began meanwhile. */
        void closeIfStillIdle() {
            if (!STATE.compareAndSet(this, IDLE, CLOSING)) {
                return; // a request began: it is not idle
            }
            connection.getIoThread().execute(() -> {
                if (state == CLOSING) {
                    IoUtils.safeClose(connection);
                }
            });
        }
    }
}
