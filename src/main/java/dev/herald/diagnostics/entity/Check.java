package dev.herald.diagnostics.entity;

import dev.herald.platform.control.JsonBody;
import jakarta.json.JsonObject;
import java.util.Locale;

/** One finding of the VAPID doctor: fix says what to do (null when there is nothing to do). */
public record Check(String name, Status status, String detail, String fix) {

    /** In order of severity: the worst of several is the one with the highest ordinal. */
    public enum Status {
        OK, WARN, FAIL;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static Check ok(String name, String detail) {
        return new Check(name, Status.OK, detail, null);
    }

    public static Check warn(String name, String detail, String fix) {
        return new Check(name, Status.WARN, detail, fix);
    }

    public static Check fail(String name, String detail, String fix) {
        return new Check(name, Status.FAIL, detail, fix);
    }

    public JsonObject toJson() {
        var json = JsonBody.object().add("name", name).add("status", status.word()).add("detail", detail);
        return (fix == null ? json.addNull("fix") : json.add("fix", fix)).build();
    }

    /** The line the start-up log gets. */
    public String logLine() {
        return "VAPID doctor: " + name + " " + status.word() + ": " + detail + (fix == null ? "" : " Fix: " + fix);
    }
}
