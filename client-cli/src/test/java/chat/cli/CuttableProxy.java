package chat.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;

/** A TCP proxy in front of the server whose connections a test can cut for a while, as a network outage would. */
final class CuttableProxy implements AutoCloseable {
    private final ServerSocket listener = new ServerSocket();
    private final int targetPort;
    private final Set<Socket> open = new HashSet<>(); // guards itself and down
    private boolean down;

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
                    pump(client, server);
                    pump(server, client);
                }
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed: close both
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
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
