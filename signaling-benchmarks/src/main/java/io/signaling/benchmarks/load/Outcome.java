package io.signaling.benchmarks.load;

import java.util.Map;

/** What a mode reports: the JSON summary and whether every check held. */
record Outcome(Map<String, Object> summary, boolean ok) {
}
