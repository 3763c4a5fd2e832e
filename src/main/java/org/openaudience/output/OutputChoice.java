package org.openaudience.output;

/** An output as the Connect tab offers it: no URL or secret, which not everyone who connects may see. */
public record OutputChoice(long id, String name, OutputKind kind) {

    public String label() {
        return name + " (" + kind.label() + ")";
    }
}
