package chat.cli;

import com.google.gson.JsonPrimitive;
import picocli.CommandLine.Command;

@Command(name = "logoff", description = "End the session and forget it.")
final class LogoffCommand extends ClientCommand {
    @Override
    int run(ChatClient client) {
        SessionFile.Session session = session(client);
        try {
            client.logoff(session.sesskey());
        } catch (CliException e) {
            if (!ErrorCodes.INVALID_SESSION.equals(e.errorCode())) {
                throw e;
            }
            // The server ended it already (expiry): forgetting it is all that is left to do.
        }
        sessions().forget(client.server());
        return print("logged off " + session.username() + " from " + client.server(), new JsonPrimitive(true));
    }
}
