package io.signaling.app.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.signaling.ports.testing.Coturn;
import io.signaling.ports.websocket.TestWebSocketClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The TURN credentials of a real {@code welcome} against a real coturn: a node configured with
 * coturn's secret hands out credentials that allocate and relay; a node signing with a secret
 * coturn does not have hands out credentials coturn refuses; during a rotation (coturn holds both
 * secrets, the node signs with the new one first) they work.
 */
class TurnWelcomeCoturnTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode turnEntryOfAWelcome(String turnUrl, String secrets) throws Exception {
        try (ObservedNode node = ObservedNode.builder()
                .flag("turn.urls", "stun:127.0.0.1:3478," + turnUrl)
                .flag("turn.secrets", secrets)
                .start();
             TestWebSocketClient client = TestWebSocketClient.connectAsync(node.http(),
                     URI.create("ws://127.0.0.1:" + node.publicAddress().getPort() + "/ws"), Map.of(), List.of())
                     .get(10, TimeUnit.SECONDS)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !client.messages().isEmpty());
            JsonNode welcome = JSON.readTree(client.messages().get(0));
            assertThat(welcome.path("type").asText()).isEqualTo("welcome");
            JsonNode turn = welcome.path("iceServers").get(1);
            assertThat(turn.path("urls").get(0).asText()).isEqualTo(turnUrl);
            return turn;
        }
    }

    @Test
    void credentialsFromARealWelcomeRelayThroughCoturnAndAForeignSecretIsRefused() throws Exception {
        try (Coturn coturn = Coturn.start(List.of("new-secret", "old-secret"))) {
            for (String secrets : List.of("old-secret", "new-secret,old-secret")) {
                JsonNode turn = turnEntryOfAWelcome(coturn.turnUrl(), secrets);
                Coturn.ClientRun run = coturn.allocateAndRelay(turn.path("username").asText(),
                        turn.path("credential").asText(), 3);
                assertThat(run.relayed(3)).as("signed with %s:%n%s", secrets, run.output()).isTrue();
            }
            JsonNode foreign = turnEntryOfAWelcome(coturn.turnUrl(), "a-secret-coturn-does-not-have");
            Coturn.ClientRun refused = coturn.allocateAndRelay(foreign.path("username").asText(),
                    foreign.path("credential").asText(), 3);
            assertThat(refused.refused()).as("foreign secret:%n%s", refused.output()).isTrue();
        }
    }
}
