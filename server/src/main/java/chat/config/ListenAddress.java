package chat.config;

/**
 * Where a listener binds, written {@code HOST:PORT} ({@code 127.0.0.1:9464}, {@code [::1]:9464}; port 0 picks a
 * free one).
 */
public record ListenAddress(String host, int port) {
    /** Parses {@code HOST:PORT}; throws IllegalArgumentException saying what is wrong. */
    public static ListenAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected HOST:PORT, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("an IPv6 host is written in brackets, [::1]:9464; got '" + text + "'");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the port must be a number, got '" + text.substring(colon + 1) + "'");
        }
        if (host.isBlank() || port < 0 || port > 65535) {
            throw new IllegalArgumentException("expected HOST:PORT with a port of 0 to 65535, got '" + text + "'");
        }
        return new ListenAddress(host, port);
    }
}
