package chat.interop;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/**
 * A second client for the cases that need two (spec http/19: the right password from another address still logs
 * on; ws/13: a client whose calls are rate limited). When the server is on IPv4 loopback, connections bound to
 * 127.0.0.2 reach it from another address than the suite's own 127.0.0.1, and one that loopback exemptions (ours:
 * --client-limit-exempt) do not cover. Anywhere else the suite has no second address, and such a case skips.
 */
final class SecondAddress {
    private static final InetAddress ADDRESS = literal(new byte[] {127, 0, 0, 2});

    private SecondAddress() {
    }

    /** A wire to the same server from 127.0.0.2; skips the case when the server is not reachable that way. */
    static Wire wire(Wire first) {
        InetAddress server;
        try {
            server = InetAddress.getByName(URI.create(first.baseUrl()).getHost());
        } catch (IOException e) {
            throw new CaseSkipped("cannot resolve the server's host: " + e.getMessage());
        }
        if (!(server instanceof Inet4Address) || !server.isLoopbackAddress()) {
            throw new CaseSkipped("the server is not on IPv4 loopback (" + server.getHostAddress() + "), so the suite "
                    + "has no second client address to call it from");
        }
        try (Socket probe = new Socket()) {
            probe.bind(new InetSocketAddress(ADDRESS, 0));
        } catch (IOException e) {
            throw new CaseSkipped("this machine cannot bind 127.0.0.2 (only Linux routes all of 127/8 to loopback by "
                    + "default): " + e.getMessage());
        }
        return first.withSockets(new BoundSockets(ADDRESS));
    }

    private static InetAddress literal(byte[] address) {
        try {
            return InetAddress.getByAddress(address);
        } catch (IOException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    /** Sockets bound to one local address before they connect: what OkHttp's createSocket() then connects. */
    private static final class BoundSockets extends SocketFactory {
        private final InetAddress local;

        BoundSockets(InetAddress local) {
            this.local = local;
        }

        @Override
        public Socket createSocket() throws IOException {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(local, 0));
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return new Socket(host, port, localHost, localPort);
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress localHost, int localPort)
                throws IOException {
            return new Socket(host, port, localHost, localPort);
        }

        private Socket connected(InetSocketAddress server) throws IOException {
            Socket socket = createSocket();
            socket.connect(server);
            return socket;
        }
    }
}
