package io.signaling.app.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for misspelt keys and variables. */
final class Suggestions {

    private Suggestions() {
    }

    /**
     * The candidate closest to {@code input}: one with the same normalised form (case and
     * separators ignored, so {@code maxMessageSize} finds {@code max-message-size}), else the
     * nearest by optimal-string-alignment distance within a bound that grows with the length, so
     * short inputs are not matched to unrelated short keys.
     */
    static Optional<String> closest(String input, Collection<String> candidates) {
        String normalisedInput = normalise(input);
        for (String candidate : candidates) {
            if (normalise(candidate).equals(normalisedInput)) {
                return Optional.of(candidate);
            }
        }
        int bound = input.length() < 8 ? 2 : 3;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String lower = input.toLowerCase(Locale.ROOT);
        for (String candidate : candidates) {
            int d = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= bound ? Optional.of(best) : Optional.empty();
    }

    static String normalise(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                out.append(Character.toLowerCase(c));
            }
        }
        return out.toString();
    }

    /** Damerau–Levenshtein distance, optimal string alignment variant (adjacent swaps count 1). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
