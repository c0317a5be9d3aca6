package dev.herald.subscriptions.control;

import dev.herald.platform.boundary.InvalidField;
import dev.herald.platform.control.Text;
import dev.herald.subscriptions.entity.Channel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The channels the operator declared in herald.channels ("news=News,offers=Offers and sales"),
 * read once at deployment (a malformed setting stops it, naming the entry), and the one check of a
 * channel list that a request names.
 */
@ApplicationScoped
public class Channels {

    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    static final int MAX_PER_SUBSCRIPTION = 32;

    @Inject
    @ConfigProperty(name = "herald.channels")
    Optional<String> setting;

    final Map<String, Channel> declared = new LinkedHashMap<>();

    /** Created at deployment (TomEE; DeploymentCreationTest), where a malformed setting stops the deployment. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        declared.putAll(parse(setting.orElse("")));
    }

    public static Channels of(String setting) {
        var channels = new Channels();
        channels.declared.putAll(parse(setting));
        return channels;
    }

    static Map<String, Channel> parse(String setting) {
        var channels = new LinkedHashMap<String, Channel>();
        for (String entry : setting.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            String id = (equals < 0 ? entry : entry.substring(0, equals)).trim();
            String label = equals < 0 ? "" : entry.substring(equals + 1).trim();
            if (!ID.matcher(id).matches() || label.isEmpty()) {
                throw new IllegalStateException("herald.channels: '" + entry.trim() + "' is not id=Label, with an id of 1 to 32 of "
                        + "a-z 0-9 - (starting with a letter or digit) and a label, as in news=News,offers=Offers and sales");
            }
            if (channels.put(id, new Channel(id, label)) != null) {
                throw new IllegalStateException("herald.channels declares the channel '" + id + "' twice");
            }
        }
        return channels;
    }

    public List<Channel> all() {
        return List.copyOf(declared.values());
    }

    /**
     * The channel ids of a request's field, checked: an array of at most 32 distinct declared ids (may be
     * empty for "none"; a notify target refuses empty itself). The field is a top-level body member: its pointer is /field.
     */
    public List<String> check(String field, JsonValue value, int most) {
        if (!(value instanceof JsonArray array)) {
            throw new InvalidField("/" + field, field + " must be an array of channel ids, not " + value.getValueType().name().toLowerCase() + ".");
        }
        if (array.size() > most) {
            throw new InvalidField("/" + field, field + " holds " + array.size() + " entries; at most " + most + ".");
        }
        var ids = new LinkedHashSet<String>();
        for (int i = 0; i < array.size(); i++) {
            JsonValue item = array.get(i);
            String pointer = "/" + field + "/" + i;
            if (!(item instanceof JsonString text) || !ID.matcher(text.getString()).matches()) {
                throw new InvalidField(pointer, field + " must hold channel ids (1 to 32 of a-z 0-9 -); "
                        + Text.abbreviate(String.valueOf(item)) + " is not one.");
            }
            if (!declared.containsKey(text.getString())) {
                throw new InvalidField(pointer, field + ": there is no channel '" + text.getString() + "'; declared: "
                        + (declared.isEmpty() ? "none (herald.channels is unset)" : String.join(", ", declared.keySet())) + ".");
            }
            if (!ids.add(text.getString())) {
                throw new InvalidField(pointer, field + " names the channel '" + text.getString() + "' twice.");
            }
        }
        return new ArrayList<>(ids);
    }

    /** A subscription's channels: at most 32. */
    public List<String> checkSubscription(JsonValue value) {
        return check("channels", value, MAX_PER_SUBSCRIPTION);
    }
}
