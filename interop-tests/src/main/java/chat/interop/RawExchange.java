package chat.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 on a plain socket, for what an HTTP client library hides: an interim {@code 100 Continue} read before
 * the body is sent, and heads larger than a library would send. Every read has a timeout.
 */
final class RawExchange implements AutoCloseable {
    /** A response's head (status line and headers, as sent) and its body of Content-Length bytes. */
    record Response(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        Answer answer() {
            Map<String, String> headers = new LinkedHashMap<>();
            String[] lines = head.split("\r\n");
            for (int i = 1; i < lines.length; i++) { // lines[0] is the status line
                String line = lines[i];
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).trim(), (first, next) -> first + ", " + next);
                }
            }
            return new Answer(status, header("Content-Type"), header("Allow"), body, headers);
        }
    }

    private final Socket socket = new Socket();
    private final InputStream in;
    private final OutputStream out;
    final String host;

    RawExchange(String baseUrl, int timeoutMillis) throws IOException {
        URI uri = URI.create(baseUrl);
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        socket.setSoTimeout(timeoutMillis);
        socket.connect(new InetSocketAddress(uri.getHost(), port), timeoutMillis);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.host = uri.getHost() + ":" + port;
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next response's head, up to the blank line (which is left out). */
    String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection ended after " + head.size() + " bytes of a response head");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }

    /** A whole response: its head, then a body of its Content-Length (none without one). */
    Response read() throws IOException {
        String head = readHead();
        int status = Integer.parseInt(head.split(" ", 3)[1]);
        Response headOnly = new Response(status, head, "");
        String length = headOnly.header("Content-Length");
        String body = length == null ? "" : new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
        return new Response(status, head, body);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
