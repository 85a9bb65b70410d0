package io.signaling.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code auth.jwt.keys}: a sequence of {@code {kid, alg, secret | secret-file | public-key-file}},
 * or (environment, flags) the same as YAML/JSON flow text, e.g.
 * {@code [{kid: k1, alg: HS256, secret-file: /run/secrets/k1}]}. Files are read here, so a missing
 * one is a configuration problem (exit 2), not a failed start. Inline secrets are masked wherever
 * the value is shown. The keys' cryptographic checks (length, PEM, alg) are a rule in {@link Keys}.
 */
final class JwtKeysType implements Type<List<JwtKeyConfig>> {

    private static final Set<String> FIELDS = Set.of("kid", "alg", "secret", "secret-file", "public-key-file");

    @Override
    public Class<?> javaType() {
        return List.class;
    }

    @Override
    public List<JwtKeyConfig> parse(JsonNode raw, Consumer<String> problems) {
        JsonNode v = raw;
        if (v.isTextual()) {
            if (v.asText().isBlank()) {
                return List.of();
            }
            try {
                v = new ObjectMapper(new YAMLFactory()).readTree(v.asText());
            } catch (IOException e) {
                problems.accept("expected a list of keys, e.g. [{kid: k1, alg: HS256, secret-file: /run/secrets/k1}]");
                return null;
            }
        }
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            problems.accept("expected a list of keys ({kid, alg, and one of secret, secret-file, public-key-file}),"
                    + " not a " + Layers.kind(v));
            return null;
        }
        List<JwtKeyConfig> keys = new ArrayList<>();
        boolean valid = true;
        int index = 0;
        for (JsonNode item : v) {
            String at = "entry " + (++index);
            if (!item.isObject()) {
                problems.accept(at + ": expected a mapping with kid, alg and one of secret, secret-file, public-key-file");
                valid = false;
                continue;
            }
            for (var names = item.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!FIELDS.contains(name)) {
                    problems.accept(at + ": unknown field '" + name + "'; allowed: kid, alg, secret, secret-file,"
                            + " public-key-file");
                    valid = false;
                }
            }
            String kid = item.path("kid").asText("").strip();
            String alg = item.path("alg").asText("").strip();
            if (kid.isEmpty()) {
                problems.accept(at + ": kid is required (tokens name their key by it)");
                valid = false;
            }
            if (alg.isEmpty()) {
                problems.accept(at + ": alg is required (each key pins its one algorithm)");
                valid = false;
            }
            List<String> material = new ArrayList<>();
            for (String field : List.of("secret", "secret-file", "public-key-file")) {
                if (item.hasNonNull(field) && !item.get(field).asText().isEmpty()) {
                    material.add(field);
                }
            }
            if (material.size() != 1) {
                problems.accept(at + " (kid '" + kid + "'): needs exactly one of secret, secret-file, public-key-file");
                valid = false;
                continue;
            }
            String field = material.get(0);
            String value = item.get(field).asText();
            try {
                switch (field) {
                    case "secret" -> keys.add(new JwtKeyConfig(kid, alg, Secret.of(value), "secret", ""));
                    case "secret-file" -> keys.add(new JwtKeyConfig(kid, alg,
                            Secret.of(Files.readString(Path.of(value)).strip()), value, ""));
                    default -> keys.add(new JwtKeyConfig(kid, alg, Secret.empty(), value,
                            Files.readString(Path.of(value))));
                }
            } catch (IOException | RuntimeException e) {
                problems.accept(at + " (kid '" + kid + "'): cannot read " + field + " " + value + " ("
                        + e.getClass().getSimpleName() + ")");
                valid = false;
            }
        }
        return valid ? List.copyOf(keys) : null;
    }

    @Override
    public JsonNode render(List<JwtKeyConfig> value) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (JwtKeyConfig key : value) {
            ObjectNode k = array.addObject();
            k.put("kid", key.kid());
            k.put("alg", key.alg());
            if (!key.isHmac() && !key.publicKeyPem().isEmpty()) {
                k.put("public-key-file", key.source());
            } else if (key.source().equals("secret")) {
                k.put("secret", Secret.MASK);
            } else {
                k.put("secret-file", key.source());
            }
        }
        return array;
    }

    /** Only the inline secrets are secret; kids, algorithms and file paths help the operator. */
    @Override
    public String display(String text) {
        return text.replaceAll("(\"?secret\"?\\s*[:=]\\s*)(\"[^\"]*\"|[^,}\\]\\s]+)", "$1\"" + Secret.MASK + "\"");
    }
}
