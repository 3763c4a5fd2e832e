package org.openaudience.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openaudience.profile.Identity;
import org.springframework.stereotype.Component;

/**
 * The JSON membership message webhooks receive (documented in docs/outputs.md), and its signature: the hex
 * HMAC-SHA256 of the exact body bytes with the output's secret.
 */
@Component
public class MembershipMessages {

    public static final String SIGNATURE_HEADER = "X-OpenAudience-Signature";
    public static final String DELIVERY_HEADER = "X-OpenAudience-Delivery";

    private final ObjectMapper json;

    MembershipMessages(ObjectMapper json) {
        this.json = json;
    }

    public String json(Delivery delivery) {
        ObjectNode message = json.createObjectNode();
        message.put("delivery_id", delivery.deliveryId());
        message.put("sequence", delivery.sequence());
        message.put("audience_id", delivery.audienceId());
        message.put("audience_name", delivery.audienceName());
        message.put("external_name", delivery.externalName());
        message.put("variation", delivery.variationName());
        ArrayNode members = message.putArray("members");
        for (MemberUpdate update : delivery.members()) {
            ObjectNode member = members.addObject();
            member.put("mpid", update.mpid());
            ArrayNode identities = member.putArray("identities");
            for (Identity identity : update.identities()) {
                identities.addObject().put("type", identity.type()).put("value", identity.value());
            }
            member.put("action", update.action());
            member.put("timestamp_ms", update.timestampMs());
        }
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A tree of plain values always serialises", e);
        }
    }

    /** Lower-case hex HMAC-SHA256 of the body, as sent in {@value #SIGNATURE_HEADER}. */
    public static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("Every JDK has HmacSHA256", e);
        }
    }
}
