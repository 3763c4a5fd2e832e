package org.openaudience.audience.ui;

import com.vaadin.flow.component.html.Span;
import java.text.NumberFormat;
import java.util.Locale;
import org.openaudience.calculation.CalculationProgress;

/**
 * An audience's size with a small pie of its calculation's progress, drawn with a CSS conic gradient. Focus or hover
 * shows "Calculating — 64%"; a complete audience shows the size alone.
 */
class ProgressPie extends Span {

    private static final NumberFormat COUNT = NumberFormat.getIntegerInstance(Locale.US);

    ProgressPie(CalculationProgress progress) {
        addClassName("audience-size");
        if (CalculationProgress.NEVER.equals(progress)) { // a draft: no size yet, which is not a size of 0
            Span none = new Span("—");
            none.getElement().setAttribute("title", "Not calculated yet: activate to calculate");
            none.getElement().setAttribute("aria-label", "Not calculated yet");
            add(none);
            return;
        }
        Span size = new Span(COUNT.format(progress.calculating() ? progress.calculatingSize() : progress.size()));
        size.addClassName("audience-size-count");
        if (progress.calculating()) {
            add(pie(progress.percent()), size);
        } else if (progress.lastError() != null) {
            Span failed = new Span("Failed");
            failed.getElement().setAttribute("title", progress.lastError());
            failed.getElement().getThemeList().add("badge error small");
            add(size, failed);
        } else {
            add(size);
        }
    }

    /** The pie alone: a circle filled to the percentage, which its tooltip and accessible name say. */
    static Span pie(int percent) {
        Span pie = new Span();
        pie.addClassName("progress-pie");
        pie.getStyle().set("background", "conic-gradient(var(--lumo-primary-color) " + percent * 3.6
                + "deg, var(--lumo-contrast-20pct) 0deg)");
        String text = "Calculating — " + percent + "%";
        pie.getElement().setAttribute("title", text);
        pie.getElement().setAttribute("role", "img");
        pie.getElement().setAttribute("aria-label", text);
        pie.getElement().setAttribute("tabindex", "0");
        return pie;
    }
}
