package io.signaling.benchmarks.load;

import io.signaling.benchmarks.json.MiniJson;
import java.util.Collection;
import java.util.Map;

/** Renders the summary (nested maps, collections, numbers, booleans, strings) as one JSON line. */
final class JsonOut {

    private JsonOut() {
    }

    static String write(Object value) {
        var sb = new StringBuilder(512);
        append(sb, value);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object value) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (var e : map.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                MiniJson.appendQuoted(sb, String.valueOf(e.getKey()));
                sb.append(':');
                append(sb, e.getValue());
            }
            sb.append('}');
        } else if (value instanceof Collection<?> list) {
            sb.append('[');
            boolean first = true;
            for (Object o : list) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                append(sb, o);
            }
            sb.append(']');
        } else if (value instanceof Double d) {
            sb.append(d.isNaN() || d.isInfinite() ? "null" : String.format(java.util.Locale.ROOT, "%.3f", d));
        } else if (value instanceof Number || value instanceof Boolean) {
            sb.append(value);
        } else {
            MiniJson.appendQuoted(sb, value.toString());
        }
    }
}
