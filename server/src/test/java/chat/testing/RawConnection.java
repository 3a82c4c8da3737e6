package chat.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One TCP connection to the server from a chosen loopback source address (127.0.0.2 is another client than
 * 127.0.0.1; Linux routes all of 127/8 to lo), speaking HTTP/1.1 by hand: for tests that need a connection to stay
 * idle, a body to trickle, or a handshake kept open without a WebSocket library.
 */
public final class RawConnection implements AutoCloseable {
    /** One HTTP answer: its status, its headers as received, and its body (as JSON when it is JSON). */
    public record Answer(int status, String head, String body) {
        public JsonObject json() {
            return JsonParser.parseString(body).getAsJsonObject();
        }

        /** A header of the answer, or null: {@code header("Retry-After")}. */
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }

        /** The envelope's error code, or null. */
        public String error() {
            JsonObject json = json();
            return json.has("error") ? json.get("error").getAsString() : null;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final Socket socket;
    private final InputStream in;

    /** Connects from {@code source} (e.g. "127.0.0.2") to the server's port on 127.0.0.1; reads time out at 10 s. */
    public RawConnection(String source, int port) {
        try {
            socket = new Socket();
            socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RawConnection send(String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POST a JSON body to path on this connection (kept alive), and its answer. */
    public Answer post(String path, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return send("POST " + path + " HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n" + json).answer();
    }

    /** GET path on this connection (kept alive) and its answer. */
    public Answer get(String path) {
        return send("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n").answer();
    }

    /**
     * The next answer: head, then a body of its Content-Length (none for 101). Fails if the connection ends
     * before a whole answer.
     */
    public Answer answer() {
        String head = readHead();
        int status = Integer.parseInt(head.substring(9, 12));
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        byte[] body = new byte[status == 101 ? 0 : length];
        try {
            int read = 0;
            while (read < body.length) {
                int n = in.read(body, read, body.length - read);
                if (n < 0) {
                    throw new AssertionError("the connection ended inside the body of: " + head);
                }
                read += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Answer(status, head, new String(body, StandardCharsets.UTF_8));
    }

    private String readHead() {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new AssertionError("the connection ended before an answer; got: " + head);
                }
                head.write(b);
                byte[] bytes = head.toByteArray();
                int n = bytes.length;
                if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
                    return head.toString(StandardCharsets.ISO_8859_1);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the server has closed the connection: reads to its end (within the read timeout). */
    public boolean closedByServer() {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketException reset) {
            return true; // a reset is a close too
        } catch (IOException timedOut) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }
}
