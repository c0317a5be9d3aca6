package dev.herald.platform.control;

/** Client input quoted back in an error detail: printable, and short. */
public final class Text {

    static final int MAX = 40;

    private Text() {
    }

    public static String abbreviate(String text) {
        if (text == null) {
            return "null";
        }
        String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > MAX ? printable.substring(0, MAX) + "..." : printable;
    }
}
