package dev.herald.notifications.entity;

/** One action button of a notification: its id (reported with a click), its label, and the link it opens (null: the notification's). */
public record Action(String action, String title, String url) {
}
