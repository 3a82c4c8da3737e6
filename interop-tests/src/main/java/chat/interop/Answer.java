package chat.interop;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import java.util.Locale;
import java.util.Map;

/**
 * What the server answered to one request: the HTTP status, its headers, the body as text, and that body parsed
 * as JSON when it is JSON. Accessors that expect the protocol's envelope throw {@link CaseFailed} when it is not.
 *
 * @param headers every header by its lower-case name; a header sent several times is its values joined with ", ",
 *                as HTTP allows for list-valued fields (RFC 9110, section 5.3)
 */
public record Answer(int httpStatus, String contentType, String allow, String body, Map<String, String> headers) {

    /** The header of this name (any case), or null when the answer has none. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The body parsed as JSON, or null when it is not JSON. */
    public JsonElement json() {
        try {
            return JsonParser.parseString(body);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** True when the body is the envelope: an object with a boolean status and a data field. */
    public boolean isEnvelope() {
        JsonElement json = json();
        if (json == null || !json.isJsonObject()) {
            return false;
        }
        JsonObject object = json.getAsJsonObject();
        JsonElement status = object.get("status");
        return status != null && status.isJsonPrimitive() && status.getAsJsonPrimitive().isBoolean()
                && object.has("data");
    }

    /** True when this is a failure envelope whose data is a non-empty string. */
    public boolean isFailureEnvelope() {
        if (!isEnvelope() || status()) {
            return false;
        }
        JsonElement data = envelope().get("data");
        return data.isJsonPrimitive() && data.getAsJsonPrimitive().isString() && !data.getAsString().isBlank();
    }

    public JsonObject envelope() {
        if (!isEnvelope()) {
            throw new CaseFailed("the answer is not the envelope {\"status\": true|false, \"data\": ...}");
        }
        return json().getAsJsonObject();
    }

    public boolean status() {
        return envelope().get("status").getAsBoolean();
    }

    public JsonElement data() {
        return envelope().get("data");
    }

    /** The failure's "error" code, or null when there is none or it is not a string. */
    public String error() {
        JsonElement error = isEnvelope() ? envelope().get("error") : null;
        return error != null && error.isJsonPrimitive() && error.getAsJsonPrimitive().isString()
                ? error.getAsString() : null;
    }

    /** The data of a success; fails the case when the call failed. */
    public JsonElement success() {
        if (!status()) {
            throw new CaseFailed("the call failed: " + data());
        }
        return data();
    }

    /** The data as an integer literal exactly as written, e.g. to tell 5 from 5.0 or "5". */
    public String dataLiteral() {
        JsonElement data = data();
        if (!data.isJsonPrimitive() || !((JsonPrimitive) data).isNumber()) {
            return null;
        }
        String text = body.strip();
        // The parsed number loses its spelling; find it in the text after "data":
        int at = text.indexOf("\"data\"");
        if (at < 0) {
            return null;
        }
        int start = text.indexOf(':', at) + 1;
        while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        int end = start;
        while (end < text.length() && "+-0123456789.eE".indexOf(text.charAt(end)) >= 0) {
            end++;
        }
        return text.substring(start, end);
    }
}
