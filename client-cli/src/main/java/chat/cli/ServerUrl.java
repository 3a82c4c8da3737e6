package chat.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's URL as {@code --server} or {@code CHAT_SERVER} gives it, checked and normalised: the scheme and host
 * lower-case, the default port (80 for http, 443 for https) dropped, no trailing slash; {@code localhost:8080}
 * means {@code http://localhost:8080}. The normal form is what sessions are stored under, so two spellings of one
 * server find one session.
 *
 * <p>Different hosts stay different even when they may be the same machine ({@code localhost} and
 * {@code 127.0.0.1}): {@code localhost} may resolve to {@code ::1}, where another server can listen, and a session key
 * must never be sent to a server that did not issue it.
 *
 * <p>Plain {@link URI} rather than OkHttp's HttpUrl: it is checked on every start, {@code --version} and
 * {@code --help} included, and the JDK's class is loaded already while OkHttp's (and Kotlin's) are not.
 */
record ServerUrl(String text) {
    static final String EXPECTED = "expected http://HOST[:PORT] or https://HOST[:PORT], or HOST:PORT for http";
    private static final Pattern HAS_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*", Pattern.DOTALL);
    /** A scheme without its {@code //} ({@code http:/host}): not a host named "http" with a port missing. */
    private static final Pattern SCHEME_WITHOUT_SLASHES = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:(?![0-9]).*",
            Pattern.DOTALL);
    /**
     * A host name java.net.URI takes for a registry name rather than a host: with an underscore (a container's service
     * name, {@code chat_server}), which resolvers accept though RFC 952 does not.
     */
    private static final Pattern LOOSE_AUTHORITY = Pattern.compile("([A-Za-z0-9._-]+)(?::([0-9]{1,5}))?");

    /** Parses what the user wrote; {@link IllegalArgumentException} saying what is wrong and what is expected. */
    static ServerUrl parse(String written) {
        String trimmed = written.strip();
        if (trimmed.isEmpty()) {
            throw invalid(written, "it is empty");
        }
        if (trimmed.endsWith("://")) {
            throw invalid(written, "there is no host");
        }
        if (!HAS_SCHEME.matcher(trimmed).matches() && SCHEME_WITHOUT_SLASHES.matcher(trimmed).matches()) {
            throw invalid(written, "a scheme is followed by //");
        }
        URI uri;
        try {
            uri = new URI(HAS_SCHEME.matcher(trimmed).matches() ? trimmed : "http://" + trimmed);
        } catch (URISyntaxException e) {
            throw invalid(written, e.getReason().toLowerCase(Locale.ROOT) + " at index " + e.getIndex());
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid(written, "the scheme is " + scheme);
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid(written, "a server URL has no user, query or fragment");
        }
        String host = uri.getHost();
        int port = uri.getPort();
        if (host == null) {
            String authority = uri.getRawAuthority();
            Matcher loose = authority == null ? null : LOOSE_AUTHORITY.matcher(authority);
            if (loose == null || !loose.matches()) {
                throw invalid(written, authority == null || authority.startsWith(":") ? "there is no host"
                        : "the host is not a host name or address");
            }
            host = loose.group(1);
            port = loose.group(2) == null ? -1 : Integer.parseInt(loose.group(2));
        }
        if (port == 0 || port > 65535) {
            throw invalid(written, "port " + port + " is out of range (1-65535)");
        }
        boolean defaultPort = port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        return new ServerUrl(scheme + "://" + host.toLowerCase(Locale.ROOT)
                + (defaultPort ? "" : ":" + port) + path);
    }

    /**
     * The key a session for {@code server} is stored under: its normal form, or the text as it is when it does not
     * parse (an entry written by hand), so that reading a session file never fails on one bad entry.
     */
    static String sessionKey(String server) {
        try {
            return parse(server).text();
        } catch (IllegalArgumentException e) {
            return server;
        }
    }

    private static IllegalArgumentException invalid(String written, String why) {
        return new IllegalArgumentException("'" + written + "' is not a server URL (from --server or CHAT_SERVER): " + why
                + "; " + EXPECTED);
    }

    @Override
    public String toString() {
        return text;
    }
}
