package chat.interop;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket client on a plain socket that subscribes and then stops reading, with a tiny receive buffer: how a
 * stalled client looks to the server. Ordinary WebSocket clients always read, so ws/9 needs this.
 */
final class StalledSocket implements AutoCloseable {
    private final Socket socket = new Socket();

    /** A frame from the server: its opcode (1 text, 8 close, ...) and payload. */
    private record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /**
     * Connects with the key, subscribes to the channel, waits for the subscription's answer (so that every post
     * from now on is pushed to this socket), and reads nothing more.
     */
    StalledSocket(String baseUrl, long sesskey, String channel) throws IOException {
        URI server = URI.create(baseUrl);
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), 5000);
        socket.setSoTimeout(20_000);
        OutputStream out = socket.getOutputStream();
        String key = Base64.getEncoder().encodeToString("stalled-client!!".getBytes(StandardCharsets.US_ASCII));
        out.write(("GET /ws HTTP/1.1\r\nHost: " + server.getHost() + ":" + server.getPort() + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + "X-Session-Key: " + sesskey + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed during the handshake: " + head);
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake refused: " + head.toString().lines().findFirst().orElse(""));
        }
        byte[] frame = ("{\"id\":1,\"call\":\"subscribe\",\"body\":{\"channel\":" + new com.google.gson.Gson().toJson(channel)
                + "}}").getBytes(StandardCharsets.UTF_8);
        if (frame.length > 125) {
            throw new IOException("channel name too long for this small client");
        }
        byte[] mask = {7, 3, 5, 1};
        out.write(0x81); // FIN, text
        out.write(0x80 | frame.length); // masked, 7-bit length
        out.write(mask);
        for (int i = 0; i < frame.length; i++) {
            out.write(frame[i] ^ mask[i % 4]);
        }
        out.flush();
        // The channel is empty, so the answer is the first frame (ws/4: the answer, then kept messages).
        Frame answer = readFrame(new DataInputStream(in));
        JsonElement json = answer.opcode() == 0x1 ? parsedOrNull(answer.text()) : null;
        if (!(json instanceof JsonObject object && WireSocket.isAnswerTo(object, 1)
                && new JsonPrimitive(true).equals(object.get("status")))) {
            throw new IOException("subscribe should be answered {\"id\": 1, \"status\": true, ...}, got opcode "
                    + answer.opcode() + " " + answer.text());
        }
    }

    private static JsonElement parsedOrNull(String text) {
        try {
            return JsonParser.parseString(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Frame readFrame(DataInputStream in) throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        return new Frame(first & 0x0F, in.readNBytes((int) length));
    }

    /**
     * Reads everything queued until the server's close frame; returns "CODE reason", or what happened instead
     * (the connection ended, or nothing came for the read timeout).
     */
    String readUntilClose() throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int frames = 0;
        try {
            while (true) {
                Frame frame = readFrame(in);
                frames++;
                if (frame.opcode() == 0x8) {
                    byte[] payload = frame.payload();
                    int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                    String reason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                    return code + " " + reason;
                }
            }
        } catch (java.io.EOFException e) {
            return "no close frame: the connection ended after " + frames + " frames";
        } catch (java.net.SocketException e) {
            return "no close frame: the connection was reset after " + frames + " frames";
        } catch (java.net.SocketTimeoutException e) {
            return "no close frame: nothing came for " + socket.getSoTimeout() / 1000 + " s after " + frames
                    + " frames";
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
