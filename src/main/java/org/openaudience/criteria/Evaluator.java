package org.openaudience.criteria;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides one profile's membership in memory and explains it criterion by criterion. It is the reference the SQL
 * compiler is tested against: same rules, written plainly.
 */
public final class Evaluator {

    private Evaluator() {
    }

    public static Verdict evaluate(Definition definition, ProfileFacts profile, Instant now) {
        List<Verdict.CriterionVerdict> verdicts = new ArrayList<>();
        boolean matches = group(definition.root(), "", definition, profile, now, verdicts);
        return new Verdict(matches, verdicts);
    }

    private static boolean group(Group group, String prefix, Definition definition, ProfileFacts profile,
                                 Instant now, List<Verdict.CriterionVerdict> verdicts) {
        boolean result = false;
        for (int i = 0; i < group.items().size(); i++) {
            Group.Item item = group.items().get(i);
            String path = prefix + (i + 1);
            boolean value;
            if (item.node() instanceof Group inner) {
                value = group(inner, path + ".", definition, profile, now, verdicts);
            } else if (item.node() instanceof EventCriterion criterion) {
                value = event(criterion, path, definition, profile, now, verdicts);
            } else if (item.node() instanceof MembershipCriterion membership) {
                boolean member = profile.audiences().contains(membership.audienceId());
                value = member == membership.member();
                verdicts.add(new Verdict.CriterionVerdict(path, membership, value,
                        (member ? "is" : "is not") + " a member of audience " + membership.audienceId()));
            } else {
                value = user((UserCriterion) item.node(), path, profile, now, verdicts);
            }
            result = i == 0 ? value : switch (item.connector()) {
                case AND -> result && value;
                case OR -> result || value;
                case EXCLUDE -> result && !value;
            };
        }
        return result;
    }

    private static boolean event(EventCriterion criterion, String path, Definition definition, ProfileFacts profile,
                                 Instant now, List<Verdict.CriterionVerdict> verdicts) {
        long count = profile.events().stream().filter(event -> counts(criterion, definition, event, now)).count();
        boolean matches = criterion.frequency().test(count);
        verdicts.add(new Verdict.CriterionVerdict(path, criterion, matches, count + " matching event"
                + (count == 1 ? "" : "s") + " " + Describe.window(criterion.window()) + ", needs "
                + describe(criterion.frequency())));
        return matches;
    }

    static boolean counts(EventCriterion criterion, Definition definition, ProfileFacts.EventFact event,
                          Instant now) {
        return criterion.window().contains(event.time(), now) && couldCount(criterion, definition, event, now);
    }

    /**
     * Whether new events can only make a profile match, never stop it matching, all else (its facts, the time, other
     * audiences) unchanged: every event criterion asks for more than or at least a count, none sits under an
     * Exclude, and nothing reads the last-seen time or membership. Real time then leaves members that only received
     * events as they are.
     */
    public static boolean newEventsOnlyAdd(Definition definition) {
        return onlyGains(definition.root());
    }

    private static boolean onlyGains(Node node) {
        if (node instanceof EventCriterion event) {
            Frequency.Comparison comparison = event.frequency().comparison();
            return comparison == Frequency.Comparison.GREATER_THAN || comparison == Frequency.Comparison.AT_LEAST;
        }
        if (node instanceof Group group) {
            return group.items().stream().allMatch(item -> item.connector() == Connector.EXCLUDE
                    ? readsNoEvents(item.node()) : onlyGains(item.node()));
        }
        return readsNoEvents(node);
    }

    /** Whether the verdict of {@code node} is the same whatever events a profile has. */
    private static boolean readsNoEvents(Node node) {
        if (node instanceof UserCriterion user) {
            return user.field() != UserField.LAST_SEEN;
        }
        if (node instanceof Group group) {
            return group.items().stream().allMatch(item -> readsNoEvents(item.node()));
        }
        return false;
    }

    /**
     * Whether the criterion counts the event, its time window aside: an event it could not count changes none of its
     * counts, now or as time passes (real time re-evaluates a profile for its new events only where this holds; a
     * relative date condition starting to hold later is the time sweep's, as for every profile).
     */
    public static boolean couldCount(EventCriterion criterion, Definition definition, ProfileFacts.EventFact event,
                                     Instant now) {
        if (!event.eventType().equals(criterion.kind().eventType())
                || !TextRule.equal(event.eventKey(), criterion.eventKey())
                || (!definition.inputIds().isEmpty() && !definition.inputIds().contains(event.inputId()))) {
            return false;
        }
        if (criterion.customEventType() != null && (event.customEventType() == null
                || !TextRule.equal(event.customEventType(), criterion.customEventType()))) {
            return false;
        }
        if (criterion.kind().impliedTrueAttribute().isPresent()) {
            JsonNode flag = event.attributes().get(criterion.kind().impliedTrueAttribute().get());
            if (flag == null || !flag.isValueNode() || flag.isNull() || !TextRule.equal(flag.asText(), "true")) {
                return false;
            }
        }
        return criterion.conditions().stream().allMatch(condition ->
                ValueMatcher.matches(condition, event.attributes().get(condition.attribute()), now));
    }

    private static boolean user(UserCriterion criterion, String path, ProfileFacts profile, Instant now,
                                List<Verdict.CriterionVerdict> verdicts) {
        Condition condition = criterion.condition();
        boolean matches = switch (criterion.field()) {
            case ATTRIBUTE -> ValueMatcher.matches(condition, profile.userAttributes().get(condition.attribute()), now);
            case IDENTITY -> ValueMatcher.matches(condition, profile.identities().get(condition.attribute()), now);
            case DEVICE -> ValueMatcher.matches(condition, profile.deviceInfo().get(condition.attribute()), now);
            case PLATFORM -> ValueMatcher.matches(condition, platformList(profile), now);
            case COUNTRY -> ValueMatcher.matchesText(condition, profile.country(), now);
            case REGION -> ValueMatcher.matchesText(condition, profile.region(), now);
            case CITY -> ValueMatcher.matchesText(condition, profile.city(), now);
            case FIRST_SEEN -> ValueMatcher.matchesTime(condition, profile.firstSeen(), now);
            case LAST_SEEN -> ValueMatcher.matchesTime(condition, profile.lastSeen(), now);
        };
        verdicts.add(new Verdict.CriterionVerdict(path, criterion, matches, matches ? "matches" : "does not match"));
        return matches;
    }

    private static ArrayNode platformList(ProfileFacts profile) {
        ArrayNode platforms = JsonNodeFactory.instance.arrayNode();
        profile.platforms().fieldNames().forEachRemaining(platforms::add);
        return platforms;
    }

    static String describe(Frequency frequency) {
        return switch (frequency.comparison()) {
            case GREATER_THAN -> "> " + frequency.count();
            case AT_LEAST -> "at least " + frequency.count();
            case EXACTLY -> "exactly " + frequency.count();
            case LESS_THAN -> "< " + frequency.count();
            case BETWEEN -> "between " + frequency.count() + " and " + frequency.max();
        };
    }
}
