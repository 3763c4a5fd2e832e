package org.openaudience.criteria;

/** Users by who they are: attributes, identities, device, platforms, location, first / last seen. */
public record UserCriterion(UserField field, Condition condition) implements Node {

    public static UserCriterion attribute(String name, DataType type, Operator operator, String... values) {
        return new UserCriterion(UserField.ATTRIBUTE, Condition.of(name, type, operator, values));
    }
}
