package org.openaudience.output;

/** Where an output delivers membership messages (PRODUCT.md §3.7). */
public enum OutputKind {
    WEBHOOK("Webhook"), FILE_DROP("CSV file drop");

    private final String label;

    OutputKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
