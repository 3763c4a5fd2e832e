package org.openaudience.criteria;

/**
 * One thing wrong with a definition.
 *
 * @param path  where: "1" is the first item of the top group, "2.1" the first item of the group that is item 2
 * @param field which part of the criterion ("name", "conditions[0].values", "frequency", "window", …)
 */
public record Problem(String path, String field, String message) {

    @Override
    public String toString() {
        return "Criterion " + path + " · " + field + ": " + message;
    }
}
