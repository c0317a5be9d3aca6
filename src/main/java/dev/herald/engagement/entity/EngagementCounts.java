package dev.herald.engagement.entity;

import dev.herald.platform.control.JsonBody;
import jakarta.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many pushes of a job were shown, clicked (any click, body or action, once per push) and
 * closed, and clicked per action id. approximate: counted with HyperLogLog (about 1 % error), as
 * jobs larger than herald.engagement.exact-up-to are.
 */
public record EngagementCounts(long shown, long clicked, long closed, Map<String, Long> actions, boolean approximate) {

    public static final EngagementCounts NONE = new EngagementCounts(0, 0, 0, Map.of(), false);

    public EngagementCounts {
        actions = Map.copyOf(actions);
    }

    public JsonObject toJson() {
        var byAction = JsonBody.object();
        new TreeMap<>(actions).forEach(byAction::add);
        return JsonBody.object().add("shown", shown).add("clicked", clicked).add("closed", closed)
                .add("actions", byAction).add("approximate", approximate).build();
    }
}
