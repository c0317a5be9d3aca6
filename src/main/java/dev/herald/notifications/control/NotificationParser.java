package dev.herald.notifications.control;

import dev.herald.encryption.control.PayloadEncryption;
import dev.herald.fanout.entity.Plan;
import dev.herald.notifications.entity.Action;
import dev.herald.notifications.entity.Display;
import dev.herald.notifications.entity.Notification;
import dev.herald.notifications.entity.PayloadFormat;
import dev.herald.platform.boundary.InvalidField;
import dev.herald.platform.boundary.PayloadTooLargeException;
import dev.herald.platform.control.Text;
import dev.herald.platform.control.Uuids;
import dev.herald.subscriptions.control.Channels;
import dev.herald.subscriptions.control.UserIds;
import dev.herald.push.entity.PushOptions;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns a notify request into a Notification, or says exactly which rule it breaks. */
public final class NotificationParser {

    static final Set<String> FIELDS = Set.of("title", "body", "url", "icon", "badge", "image", "tag", "actions",
            "require_interaction", "silent", "renotify", "lang", "dir", "badge_count", "data", "ttl", "urgency", "topic", "subscriptions", "channels", "users", "send_at", "local_time", "throttle_per_minute", "dry_run");
    /** The most entries of one target list (subscriptions, channels or users). */
    static final int MAX_TARGETS = 10_000;
    static final Pattern LOCAL_TIME = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");
    static final int MIN_THROTTLE = 60;
    static final int MAX_THROTTLE = 1_000_000;
    static final int MAX_TAG = 256;
    static final int MAX_ACTIONS = 2;
    static final Pattern ACTION_ID = Pattern.compile("[a-z0-9-]{1,32}");
    static final Set<String> ACTION_FIELDS = Set.of("action", "title", "url");
    static final int MAX_ACTION_TITLE = 128;
    static final Set<String> DIRS = Set.of("auto", "ltr", "rtl");
    static final int MAX_BADGE_COUNT = 99_999;
    static final int MAX_DATA_BYTES = 1024;
    /** As long as any job id: the payload's size is checked before the job has its id (the tag defaults to it). */
    public static final String SOME_JOB_ID = "00000000-0000-0000-0000-000000000000";

    private NotificationParser() {
    }

    /** Without declared channels and with the default payload format: for tests of what does not need them. */
    public static Notification parse(JsonObject json) {
        return parse(json, Channels.of(""), PayloadFormat.DEFAULT);
    }

    public static Notification parse(JsonObject json, Channels channels, PayloadFormat format) {
        var unknown = json.keySet().stream().filter(name -> !FIELDS.contains(name)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new InvalidField("/" + unknown.get(0), "Unknown field(s) " + String.join(", ", unknown) + "; allowed: "
                    + String.join(", ", FIELDS.stream().sorted().toList()) + ".");
        }
        String title = string(json, "title");
        if (title == null || title.isBlank()) {
            throw new InvalidField("/title", "title is required: a non-empty string.");
        }
        String tag = string(json, "tag");
        if (tag != null && (tag.isEmpty() || tag.length() > MAX_TAG)) {
            throw new InvalidField("/tag", "tag must be 1 to " + MAX_TAG + " characters long.");
        }
        boolean renotify = flag(json, "renotify");
        if (renotify && tag == null) {
            throw new InvalidField("/renotify", "renotify needs a tag: it alerts again when a notification replaces one with the same tag.");
        }
        var display = new Display(title, string(json, "body"), link(json, "url"), link(json, "icon"), link(json, "badge"),
                link(json, "image"), tag, actions(json), flag(json, "require_interaction"), flag(json, "silent"), renotify,
                lang(json), dir(json), badgeCount(json), data(json));
        var notification = new Notification(display, ttl(json), urgency(json), topic(json), subscriptions(json),
                absent(json, "channels") ? null : nonEmpty("channels", channels.check("channels", json.get("channels"), MAX_TARGETS)),
                users(json), plan(json), dryRun(json));
        int size = DeclarativePayload.forJob(display, SOME_JOB_ID, format).bytes().length;
        if (size > PayloadEncryption.MAX_PLAINTEXT) {
            throw new PayloadTooLargeException("The notification payload is " + size + " bytes of UTF-8 JSON; at most "
                    + PayloadEncryption.MAX_PLAINTEXT + " fit one encrypted push message (RFC 8291, 4096-byte record).");
        }
        return notification;
    }

    static boolean absent(JsonObject json, String name) {
        return !json.containsKey(name) || json.get(name).getValueType() == JsonValue.ValueType.NULL;
    }

    static String string(JsonObject json, String name) {
        return string(json, name, "/" + name);
    }

    /** A member of json, which is at pointer's parent (an action), named in the detail by its name alone. */
    static String string(JsonObject json, String name, String pointer) {
        if (absent(json, name)) {
            return null;
        }
        if (!(json.get(name) instanceof JsonString text)) {
            throw new InvalidField(pointer, name + " must be a string, not " + type(json.get(name)) + ".");
        }
        return text.getString();
    }

    static String link(JsonObject json, String name) {
        String value = string(json, name);
        return value == null ? null : LinkPolicy.check(name, value);
    }

    static List<Action> actions(JsonObject json) {
        if (absent(json, "actions")) {
            return List.of();
        }
        if (!(json.get("actions") instanceof JsonArray array)) {
            throw new InvalidField("/actions", "actions must be an array of at most " + MAX_ACTIONS + " {\"action\", \"title\", \"url\"} objects.");
        }
        if (array.size() > MAX_ACTIONS) {
            throw new InvalidField("/actions", "actions holds " + array.size() + " entries; at most " + MAX_ACTIONS
                    + " (what browsers show).");
        }
        var actions = new ArrayList<Action>();
        var ids = new java.util.HashSet<String>();
        for (int i = 0; i < array.size(); i++) {
            String at = "actions[" + i + "]";
            String pointer = "/actions/" + i;
            if (!(array.get(i) instanceof JsonObject action)) {
                throw new InvalidField(pointer, at + " must be an object with action, title and url.");
            }
            var unknown = action.keySet().stream().filter(name -> !ACTION_FIELDS.contains(name)).sorted().toList();
            if (!unknown.isEmpty()) {
                throw new InvalidField(pointer + "/" + unknown.get(0), at + " has unknown field(s) " + String.join(", ", unknown) + "; allowed: action, title, url.");
            }
            String id = string(action, "action", pointer + "/action");
            if (id == null || !ACTION_ID.matcher(id).matches()) {
                throw new InvalidField(pointer + "/action", at + ".action is required: 1 to 32 of a-z, 0-9 and '-', not "
                        + (id == null ? "missing" : "'" + Text.abbreviate(id) + "'") + ".");
            }
            if (!ids.add(id)) {
                throw new InvalidField(pointer + "/action", at + ".action '" + id + "' is used twice; each action needs its own id.");
            }
            String label = string(action, "title", pointer + "/title");
            if (label == null || label.isBlank() || label.length() > MAX_ACTION_TITLE) {
                throw new InvalidField(pointer + "/title", at + ".title is required: the button's text, 1 to " + MAX_ACTION_TITLE + " characters.");
            }
            String url = string(action, "url", pointer + "/url");
            actions.add(new Action(id, label, url == null ? null : LinkPolicy.check(at + ".url", url)));
        }
        return actions;
    }

    static boolean flag(JsonObject json, String name) {
        if (absent(json, name)) {
            return false;
        }
        if (json.get(name) != JsonValue.TRUE && json.get(name) != JsonValue.FALSE) {
            throw new InvalidField("/" + name, name + " must be true or false, not " + Text.abbreviate(String.valueOf(json.get(name))) + ".");
        }
        return json.get(name) == JsonValue.TRUE;
    }

    /** A well-formed BCP 47 language tag (RFC 5646), as java.util.Locale.Builder checks it. */
    static String lang(JsonObject json) {
        String lang = string(json, "lang");
        if (lang == null) {
            return null;
        }
        try {
            new java.util.Locale.Builder().setLanguageTag(lang);
        } catch (java.util.IllformedLocaleException e) {
            lang = "";
        }
        if (lang.isEmpty()) {
            throw new InvalidField("/lang", "lang must be a BCP 47 language tag such as en, de-CH or zh-Hant-TW, not '"
                    + Text.abbreviate(string(json, "lang")) + "'.");
        }
        return lang;
    }

    static String dir(JsonObject json) {
        String dir = string(json, "dir");
        if (dir != null && !DIRS.contains(dir)) {
            throw new InvalidField("/dir", "dir must be auto, ltr or rtl, not '" + Text.abbreviate(dir) + "'.");
        }
        return dir;
    }

    static Integer badgeCount(JsonObject json) {
        if (absent(json, "badge_count")) {
            return null;
        }
        String rule = "badge_count must be a whole number from 0 to " + MAX_BADGE_COUNT + " (the app badge)";
        if (!(json.get("badge_count") instanceof JsonNumber number) || !number.isIntegral()) {
            throw new InvalidField("/badge_count", rule + ", not " + Text.abbreviate(String.valueOf(json.get("badge_count"))) + ".");
        }
        var value = number.bigIntegerValue();
        if (value.signum() < 0 || value.compareTo(java.math.BigInteger.valueOf(MAX_BADGE_COUNT)) > 0) {
            throw new InvalidField("/badge_count", rule + ", not " + Text.abbreviate(value.toString()) + ".");
        }
        return value.intValue();
    }

    static JsonObject data(JsonObject json) {
        if (absent(json, "data")) {
            return null;
        }
        if (!(json.get("data") instanceof JsonObject data)) {
            throw new InvalidField("/data", "data must be a JSON object (the service worker hands it to the page it opens), not "
                    + type(json.get("data")) + ".");
        }
        int size = data.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (size > MAX_DATA_BYTES) {
            throw new InvalidField("/data", "data is " + size + " bytes of JSON; at most " + MAX_DATA_BYTES + ".");
        }
        return data;
    }

    static long ttl(JsonObject json) {
        if (absent(json, "ttl")) {
            return Notification.DEFAULT_TTL;
        }
        if (!(json.get("ttl") instanceof JsonNumber number) || !number.isIntegral()) {
            throw new InvalidField("/ttl", "ttl must be a whole number of seconds, not " + json.get("ttl") + ".");
        }
        long ttl;
        try {
            ttl = number.longValueExact();
        } catch (ArithmeticException e) {
            ttl = -1;
        }
        if (ttl < 0 || ttl > Notification.DEFAULT_TTL) {
            throw new InvalidField("/ttl", "ttl must be between 0 and " + Notification.DEFAULT_TTL
                    + " seconds (4 weeks), not " + number + ".");
        }
        return ttl;
    }

    static String urgency(JsonObject json) {
        String urgency = string(json, "urgency");
        if (urgency != null && !PushOptions.validUrgency(urgency)) {
            throw new InvalidField("/urgency", "urgency must be one of very-low, low, normal, high (RFC 8030 section 5.3), not '"
                    + Text.abbreviate(urgency) + "'.");
        }
        return urgency;
    }

    static String topic(JsonObject json) {
        String topic = string(json, "topic");
        if (topic != null && !PushOptions.validTopic(topic)) {
            throw new InvalidField("/topic", "topic must be 1 to 32 characters of the base64url alphabet "
                    + "(A-Z a-z 0-9 - _; RFC 8030 section 5.4).");
        }
        return topic;
    }

    static List<String> subscriptions(JsonObject json) {
        if (absent(json, "subscriptions")) {
            return null;
        }
        if (!(json.get("subscriptions") instanceof JsonArray array) || array.isEmpty()) {
            throw new InvalidField("/subscriptions", "subscriptions must be a non-empty array of subscription ids; omit it to notify everyone.");
        }
        if (array.size() > MAX_TARGETS) {
            throw new InvalidField("/subscriptions", "subscriptions holds " + array.size() + " entries; at most " + MAX_TARGETS + " in one notification.");
        }
        var ids = new LinkedHashSet<String>();
        for (int i = 0; i < array.size(); i++) {
            JsonValue value = array.get(i);
            if (!(value instanceof JsonString id) || !Uuids.valid(id.getString())) {
                throw new InvalidField("/subscriptions/" + i, "subscriptions must hold subscription ids (lower-case UUIDs); "
                        + Text.abbreviate(String.valueOf(value)) + " is not one.");
            }
            ids.add(id.getString());
        }
        return List.copyOf(new ArrayList<>(ids));
    }

    /** send_at, local_time and throttle_per_minute; whether send_at is too early or too late is Intake's to say (its clock). */
    static Plan plan(JsonObject json) {
        Instant sendAt = sendAt(json);
        LocalTime localTime = localTime(json);
        if (sendAt != null && localTime != null) {
            throw new InvalidField("/local_time", "send_at and local_time cannot be combined: send_at is one moment for everyone, "
                    + "local_time the next such hour in each subscriber's own zone.");
        }
        return new Plan(sendAt, localTime, throttle(json));
    }

    static Instant sendAt(JsonObject json) {
        String text = string(json, "send_at");
        if (text == null) {
            return null;
        }
        String upper = text.toUpperCase(java.util.Locale.ROOT);
        try {
            return OffsetDateTime.parse(upper, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            try {
                LocalDateTime.parse(upper, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
                throw new InvalidField("/send_at", "send_at '" + Text.abbreviate(text) + "' has no offset: add Z or one such as "
                        + "+01:00 (RFC 3339), for example 2026-12-24T09:00:00+01:00.");
            } catch (DateTimeParseException notLocal) {
                throw new InvalidField("/send_at", "send_at '" + Text.abbreviate(text) + "' is not an RFC 3339 timestamp with an "
                        + "offset, such as 2026-12-24T09:00:00+01:00 or 2026-12-24T08:00:00Z.");
            }
        }
    }

    static LocalTime localTime(JsonObject json) {
        String text = string(json, "local_time");
        if (text == null) {
            return null;
        }
        if (!LOCAL_TIME.matcher(text).matches()) {
            throw new InvalidField("/local_time", "local_time must be HH:MM, 00:00 to 23:59 (the hour in each subscriber's own zone), not '"
                    + Text.abbreviate(text) + "'.");
        }
        return LocalTime.parse(text);
    }

    static int throttle(JsonObject json) {
        if (absent(json, "throttle_per_minute")) {
            return 0;
        }
        String rule = "throttle_per_minute must be a whole number of pushes per minute from " + MIN_THROTTLE + " to " + MAX_THROTTLE;
        if (!(json.get("throttle_per_minute") instanceof JsonNumber number) || !number.isIntegral()) {
            throw new InvalidField("/throttle_per_minute", rule + ", not " + Text.abbreviate(String.valueOf(json.get("throttle_per_minute"))) + ".");
        }
        var value = number.bigIntegerValue();
        if (value.compareTo(java.math.BigInteger.valueOf(MIN_THROTTLE)) < 0 || value.compareTo(java.math.BigInteger.valueOf(MAX_THROTTLE)) > 0) {
            throw new InvalidField("/throttle_per_minute", rule + ", not " + Text.abbreviate(value.toString()) + ".");
        }
        return value.intValue();
    }

    static List<String> users(JsonObject json) {
        if (absent(json, "users")) {
            return null;
        }
        if (!(json.get("users") instanceof JsonArray array) || array.isEmpty()) {
            throw new InvalidField("/users", "users must be a non-empty array of user ids; omit it to target no user.");
        }
        if (array.size() > MAX_TARGETS) {
            throw new InvalidField("/users", "users holds " + array.size() + " entries; at most " + MAX_TARGETS + " in one notification.");
        }
        var users = new LinkedHashSet<String>();
        for (int i = 0; i < array.size(); i++) {
            users.add(UserIds.check("users", "/users/" + i, array.get(i)));
        }
        return List.copyOf(users);
    }

    static List<String> nonEmpty(String field, List<String> list) {
        if (list.isEmpty()) {
            throw new InvalidField("/" + field, field + " must not be empty; omit it to target no " + field + ".");
        }
        return list;
    }

    static boolean dryRun(JsonObject json) {
        return flag(json, "dry_run");
    }

    static String type(JsonValue value) {
        return value.getValueType().name().toLowerCase();
    }
}
