package org.openaudience.criteria;

/** A node of an audience definition: a group of items, or one criterion. */
public sealed interface Node permits Group, EventCriterion, UserCriterion, MembershipCriterion {
}
