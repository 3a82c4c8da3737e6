package chat.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of the server that fails as networks do, when a test says: it cuts its connections for a
 * while (an outage), or it loses the answers of its next connections: each request reaches the server whole, and
 * when the server starts to answer the connection is closed instead, as when a network fails after the server
 * acted. What a client must retry without doing the act twice.
 */
final class CuttableProxy implements AutoCloseable {
    private final ServerSocket listener = new ServerSocket();
    private final int targetPort;
    private final Set<Socket> open = new HashSet<>(); // guards itself and down
    private boolean down;
    private final AtomicInteger answersToLose = new AtomicInteger(); // below 0 once lost
    private final AtomicInteger connections = new AtomicInteger();

    CuttableProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        listener.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /**
     * Starts an outage: drops every connection open now and refuses new ones until {@link #restore()}, so a test
     * can act while the client is certainly disconnected.
     */
    void cut() {
        synchronized (open) { // with accept(): no connection slips through half-registered
            down = true;
            for (Socket socket : open) {
                closeQuietly(socket);
            }
            open.clear();
        }
    }

    /** Ends the outage: new connections are forwarded again. */
    void restore() {
        synchronized (open) {
            down = false;
        }
    }

    /** Loses the answers of the next {@code count} connections (until then, it forwards everything). */
    void loseNext(int count) {
        answersToLose.set(count);
    }

    /** Connections the proxy has forwarded, each carrying at least one request. */
    int connections() {
        return connections.get();
    }

    /** Answers not yet lost of those it was told to lose. */
    int answersStillToLose() {
        return Math.max(0, answersToLose.get());
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                synchronized (open) {
                    if (down) {
                        closeQuietly(client); // the client sees the connection fail, as in a real outage
                        continue;
                    }
                    Socket server = new Socket("127.0.0.1", targetPort);
                    open.add(client);
                    open.add(server);
                    connections.incrementAndGet();
                    pump(client, server, false);
                    pump(server, client, true);
                }
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Copies one direction; for answers, loses a connection's first bytes while answers are to be lost. */
    private void pump(Socket from, Socket to, boolean answers) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            boolean first = true;
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (answers && first && answersToLose.getAndDecrement() > 0) {
                        return; // the server answered: the client never hears it
                    }
                    first = false;
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed: close both
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all we want
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cut();
    }
}
