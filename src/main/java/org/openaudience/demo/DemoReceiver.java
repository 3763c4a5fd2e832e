package org.openaudience.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.openaudience.output.MembershipMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * A webhook receiver inside the demo app, so the walkthrough "connect an audience and watch the adds arrive" needs
 * nothing else running: it checks the signature as a real receiver should, logs each delivery and keeps the latest.
 */
@RestController
@Profile("demo")
class DemoReceiver {

    static final String PATH = "/demo/receiver";
    /** The demo output's documented secret (docs/outputs.md). */
    static final String SECRET = "demo-receiver-secret";
    private static final int KEEP = 100;

    /** One delivery as received. */
    record Received(String deliveryId, String externalName, int adds, int removes) {
    }

    private static final Logger log = LoggerFactory.getLogger(DemoReceiver.class);

    private final ObjectMapper json;
    private final Deque<Received> latest = new ArrayDeque<>();

    DemoReceiver(ObjectMapper json) {
        this.json = json;
    }

    @PostMapping(PATH)
    ResponseEntity<Void> receive(@RequestBody byte[] body,
                                 @RequestHeader(name = MembershipMessages.SIGNATURE_HEADER, required = false)
                                 String signature) throws IOException {
        String expected = MembershipMessages.signature(SECRET, body);
        if (signature == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            log.warn("Demo receiver refused a delivery: the {} header does not match the body",
                    MembershipMessages.SIGNATURE_HEADER);
            return ResponseEntity.status(401).build();
        }
        JsonNode message = json.readTree(body);
        int adds = 0;
        int removes = 0;
        for (JsonNode member : message.path("members")) {
            if ("add".equals(member.path("action").asText())) {
                adds++;
            } else {
                removes++;
            }
        }
        Received received = new Received(message.path("delivery_id").asText(),
                message.path("external_name").asText(), adds, removes);
        synchronized (latest) {
            latest.addFirst(received);
            if (latest.size() > KEEP) {
                latest.removeLast();
            }
        }
        log.info("Demo receiver got delivery {} for \"{}\": {} adds, {} removes (signature valid)",
                received.deliveryId(), received.externalName(), adds, removes);
        return ResponseEntity.noContent().build();
    }

    /** The latest deliveries, newest first. */
    List<Received> latest() {
        synchronized (latest) {
            return List.copyOf(latest);
        }
    }
}
