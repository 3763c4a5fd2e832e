package org.openaudience.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.openaudience.audit.AuditAction;
import org.openaudience.audit.AuditLog;
import org.openaudience.base.InvalidRequestException;
import org.openaudience.base.NotFoundException;
import org.openaudience.security.AccessGuard;
import org.openaudience.security.MemberAccess;
import org.openaudience.security.MemberDirectory;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Personal API tokens: each member creates, lists and revokes their own. A token acts as its member — the same
 * role, workspaces and checks as in the web app, read fresh on every request — so deactivating the member stops it.
 */
@Service
public class ApiTokens {

    public static final int MAX_NAME_LENGTH = 100;
    /** Tokens a member may hold at once (revoked ones do not count). */
    public static final int MAX_ACTIVE_TOKENS = 20;
    static final String SECRET_PREFIX = "oa_";
    private static final int PREFIX_SHOWN = 10;
    /** Writing "last used" at most this often per token keeps a busy script from writing on every request. */
    private static final long LAST_USED_RESOLUTION_SECONDS = 60;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final ApiTokenRepository tokens;
    private final MemberDirectory members;
    private final AccessGuard guard;
    private final AuditLog audit;
    private final JdbcClient jdbc;
    private final TokenRefusals refusals;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    ApiTokens(ApiTokenRepository tokens, MemberDirectory members, AccessGuard guard, AuditLog audit, JdbcClient jdbc,
              TokenRefusals refusals, Clock clock) {
        this.refusals = refusals;
        this.tokens = tokens;
        this.members = members;
        this.guard = guard;
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A new token for the signed-in member; its secret is in the answer and nowhere else. */
    @Transactional
    public NewApiToken create(String name, Instant expiresAt) {
        MemberAccess member = guard.currentMember();
        String cleanName = name == null ? "" : name.strip();
        if (cleanName.isEmpty()) {
            throw new InvalidRequestException("name", "Give the token a name, e.g. the script that will use it.");
        }
        if (cleanName.codePointCount(0, cleanName.length()) > MAX_NAME_LENGTH) {
            throw new InvalidRequestException("name", "A token name has at most " + MAX_NAME_LENGTH + " characters.");
        }
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new InvalidRequestException("expiresAt", "The expiry must be in the future.");
        }
        if (tokens.countByMemberIdAndRevokedAtIsNull(member.memberId()) >= MAX_ACTIVE_TOKENS) {
            throw new InvalidRequestException("name", "You already have " + MAX_ACTIVE_TOKENS
                    + " tokens; revoke one you no longer use first.");
        }
        String secret = newSecret();
        ApiToken saved = tokens.save(new ApiToken(null, member.memberId(), cleanName,
                secret.substring(0, PREFIX_SHOWN), hash(secret), now, expiresAt, null, null, null));
        audit.record(AuditAction.API_TOKEN_CREATED, cleanName, saved.tokenPrefix() + "…, "
                + (expiresAt == null ? "never expires" : "expires " + DAY.format(expiresAt)), null);
        return new NewApiToken(saved, secret);
    }

    /** The signed-in member's tokens, newest first. */
    @Transactional(readOnly = true)
    public List<ApiToken> ownTokens(int offset, int limit) {
        MemberAccess member = guard.currentMember();
        int size = Math.max(1, limit);
        return tokens.findByMemberIdOrderByCreatedAtDesc(member.memberId(), PageRequest.of(offset / size, size));
    }

    @Transactional(readOnly = true)
    public int countOwnTokens() {
        return (int) tokens.countByMemberId(guard.currentMember().memberId());
    }

    /** Revokes one of the signed-in member's tokens; requests with it are refused from now on. */
    @Transactional
    public ApiToken revoke(long tokenId) {
        MemberAccess member = guard.currentMember();
        ApiToken token = tokens.findById(tokenId).filter(t -> t.memberId() == member.memberId())
                .orElseThrow(() -> new NotFoundException("You have no API token " + tokenId + "."));
        if (token.revoked()) {
            return token;
        }
        ApiToken revoked = tokens.save(token.revokedAt(clock.instant()));
        audit.record(AuditAction.API_TOKEN_REVOKED, token.name(), token.tokenPrefix() + "…", null);
        return revoked;
    }

    /**
     * The member a presented secret acts as, or the reason it is refused (audited with the member when known).
     * Never reveals more to the caller than "unknown", "revoked", "expired" or "member deactivated".
     */
    @Transactional(noRollbackFor = TokenRefusedException.class) // the refusal's audit entry stays
    public Authenticated authenticate(String secret, String clientAddress) {
        Instant now = clock.instant();
        ApiToken token = secret == null || !secret.startsWith(SECRET_PREFIX) || secret.length() > 200 ? null
                : tokens.findByTokenHash(hash(secret)).orElse(null);
        if (token == null) {
            String shown = secret == null ? "" : secret.substring(0, Math.min(PREFIX_SHOWN, secret.length()));
            throw refused(null, clientAddress, "unknown token " + shown + "…",
                    "This API token is not valid. Create one on your API tokens page.");
        }
        var member = members.findActiveMember(token.memberId());
        String who = member.map(MemberAccess::email).orElse(null);
        if (token.revoked()) {
            throw refused(who, clientAddress, "revoked token " + token.tokenPrefix() + "… (" + token.name() + ")",
                    "This API token was revoked.");
        }
        if (token.expiredAt(now)) {
            throw refused(who, clientAddress, "expired token " + token.tokenPrefix() + "… (" + token.name() + ")",
                    "This API token expired on " + DAY.format(token.expiresAt()) + ".");
        }
        if (member.isEmpty()) {
            throw refused(null, clientAddress, "token " + token.tokenPrefix() + "… of a deactivated member",
                    "The member this API token belongs to is deactivated.");
        }
        if (token.lastUsedAt() == null || token.lastUsedAt().plusSeconds(LAST_USED_RESOLUTION_SECONDS).isBefore(now)) {
            // a plain update: a concurrent revoke must not fail on the version
            jdbc.sql("UPDATE api_token SET last_used_at = ? WHERE id = ?")
                    .params(java.sql.Timestamp.from(now), token.id()).update();
        }
        return new Authenticated(token.id(), member.get());
    }

    private TokenRefusedException refused(String actor, String clientAddress, String detail, String message) {
        long wait = refusals.count(clientAddress);
        if (wait > 0) {
            return new TokenRefusedException("Too many refused API tokens from your address; retry after " + wait
                    + " s.", wait);
        }
        audit.recordAs(actor, clientAddress, AuditAction.API_TOKEN_REFUSED, null, detail, null);
        return new TokenRefusedException(message, 0);
    }

    private String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** A request's token checked: which token, acting as which member. */
    public record Authenticated(long tokenId, MemberAccess member) {
    }

    /** The presented token does not let anyone in; the message says why, for the 401 answer. */
    public static class TokenRefusedException extends RuntimeException {

        private final long retryAfterSeconds;

        TokenRefusedException(String message, long retryAfterSeconds) {
            super(message);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        /** Above 0 when the address sent too many refused tokens: answer 429, retry after this many seconds. */
        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
