package chat.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where Redis is, from the URL form its users know: {@code redis://[[user]:password@]host[:port][/db]}.
 * The password is kept out of {@link #toString()}, so the address can be logged.
 */
public record RedisAddress(String host, int port, int database, String user, String password) {
    public static final int DEFAULT_PORT = 6379;

    /** Parses a redis:// URL; throws IllegalArgumentException with the reason when it is not one. */
    public static RedisAddress parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + url);
        }
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("expected redis://host[:port][/db], got " + safe(url));
        }
        int database = 0;
        String path = uri.getPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the database after the / must be a number, got " + safe(url));
            }
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = parts[0].isEmpty() ? null : decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        return new RedisAddress(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), database, user, password);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static String safe(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }

    @Override
    public String toString() {
        return "redis://" + (password != null ? "***@" : "") + host + ":" + port + "/" + database;
    }
}
