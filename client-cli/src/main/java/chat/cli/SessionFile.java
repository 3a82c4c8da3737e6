package chat.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The session keys the user holds, one per server, in {@code sessions.json} in the config directory. The key is a
 * credential, so the file is created readable by its owner only (0600) and replaced atomically.
 *
 * <p>Servers are named by their normal URL ({@link ServerUrl}), so {@code HTTP://Host:80/} and {@code http://host}
 * find one session. A file written before that, by exact spelling, is normalised as it is read (and so written back
 * normalised by the next logon or logoff); where two spellings meet, the one already in normal form wins.
 */
public final class SessionFile {
    /** A stored session: who logged on, and the key. */
    public record Session(String username, long sesskey) {
    }

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private final Path file;

    public SessionFile(Path configDir) {
        this.file = configDir.resolve("sessions.json");
    }

    public Path path() {
        return file;
    }

    /**
     * The session stored for this server; exit code 1 "log on first" when there is none, naming the servers that
     * have one (a session for another spelling of the same machine, localhost for 127.0.0.1, is not used: see
     * {@link ServerUrl}).
     */
    public Session require(String server) {
        JsonObject all = read();
        String key = ServerUrl.sessionKey(server);
        JsonObject entry = all.getAsJsonObject(key);
        if (entry == null) {
            String others = all.keySet().isEmpty() ? ""
                    : " (you have sessions for " + String.join(", ", all.keySet()) + "; --server chooses)";
            throw new CliException(ExitCode.REFUSED, "not logged on to " + key + "; log on first: chat logon USER"
                    + others, ErrorCodes.NOT_LOGGED_ON);
        }
        return new Session(entry.get("username").getAsString(), entry.get("sesskey").getAsLong());
    }

    public void store(String server, Session session) {
        JsonObject all = read();
        JsonObject entry = new JsonObject();
        entry.addProperty("username", session.username());
        entry.addProperty("sesskey", session.sesskey());
        all.add(ServerUrl.sessionKey(server), entry);
        write(all);
    }

    public void forget(String server) {
        JsonObject all = read();
        if (all.remove(ServerUrl.sessionKey(server)) != null) {
            write(all);
        }
    }

    private JsonObject read() {
        if (!Files.exists(file)) {
            return new JsonObject();
        }
        try {
            return normalised(JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject());
        } catch (IOException | RuntimeException e) {
            throw new CliException(ExitCode.REFUSED, "cannot read " + file + " (" + e.getMessage()
                    + "); delete it and log on again");
        }
    }

    /** The entries under their servers' normal URLs; an entry already so named wins over another spelling. */
    private static JsonObject normalised(JsonObject stored) {
        JsonObject all = new JsonObject();
        stored.entrySet().forEach(entry -> {
            String key = ServerUrl.sessionKey(entry.getKey());
            if (key.equals(entry.getKey()) || !all.has(key)) {
                all.add(key, entry.getValue());
            }
        });
        return all;
    }

    private void write(JsonObject all) {
        try {
            Files.createDirectories(file.getParent(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path temporary = Files.createTempFile(file.getParent(), "sessions", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, GSON.toJson(all), StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliException(ExitCode.REFUSED, "cannot write " + file + ": " + e.getMessage());
        }
    }
}
