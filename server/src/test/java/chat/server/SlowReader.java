package chat.server;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * A WebSocket client that subscribes and then stops reading, with a tiny receive buffer: what a stalled phone on a
 * bad network looks like to the server. Written on a plain socket because ordinary clients always read.
 */
final class SlowReader implements AutoCloseable {
    private final Socket socket = new Socket();
    private final String channel;
    private final long sesskey;
    private final URI server;
    private volatile boolean closedByServer;

    SlowReader(String serverUrl, long sesskey, String channel) {
        this.server = URI.create(serverUrl);
        this.sesskey = sesskey;
        this.channel = channel;
    }

    void subscribeAndStopReading() throws IOException {
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), 5000);
        OutputStream out = socket.getOutputStream();
        String key = Base64.getEncoder().encodeToString("slow-reader-key!".getBytes(StandardCharsets.US_ASCII));
        out.write(("GET /ws HTTP/1.1\r\nHost: " + server.getHost() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\nX-Session-Key: " + sesskey
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake: " + head);
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake refused: " + head);
        }
        byte[] frame = ("{\"id\":1,\"call\":\"subscribe\",\"body\":{\"channel\":\"" + channel + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] mask = {1, 2, 3, 4};
        out.write(0x81); // FIN, text
        out.write(0x80 | frame.length); // masked, short length (the frame is under 126 bytes)
        out.write(mask);
        for (int i = 0; i < frame.length; i++) {
            out.write(frame[i] ^ mask[i % 4]);
        }
        out.flush();
        // The answer first: a message posted before the server has taken the subscribe would come as backlog, or
        // behind a gap event once the window has dropped it, and the test would depend on the machine's speed.
        awaitSubscribeAnswer();
        // ...and from now on read nothing until readFrames or awaitClose.
    }

    private void awaitSubscribeAnswer() throws IOException {
        while (true) {
            Frame frame = readFrame();
            if (frame.opcode() == 0x9) {
                continue; // a ping; the server expects no pong from a reader this slow
            }
            String text = frame.opcode() == 0x1 ? frame.text(0) : "a frame of opcode " + frame.opcode();
            JsonObject answer = text.startsWith("{") ? JsonParser.parseString(text).getAsJsonObject() : new JsonObject();
            if (!new JsonPrimitive(1).equals(answer.get("id")) || !new JsonPrimitive(true).equals(answer.get("status"))) {
                throw new IOException("expected the subscribe's successful answer, got " + text);
            }
            return;
        }
    }

    boolean isClosedByServer() {
        return closedByServer;
    }

    /**
     * Starts reading again: reads frames until {@code messages} message events have come, and returns each frame
     * read as "ping" or the message's id. Throws when a frame is not whole, not JSON or not a ping or message event.
     */
    List<String> readFrames(int messages) throws IOException {
        List<String> frames = new ArrayList<>();
        while (messages > 0) {
            Frame frame = readFrame();
            if (frame.opcode() == 0x9) {
                frames.add("ping");
            } else if (frame.opcode() == 0x1) {
                frames.add(messageIdOf(frame.text(0)));
                messages--;
            } else {
                throw new IOException("unexpected opcode " + frame.opcode() + " after " + frames.size() + " frames");
            }
        }
        return frames;
    }

    /** The id of a message event; anything else (an answer, a gap event) fails the test, quoted. */
    private static String messageIdOf(String text) throws IOException {
        JsonObject json = JsonParser.parseString(text).getAsJsonObject();
        JsonObject data = "message".equals(json.has("event") ? json.get("event").getAsString() : null)
                ? json.getAsJsonObject("data") : null;
        if (data == null || !data.has("messageid")) {
            throw new IOException("expected a message event, got " + text);
        }
        return data.get("messageid").getAsString();
    }

    /** Reads everything queued until the close frame; returns "CODE reason". */
    String awaitClose() throws IOException {
        while (true) {
            Frame frame = readFrame();
            if (frame.opcode() == 0x8) {
                closedByServer = true;
                int code = ((frame.payload()[0] & 0xFF) << 8) | (frame.payload()[1] & 0xFF);
                return code + " " + frame.text(2);
            }
        }
    }

    private record Frame(int opcode, byte[] payload) {
        String text(int from) {
            return new String(payload, from, payload.length - from, StandardCharsets.UTF_8);
        }
    }

    /** One whole frame as a server sends it (FIN set, unmasked); throws on anything else. */
    private Frame readFrame() throws IOException {
        socket.setSoTimeout(20_000);
        DataInputStream in = new DataInputStream(socket.getInputStream()); // unbuffered: nothing read ahead is lost
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        if ((first & 0x80) == 0 || (second & 0x80) != 0 || length > 1 << 20) {
            throw new IOException("not a whole, unmasked frame: " + first + " " + second + " " + length);
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(first & 0x0F, payload);
    }

    /**
     * Sends {@code count} pings of 125 bytes and reads none of the pongs; returns how many were sent before the
     * server cut the connection off (an IOException while writing), or {@code count}.
     */
    int floodPings(int count) {
        byte[] ping = new byte[2 + 4 + 125];
        ping[0] = (byte) 0x89; // FIN, ping
        ping[1] = (byte) (0x80 | 125); // masked, 125 bytes (the most a control frame may carry)
        byte[] batch = new byte[ping.length * 100];
        for (int i = 0; i < 100; i++) {
            System.arraycopy(ping, 0, batch, i * ping.length, ping.length);
        }
        int sent = 0;
        try {
            OutputStream out = socket.getOutputStream();
            while (sent < count) {
                out.write(batch);
                sent += 100;
            }
            out.flush();
        } catch (IOException cutOff) {
            return sent;
        }
        return sent;
    }

    /** Vanishes the way a phone that loses its network does to the server: a reset, with no close frame. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
