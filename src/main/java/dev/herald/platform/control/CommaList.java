package dev.herald.platform.control;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Optional comma-separated settings (Payara's MicroProfile Config cannot inject Optional<List<String>>). */
public final class CommaList {

    private CommaList() {
    }

    public static List<String> of(Optional<String> value) {
        return value.map(text -> Arrays.stream(text.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList())
                .orElse(List.of());
    }
}
