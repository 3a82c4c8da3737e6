package chat.server;

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
 * HTTP/1.1 on a plain socket, for what ordinary clients hide: a request sent and then abandoned, an interim
 * {@code 100 Continue}, heads larger than a client would send. Every read has a timeout, so a test never hangs.
 */
final class RawHttp implements AutoCloseable {
    /** One response: status line, headers (names in lower case), body. */
    record Response(int status, String statusLine, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return statusLine + " " + headers + " " + body;
        }
    }

    private final Socket socket = new Socket();
    private final InputStream in;
    private final OutputStream out;
    private final String host;

    RawHttp(String baseUrl) throws IOException {
        URI uri = URI.create(baseUrl);
        socket.setSoTimeout(20_000);
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.host = uri.getHost() + ":" + uri.getPort();
    }

    /** "POST /path HTTP/1.1" with Host, Content-Length and any extra header lines ("Name: value\r\n" each). */
    static String head(String method, String target, String host, int contentLength, String extraHeaders) {
        return method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n"
                + (contentLength >= 0 ? "Content-Length: " + contentLength + "\r\n" : "") + extraHeaders + "\r\n";
    }

    String host() {
        return host;
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** A whole logon request, body included. */
    void sendLogon(String username, String password) throws IOException {
        String body = "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
        send(head("POST", "/logon", host, body.getBytes(StandardCharsets.UTF_8).length, "") + body);
    }

    /** True when some of the answer has arrived (a read would not block). */
    boolean hasInput() throws IOException {
        return in.available() > 0;
    }

    /** Reads one response: its head, then a body of its Content-Length. */
    Response read() throws IOException {
        String head = readHead();
        String[] lines = head.split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        String length = headers.get("content-length");
        String body = length == null ? "" : new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
        return new Response(status, lines[0], headers, body);
    }

    /** The response's head up to the blank line, without it; throws if the connection ends first. */
    String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection ended after: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }

    /** True when the server closed the connection: a read meets its end (or a reset) before the timeout. */
    boolean closedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException reset) {
            return !(reset instanceof java.net.SocketTimeoutException);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
