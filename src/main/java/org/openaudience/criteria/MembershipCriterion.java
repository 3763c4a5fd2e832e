package org.openaudience.criteria;

/**
 * Users in ({@code member}) or not in another audience of the workspace, by its complete membership. The audience
 * pointed at may not contain membership criteria itself, so references never form cycles.
 */
public record MembershipCriterion(long audienceId, boolean member) implements Node {
}
