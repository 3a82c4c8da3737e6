package chat.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version and commit the server was built from: chat/build.properties, which Maven's resource filtering fills in
 * (server/pom.xml). "unknown" for what the build did not know.
 */
public record BuildInfo(String version, String commit) {
    private static final String RESOURCE = "/chat/build.properties";

    public static BuildInfo read() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BuildInfo(known(properties.getProperty("version")), known(properties.getProperty("commit")));
    }

    /** An unfilled placeholder (a build that did not filter) is as good as nothing. */
    private static String known(String value) {
        return value == null || value.isBlank() || value.startsWith("${") ? "unknown" : value.trim();
    }
}
