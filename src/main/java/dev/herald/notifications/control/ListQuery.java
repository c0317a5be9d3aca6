package dev.herald.notifications.control;

import dev.herald.fanout.entity.JobPage;
import dev.herald.fanout.entity.JobReport;
import dev.herald.platform.control.Text;
import dev.herald.platform.control.Uuids;
import jakarta.ws.rs.BadRequestException;

/** The query of GET /api/notifications, checked: state null for all, limit 1 to MAX (DEFAULT when absent), after null on the first page. */
public record ListQuery(String state, int limit, JobPage.Position after) {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    public static ListQuery of(String state, String limit, String cursor) {
        if (state != null && !JobReport.STATES.contains(state)) {
            throw new BadRequestException("state must be one of " + String.join(", ", JobReport.STATES) + ", not '"
                    + Text.abbreviate(state) + "'; omit it to list every state.");
        }
        return new ListQuery(state, limit(limit), after(cursor));
    }

    static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestException("limit must be a whole number from 1 to " + MAX_LIMIT + ", not '" + Text.abbreviate(text) + "'.");
        }
        return limit;
    }

    static JobPage.Position after(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            return JobPage.Position.parse(cursor, Uuids::valid);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("cursor '" + Text.abbreviate(cursor) + "' is not one this list gave (" + e.getMessage()
                    + "); pass the next value of the previous page as it was, or omit cursor to start from the newest.");
        }
    }
}
