package chat.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Web origins as a browser sends them in {@code Origin} (RFC 6454): {@code scheme://host[:port]}, nothing more.
 * Parsed strictly, so that a setting with a path or a wildcard in it is refused at start rather than matching no
 * request (a browser never sends a path) or every one.
 */
public final class WebOrigins {
    private WebOrigins() {
    }

    /** {@code ORIGIN[,ORIGIN...]}, or none for empty text; each in the form a browser sends (lower case). */
    public static List<String> parseList(String text) {
        List<String> origins = new ArrayList<>();
        if (text.isBlank()) {
            return origins;
        }
        for (String part : text.split(",", -1)) {
            origins.add(parse(part.trim()));
        }
        return List.copyOf(origins);
    }

    private static String parse(String origin) {
        String problem = "cors origins must be ORIGIN[,ORIGIN...], each http:// or https:// and a host, with an "
                + "optional port and nothing after it (https://chat.example.org:8443), got '" + origin + "'";
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(problem);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null
                || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(problem);
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}
