package org.openaudience.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.openaudience.base.MultiRowInsert;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Resolves a request's batches to profiles (PRODUCT.md §2: mpid, else customer_id, else email, else a device id,
 * else a new profile) and claims their new identities. The primary key of {@code profile_identity} decides races:
 * every unknown identity is claimed with one {@code INSERT IGNORE} (which waits for a concurrent claim of the same
 * identity to commit); when a claim is lost and the winner's identity would have decided the batch's profile, the
 * request is retried from the start ({@link IdentityClaimLostException}), where it finds the winner's profile.
 */
@Component
public class IdentityResolver {

    /** Identity types that resolve a batch to a profile, strongest first (PRODUCT.md §2). */
    static final List<String> RESOLVING_TYPES = List.of("customer_id", "email", "mp_deviceid", "ios_idfv",
            "ios_advertising_id", "android_uuid", "android_advertising_id");

    /** Identity types of which a user has one value: a profile holding another value is another user. */
    static final Set<String> EXCLUSIVE_TYPES = Set.of("customer_id", "email");

    private static final MultiRowInsert CLAIM = new MultiRowInsert("INSERT IGNORE INTO profile_identity "
            + "(workspace_id, identity_type, identity_value, mpid)", 4, "");

    private final NamedParameterJdbcTemplate jdbc;

    IdentityResolver(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The MPID of each claim, in order, and the owner of every identity the claims name. Claims of one request that
     * share an identity share the profile. Runs in the ingesting transaction: the identities it claims are part of
     * the request and roll back with it.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Resolution resolve(long workspaceId, List<IdentityClaim> claims) {
        Set<IdentityKey> named = new HashSet<>();
        claims.forEach(claim -> {
            claim.identities().forEach((type, value) -> named.add(checked(type, value)));
            claim.changedTo().forEach((type, value) -> named.add(checked(type, value)));
        });
        // a locking read (the ingesting transaction is READ COMMITTED, so it locks only rows that exist): identities
        // found here stay with their profile until this request commits, a concurrent release waits for it
        Map<IdentityKey, Long> owners = owners(workspaceId, named, true);
        Map<Long, Set<String>> heldTypes = heldExclusiveTypes(workspaceId, claims, owners);

        List<Long> mpids = new ArrayList<>(claims.size());
        int[] decidedBy = new int[claims.size()];
        Set<Long> created = new HashSet<>();
        Map<Long, Map<String, String>> mustNotHoldOther = new HashMap<>();
        Map<IdentityKey, Long> toClaim = new LinkedHashMap<>();
        for (int i = 0; i < claims.size(); i++) {
            IdentityClaim claim = claims.get(i);
            Long mpid = claim.mpid();
            decidedBy[i] = -1;
            if (mpid == null) {
                decidedBy[i] = RESOLVING_TYPES.size();
                for (int rank = 0; rank < RESOLVING_TYPES.size() && mpid == null; rank++) {
                    String value = claim.identities().get(RESOLVING_TYPES.get(rank));
                    Long owner = value == null ? null : owners.get(new IdentityKey(RESOLVING_TYPES.get(rank), value));
                    if (owner != null && !contradicts(claim, rank, heldTypes.getOrDefault(owner, Set.of()))) {
                        mpid = owner;
                        decidedBy[i] = rank;
                    }
                }
                if (mpid == null) {
                    mpid = newMpid();
                    created.add(mpid);
                } else {
                    strongerExclusive(claim, decidedBy[i]).forEach(mustNotHoldOther.computeIfAbsent(mpid,
                            found -> new HashMap<>())::put);
                }
            }
            for (Map<String, String> identities : List.of(claim.identities(), claim.changedTo())) {
                for (Map.Entry<String, String> identity : identities.entrySet()) {
                    IdentityKey key = new IdentityKey(identity.getKey(), identity.getValue());
                    if (!owners.containsKey(key)) {
                        owners.put(key, mpid);
                        toClaim.put(key, mpid);
                    }
                    // later batches of this request see what earlier ones gave the profile
                    if (EXCLUSIVE_TYPES.contains(key.type()) && mpid.equals(owners.get(key))) {
                        heldTypes.computeIfAbsent(mpid, held -> new HashSet<>()).add(key.type());
                    }
                }
            }
            mpids.add(mpid);
        }
        claim(workspaceId, toClaim, owners, claims, decidedBy);
        Map<Long, Map<String, Set<String>>> claimed = new HashMap<>();
        toClaim.forEach((key, mpid) -> {
            if (mpid.equals(owners.get(key))) {
                claimed.computeIfAbsent(mpid, m -> new HashMap<>())
                        .computeIfAbsent(key.type(), type -> new HashSet<>()).add(key.value());
            }
        });
        return new Resolution(mpids, owners, created, mustNotHoldOther, claimed);
    }

    /**
     * Claims the identities no profile had when the request read them, in key order (so concurrent requests lock
     * them in the same order). A lost claim either changes which profile a batch resolves to (then the request
     * retries) or is a conflict: the identity stays with the profile that claimed it first.
     */
    private void claim(long workspaceId, Map<IdentityKey, Long> toClaim, Map<IdentityKey, Long> owners,
                       List<IdentityClaim> claims, int[] decidedBy) {
        if (toClaim.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>(toClaim.size());
        toClaim.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(IdentityKey::type)
                        .thenComparing(IdentityKey::value)))
                .forEach(entry -> rows.add(new Object[] {workspaceId, entry.getKey().type(), entry.getKey().value(),
                        entry.getValue()}));
        if (CLAIM.execute(jdbc.getJdbcTemplate(), rows) == rows.size()) {
            return;
        }
        // a locking read sees what concurrent requests committed since this transaction's snapshot
        Map<IdentityKey, Long> actual = owners(workspaceId, toClaim.keySet(), true);
        for (Map.Entry<IdentityKey, Long> entry : toClaim.entrySet()) {
            IdentityKey key = entry.getKey();
            Long owner = actual.get(key);
            if (owner == null) {
                throw new IdentityClaimLostException(key.type() + " was claimed and released meanwhile");
            }
            if (owner.equals(entry.getValue())) {
                continue;
            }
            if (wouldHaveDecided(key, claims, decidedBy)) {
                throw new IdentityClaimLostException(key.type() + " was claimed by a concurrent request");
            }
            owners.put(key, owner);
        }
    }

    /**
     * Whether a profile found by a weaker identity belongs to someone else: the batch names a customer_id (or, when
     * found by a device id, an email) that no profile holds, and the profile holds another one. Two customer ids are
     * two users, so the batch does not join that profile (the shared identity becomes a conflict).
     */
    private static boolean contradicts(IdentityClaim claim, int rank, Set<String> typesTheProfileHolds) {
        for (int stronger = 0; stronger < rank; stronger++) {
            String type = RESOLVING_TYPES.get(stronger);
            if (EXCLUSIVE_TYPES.contains(type) && claim.identities().containsKey(type)
                    && typesTheProfileHolds.contains(type)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The customer_id or email a batch names that is stronger than the identity that found its profile: the profile
     * must not hold another value of it (checked again on the locked profile, as a concurrent request may have given
     * it one since).
     */
    private static Map<String, String> strongerExclusive(IdentityClaim claim, int decidedBy) {
        Map<String, String> stronger = new HashMap<>();
        for (int rank = 0; rank < decidedBy && rank < RESOLVING_TYPES.size(); rank++) {
            String type = RESOLVING_TYPES.get(rank);
            if (EXCLUSIVE_TYPES.contains(type) && claim.identities().containsKey(type)) {
                stronger.put(type, claim.identities().get(type));
            }
        }
        return stronger;
    }

    /**
     * Which of customer_id and email the profiles that weaker identities point at hold — read only for batches that
     * name a customer_id or email no profile holds yet (a returning user's batch needs no extra query).
     */
    private Map<Long, Set<String>> heldExclusiveTypes(long workspaceId, List<IdentityClaim> claims,
                                                      Map<IdentityKey, Long> owners) {
        Set<Long> candidates = new HashSet<>();
        for (IdentityClaim claim : claims) {
            int firstUnknown = -1;
            for (int rank = 0; rank < RESOLVING_TYPES.size(); rank++) {
                String type = RESOLVING_TYPES.get(rank);
                String value = claim.identities().get(type);
                if (value == null) {
                    continue;
                }
                Long owner = owners.get(new IdentityKey(type, value));
                if (owner == null && EXCLUSIVE_TYPES.contains(type) && firstUnknown < 0) {
                    firstUnknown = rank;
                } else if (owner != null && firstUnknown >= 0 && claim.mpid() == null) {
                    candidates.add(owner);
                }
            }
        }
        Map<Long, Set<String>> held = new HashMap<>();
        if (candidates.isEmpty()) {
            return held;
        }
        jdbc.query("SELECT DISTINCT mpid, identity_type FROM profile_identity WHERE workspace_id = :workspaceId"
                        + " AND mpid IN (:mpids) AND identity_type IN (:types)",
                new MapSqlParameterSource("workspaceId", workspaceId).addValue("mpids", candidates)
                        .addValue("types", EXCLUSIVE_TYPES), rs -> {
                    held.computeIfAbsent(rs.getLong(1), mpid -> new HashSet<>()).add(rs.getString(2));
                });
        return held;
    }

    /** Whether a batch of this request would have resolved by this identity had it been known. */
    private static boolean wouldHaveDecided(IdentityKey key, List<IdentityClaim> claims, int[] decidedBy) {
        int rank = RESOLVING_TYPES.indexOf(key.type());
        if (rank < 0) {
            return false;
        }
        for (int i = 0; i < claims.size(); i++) {
            if (decidedBy[i] >= rank && key.value().equals(claims.get(i).identities().get(key.type()))) {
                return true;
            }
        }
        return false;
    }

    private Map<IdentityKey, Long> owners(long workspaceId, Set<IdentityKey> keys, boolean locking) {
        Map<IdentityKey, Long> owners = new HashMap<>();
        if (keys.isEmpty()) {
            return owners;
        }
        Map<String, List<String>> valuesByType = new LinkedHashMap<>();
        keys.forEach(key -> valuesByType.computeIfAbsent(key.type(), type -> new ArrayList<>()).add(key.value()));
        MapSqlParameterSource params = new MapSqlParameterSource("workspaceId", workspaceId);
        List<String> conditions = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, List<String>> entry : valuesByType.entrySet()) {
            conditions.add("(identity_type = :type" + i + " AND identity_value IN (:values" + i + "))");
            params.addValue("type" + i, entry.getKey()).addValue("values" + i, entry.getValue());
            i++;
        }
        jdbc.query("SELECT identity_type, identity_value, mpid FROM profile_identity WHERE workspace_id = :workspaceId"
                        + " AND (" + String.join(" OR ", conditions) + ")" + (locking ? " LOCK IN SHARE MODE" : ""),
                params, rs -> {
                    owners.put(new IdentityKey(rs.getString(1), rs.getString(2)), rs.getLong(3));
                });
        return owners;
    }

    /** The parser refuses values over the limit; INSERT IGNORE would truncate them silently, so never let one by. */
    private static IdentityKey checked(String type, String value) {
        if (IdentityRule.length(value) > IdentityRule.MAX_VALUE_LENGTH || type.length() > IdentityRule.MAX_TYPE_LENGTH) {
            throw new IllegalArgumentException("Identity " + type + " is over the stored length; the Events API "
                    + "must refuse it before ingestion");
        }
        return new IdentityKey(type, value);
    }

    private static long newMpid() {
        return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }

    /** One identity: its type and its value as stored ({@link IdentityRule#normalize}). */
    public record IdentityKey(String type, String value) {
    }

    /**
     * @param mpids            the MPID of each claim, in order
     * @param owners           the profile that holds each identity the claims name, after this request's claims
     * @param created          MPIDs of profiles this request creates (no profile row yet)
     * @param mustNotHoldOther per existing profile found by a weaker identity: the customer_id or email the batch
     *                         names, of which the profile must hold no other value (else the request retries)
     * @param claimed          per profile and identity type, the values this request claimed for it
     */
    public record Resolution(List<Long> mpids, Map<IdentityKey, Long> owners, Set<Long> created,
                             Map<Long, Map<String, String>> mustNotHoldOther,
                             Map<Long, Map<String, Set<String>>> claimed) {

        /** Whether this profile holds the identity (it had it, or this request claimed it). */
        boolean holds(long mpid, String type, String value) {
            return Long.valueOf(mpid).equals(owners.get(new IdentityKey(type, value)));
        }

        Long owner(String type, String value) {
            return owners.get(new IdentityKey(type, value));
        }
    }
}
