package chat.cli;

import java.util.List;

/**
 * What a line typed in join does: text is posted to the current channel ({@code //text} posts {@code /text}), and
 * a line starting with a slash is a command. An unknown command is said to be one, not taken for a message.
 */
final class SessionCommands {
    private final InteractiveSession session;

    SessionCommands(InteractiveSession session) {
        this.session = session;
    }

    /** Acts on one typed line; false to end the session. */
    boolean handle(String line) {
        if (line.isEmpty()) {
            return true;
        }
        try {
            if (line.startsWith("//")) {
                post(line.substring(1));
            } else if (!line.startsWith("/")) {
                post(line);
            } else {
                return command(line);
            }
        } catch (CliException e) {
            session.notice("error: " + e.getMessage());
        }
        return true;
    }

    private boolean command(String line) {
        String[] words = line.split("\\s+", 2);
        String argument = words.length > 1 ? words[1].strip() : "";
        String name = words[0];
        switch (name) {
            case "/quit", "/exit" -> {
                return false;
            }
            case "/join" -> {
                if (argument.isEmpty()) {
                    session.say("usage: /join NAME");
                } else {
                    session.join(argument);
                    session.say("following " + LineFormat.channelName(argument) + "; typed lines go there");
                }
            }
            case "/leave", "/part" -> leave(argument.isEmpty() ? session.channels().current() : argument);
            case "/switch" -> switchTo(argument);
            case "/who", "/names" -> {
                String channel = argument.isEmpty() ? session.channels().current() : argument;
                if (channel == null) {
                    session.say("usage: /who NAME (or join a channel first)");
                } else {
                    session.who(channel);
                }
            }
            case "/me" -> {
                if (argument.isEmpty()) {
                    session.say("usage: /me ACTION (shown as * " + session.username() + " ACTION)");
                } else {
                    post(Message.ACTION_PREFIX + argument);
                }
            }
            case "/channels" -> {
                StringBuilder names = new StringBuilder("channels:");
                session.client().channels(session.sesskey()).getAsJsonArray()
                        .forEach(channel -> names.append(' ').append(channel.getAsString()));
                session.say(names + "; following: " + String.join(", ", session.channels().followed()));
            }
            case "/create" -> {
                if (argument.isEmpty()) {
                    session.say("usage: /create NAME");
                } else {
                    session.client().create(session.sesskey(), argument);
                    session.say("created " + argument + "; /join " + argument + " to chat there");
                }
            }
            case "/help" -> session.say(InteractiveSession.HELP);
            default -> {
                if (name.matches("/[1-9][0-9]{0,2}")) {
                    switchToNumber(Integer.parseInt(name.substring(1)));
                } else {
                    session.say("unknown command " + name + "; /help lists them (//text posts /text)");
                }
            }
        }
        return true;
    }

    private void post(String text) {
        String channel = session.channels().current();
        if (channel == null) {
            session.say("join a channel first: /join NAME (/channels lists them)");
            return;
        }
        try {
            session.client().post(session.sesskey(), channel, text);
        } catch (CliException e) {
            // The typed line was erased on Enter: say what was not sent, so it can be typed again.
            session.notice("not posted to " + LineFormat.channelName(channel) + " (" + e.getMessage() + "): " + text);
            return;
        }
        session.posted();
    }

    private void leave(String channel) {
        if (channel == null || !session.channels().isFollowed(channel)) {
            session.say("not following " + (channel == null ? "any channel" : LineFormat.channelName(channel)));
            return;
        }
        session.leave(channel);
        String current = session.channels().current();
        session.say("left " + LineFormat.channelName(channel)
                + (current == null ? "; /join NAME to follow one" : "; typed lines go to " + LineFormat.channelName(current)));
    }

    private void switchTo(String channel) {
        if (channel.isEmpty()) {
            session.say("usage: /switch NAME (or /1, /2, ... in the order joined)");
        } else if (!session.channels().isFollowed(channel)) {
            session.say("not following " + LineFormat.channelName(channel) + "; /join " + channel + " to follow it");
        } else {
            session.channels().switchTo(channel);
        }
    }

    private void switchToNumber(int number) {
        List<String> followed = session.channels().followed();
        if (number > followed.size()) {
            session.say("following " + followed.size() + " channel" + (followed.size() == 1 ? "" : "s")
                    + "; /" + number + " is none of them");
        } else {
            session.channels().switchTo(followed.get(number - 1));
        }
    }
}
