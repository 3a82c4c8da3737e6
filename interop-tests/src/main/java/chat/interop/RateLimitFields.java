package chat.interop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code RateLimit-Policy} and {@code RateLimit} header fields of draft-ietf-httpapi-ratelimit-headers-10, read
 * as far as the suite needs: each is a structured-field list (RFC 9651) of members {@code "name";key=value;...},
 * the name a string (or a token), the values integers. Lenient on purpose: a field it cannot read is simply not the
 * one the spec asks for, which the case then says.
 */
final class RateLimitFields {
    /** One list member: the policy's name and its parameters, e.g. {@code "failed-logons";q=20;w=1200}. */
    record Member(String name, Map<String, String> parameters) {
        /** The parameter as a non-negative integer, or -1 when it is absent or not one. */
        long integer(String key) {
            String value = parameters.get(key);
            return value != null && value.matches("[0-9]{1,15}") ? Long.parseLong(value) : -1;
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("\"" + name + "\"");
            parameters.forEach((key, value) -> text.append(';').append(key).append('=').append(value));
            return text.toString();
        }
    }

    /** The limit that refused a call: its {@code RateLimit-Policy} member and its {@code RateLimit} member. */
    record Refusing(Member policy, Member limit) {
    }

    private RateLimitFields() {
    }

    /** The members of a field's value; none for a missing field. */
    static List<Member> members(String field) {
        List<Member> members = new ArrayList<>();
        if (field == null) {
            return members;
        }
        for (String member : splitOutsideQuotes(field, ',')) {
            List<String> parts = splitOutsideQuotes(member, ';');
            String name = parts.get(0).strip();
            if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                name = name.substring(1, name.length() - 1);
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            for (String parameter : parts.subList(1, parts.size())) {
                int equals = parameter.indexOf('=');
                // A parameter without a value is the boolean true in structured fields, written ?1.
                parameters.put((equals < 0 ? parameter : parameter.substring(0, equals)).strip(),
                        equals < 0 ? "?1" : parameter.substring(equals + 1).strip());
            }
            if (!name.isEmpty()) {
                members.add(new Member(name, parameters));
            }
        }
        return members;
    }

    /**
     * The limit a refusal names: the {@code RateLimit} member with nothing remaining ({@code r=0}) and the
     * {@code RateLimit-Policy} member of the same name, or null when the answer does not carry both.
     */
    static Refusing refusingLimit(Answer refusal) {
        List<Member> policies = members(refusal.header("RateLimit-Policy"));
        for (Member limit : members(refusal.header("RateLimit"))) {
            if (limit.integer("r") == 0) {
                for (Member policy : policies) {
                    if (policy.name().equals(limit.name())) {
                        return new Refusing(policy, limit);
                    }
                }
            }
        }
        return null;
    }

    private static List<String> splitOutsideQuotes(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quoted && i + 1 < text.length()) {
                part.append(c).append(text.charAt(++i)); // an escaped quote or backslash inside a string
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return parts;
    }
}
