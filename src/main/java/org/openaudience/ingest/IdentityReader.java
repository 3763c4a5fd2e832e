package org.openaudience.ingest;

import static org.openaudience.ingest.BatchParser.DEVICE_ID_FIELDS;
import static org.openaudience.ingest.BatchParser.USER_IDENTITY_TYPES;
import static org.openaudience.ingest.FieldChecks.optionalText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openaudience.profile.Identity;
import org.openaudience.profile.IdentityRule;

/**
 * Reads the identities of a batch ({@code user_identities}, {@code mp_deviceid} and the device ids in
 * {@code device_info}) and the sides of a {@code user_identity_change} event, each normalised as stored
 * ({@link IdentityRule}).
 */
final class IdentityReader {

    /** mParticle's own SDKs write some identity types without the underscore; they mean the same. */
    static final Map<String, String> IDENTITY_ALIASES = Map.of("customerid", "customer_id");
    /** What a {@code user_identity_change} event may change: user identities and device ids. */
    private static final Set<String> CHANGEABLE_IDENTITY_TYPES = Stream.of(USER_IDENTITY_TYPES.stream(),
            DEVICE_ID_FIELDS.stream(), Stream.of("mp_deviceid")).flatMap(s -> s).collect(Collectors.toSet());

    private IdentityReader() {
    }

    static Map<String, String> identities(ObjectNode batch, ObjectNode deviceInfo, String path) {
        Map<String, String> identities = new LinkedHashMap<>();
        JsonNode userIdentities = batch.get("user_identities");
        if (userIdentities != null && !userIdentities.isNull()) {
            if (!userIdentities.isObject()) {
                throw new BadRequestException(path + "user_identities must be an object.");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = userIdentities.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String fieldPath = path + "user_identities." + field.getKey();
                String type = IDENTITY_ALIASES.getOrDefault(field.getKey(), field.getKey());
                if (!USER_IDENTITY_TYPES.contains(type)) {
                    throw new BadRequestException(fieldPath + " is not a known identity type; known types are "
                            + knownTypes(USER_IDENTITY_TYPES) + ".");
                }
                String value = identityValue(field.getValue(), type, fieldPath);
                if (value != null) {
                    identities.put(type, value);
                }
            }
        }
        String deviceId = identityValue(batch.get("mp_deviceid"), "mp_deviceid", path + "mp_deviceid");
        if (deviceId != null) {
            identities.put("mp_deviceid", deviceId);
        }
        for (String field : DEVICE_ID_FIELDS) {
            String value = identityValue(deviceInfo.get(field), field, path + "device_info." + field);
            if (value != null) {
                identities.put(field, value);
            }
        }
        return identities;
    }

    /**
     * One side ({@code old} or {@code new}) of a {@code user_identity_change} event: the identity it names, or null
     * when it names none (absent, or no identity value, as when an identity is removed).
     */
    static Identity changedIdentity(ObjectNode data, String side, String path) {
        JsonNode node = data.get(side);
        if (node == null || node.isNull()) {
            return null;
        }
        String sidePath = path + side + ".";
        if (!node.isObject()) {
            throw new BadRequestException(path + side + " must be an object with identity_type and identity.");
        }
        String typeName = optionalText((ObjectNode) node, "identity_type", sidePath);
        if (typeName == null || typeName.isBlank()) {
            throw new BadRequestException("Required field \"" + sidePath + "identity_type\" is missing or empty for "
                    + "user_identity_change.");
        }
        String type = IDENTITY_ALIASES.getOrDefault(typeName, typeName);
        if (!CHANGEABLE_IDENTITY_TYPES.contains(type)) {
            throw new BadRequestException(sidePath + "identity_type \"" + typeName + "\" is not a known identity "
                    + "type; known types are " + knownTypes(CHANGEABLE_IDENTITY_TYPES) + ".");
        }
        String value = identityValue(node.get("identity"), type, sidePath + "identity");
        return value == null ? null : new Identity(type, value);
    }

    /**
     * The identity as stored and compared ({@link IdentityRule}), or null when the value is absent or blank (such an
     * identity is ignored). The limit applies to the stored value: an email's surrounding spaces do not count.
     */
    private static String identityValue(JsonNode value, String type, String field) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() && !value.isNumber()) {
            throw new BadRequestException(field + " must be a string.");
        }
        if (IdentityRule.isBlank(value.asText())) {
            return null;
        }
        String normalized = IdentityRule.normalize(type, value.asText());
        int length = IdentityRule.length(normalized);
        if (length > IdentityRule.MAX_VALUE_LENGTH) {
            throw new BadRequestException(field + " is " + length + " characters long; at most "
                    + IdentityRule.MAX_VALUE_LENGTH + " are allowed.");
        }
        return normalized;
    }

    private static String knownTypes(Set<String> types) {
        TreeSet<String> known = new TreeSet<>(types);
        known.addAll(IDENTITY_ALIASES.keySet());
        return String.join(", ", known);
    }
}
