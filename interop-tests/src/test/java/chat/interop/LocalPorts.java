package chat.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Loopback ports for the programs the tests start. */
final class LocalPorts {
    private LocalPorts() {
    }

    /** A port free right now (the OS picks it); programs that cannot take port 0 are given one of these. */
    static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until something accepts connections on the port; false when nothing did in time. */
    static boolean awaitListening(int port, Duration time) throws InterruptedException {
        return Poll.within(time, () -> accepts(port));
    }

    private static boolean accepts(int port) {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
