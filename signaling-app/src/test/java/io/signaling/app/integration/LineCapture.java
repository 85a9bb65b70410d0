package io.signaling.app.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The stdout of the launcher's log chain, kept in memory: the async appender's writer thread
 * writes here while test threads read complete lines, hence the locking.
 */
final class LineCapture extends OutputStream {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);

    @Override
    public synchronized void write(int b) {
        bytes.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        bytes.write(b, off, len);
    }

    /** Every complete line written so far (a line still being written is left out). */
    synchronized List<String> lines() {
        String text = bytes.toString(StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        List<String> lines = new ArrayList<>();
        if (end < 0) {
            return lines;
        }
        for (String line : text.substring(0, end).split("\n", -1)) {
            lines.add(line);
        }
        return lines;
    }

    /** Every complete line parsed as JSON; a line that is not JSON fails the test that reads it. */
    List<JsonNode> jsonLines() {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : lines()) {
            try {
                nodes.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException("log line is not JSON: " + line, e);
            }
        }
        return nodes;
    }
}
