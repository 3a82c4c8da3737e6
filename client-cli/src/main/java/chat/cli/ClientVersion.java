package chat.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What {@code chat --version} prints: the client's version and the commit it was built from, from
 * chat/cli/build.properties, which Maven's resource filtering fills in (run.sh passes the commit). Read only when
 * asked, so no other command pays for it. Its own path, not the server's chat/build.properties, since the tests have
 * both on one class path.
 */
final class ClientVersion implements IVersionProvider {
    private static final String RESOURCE = "/chat/cli/build.properties";

    @Override
    public String[] getVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = ClientVersion.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        }
        return new String[] {"chat-cli " + known(properties.getProperty("version"))
                + " (commit " + known(properties.getProperty("commit")) + ")"};
    }

    /** An unfilled placeholder (a build that did not filter) is as good as nothing. */
    private static String known(String value) {
        return value == null || value.isBlank() || value.startsWith("${") ? "unknown" : value.trim();
    }
}
