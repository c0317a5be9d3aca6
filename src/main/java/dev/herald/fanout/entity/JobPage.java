package dev.herald.fanout.entity;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** One page of the job list, newest first; next is where the following page starts (null: this is the last). */
public record JobPage(List<JobReport> items, Position next) {

    public JobPage {
        items = List.copyOf(items);
    }

    /** A place in the list: the last job shown (created, epoch ms, and id), which the next page continues after. */
    public record Position(long created, String id) {

        /** The opaque cursor clients pass back: base64url of "created:id". */
        public String cursor() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((created + ":" + id).getBytes(StandardCharsets.UTF_8));
        }

        /** Reads a cursor; IllegalArgumentException when it is not one this service made. */
        public static Position parse(String cursor, java.util.function.Predicate<String> validId) {
            String text;
            try {
                text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not base64url");
            }
            int colon = text.indexOf(':');
            if (colon < 1 || !validId.test(text.substring(colon + 1))) {
                throw new IllegalArgumentException("not a position in the list");
            }
            try {
                return new Position(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a position in the list");
            }
        }
    }
}
