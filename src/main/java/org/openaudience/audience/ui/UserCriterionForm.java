package org.openaudience.audience.ui;

import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.select.Select;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.openaudience.audience.Audience;
import org.openaudience.criteria.DataType;
import org.openaudience.criteria.MembershipCriterion;
import org.openaudience.criteria.Node;
import org.openaudience.criteria.UserCriterion;
import org.openaudience.criteria.UserField;

/**
 * A Users criterion: user attributes, identities, device and OS, platform, location, first / last seen, or
 * membership of another audience (only audiences without membership criteria are offered).
 */
class UserCriterionForm extends CriterionForm {

    /** What the criterion looks at; {@code field} is null for audience membership. */
    enum Subject {
        ATTRIBUTE("User attribute", UserField.ATTRIBUTE), IDENTITY("User identity", UserField.IDENTITY),
        DEVICE("Device and OS", UserField.DEVICE), PLATFORM("Platform", UserField.PLATFORM),
        COUNTRY("Country", UserField.COUNTRY), REGION("Region", UserField.REGION), CITY("City", UserField.CITY),
        FIRST_SEEN("First seen", UserField.FIRST_SEEN), LAST_SEEN("Last seen", UserField.LAST_SEEN),
        MEMBERSHIP("Audience membership", null);

        final String label;
        final UserField field;

        Subject(String label, UserField field) {
            this.label = label;
            this.field = field;
        }
    }

    private static final Map<String, DataType> IDENTITIES = Map.of("customer_id", DataType.STRING, "email",
            DataType.STRING, "other", DataType.STRING, "mobile_number", DataType.STRING, "ios_idfa", DataType.STRING,
            "android_aaid", DataType.STRING, "facebook", DataType.STRING, "google", DataType.STRING);
    private static final Map<String, DataType> DEVICE = Map.of("os_version", DataType.STRING, "device_model",
            DataType.STRING, "device_manufacturer", DataType.STRING, "platform", DataType.STRING, "brand",
            DataType.STRING, "screen_width", DataType.NUMBER, "screen_height", DataType.NUMBER);

    private final CriteriaSources sources;
    final Select<Subject> subject = new Select<>();
    final Select<Audience> audience = new Select<>();
    final RadioButtonGroup<Boolean> member = new RadioButtonGroup<>();
    ConditionRow condition;

    UserCriterionForm(CriteriaSources sources, Consumer<Node> onDone, Runnable onCancel) {
        super("Users", onDone, onCancel);
        this.sources = sources;
        subject.setLabel("Look at");
        subject.setItems(Subject.values());
        subject.setItemLabelGenerator(value -> value.label);
        subject.addValueChangeListener(change -> showSubject(change.getValue()));
        audience.setLabel("Audience");
        audience.setItemLabelGenerator(Audience::name);
        audience.setEmptySelectionAllowed(false);
        member.setLabel("Users");
        member.setItems(true, false);
        member.setItemLabelGenerator(in -> in ? "In the audience" : "Not in the audience");
        member.setValue(true);
        add(subject, audience, member);
        subject.setValue(Subject.ATTRIBUTE);
        addButtons();
    }

    private void showSubject(Subject chosen) {
        if (condition != null) {
            remove(condition);
        }
        boolean membership = chosen == Subject.MEMBERSHIP;
        audience.setVisible(membership);
        member.setVisible(membership);
        if (membership) {
            audience.setItems(sources.membershipTargets());
            condition = null;
            return;
        }
        Map<String, DataType> names = switch (chosen) {
            case ATTRIBUTE -> sources.userAttributes();
            case IDENTITY -> IDENTITIES;
            case DEVICE -> DEVICE;
            default -> Map.of();
        };
        boolean named = names != Map.<String, DataType>of();
        condition = new ConditionRow(chosen.label, names, !named);
        condition.remove.setVisible(false);
        if (!named) {
            condition.attribute.setValue(chosen.name().toLowerCase());
        }
        switch (chosen) {
            case PLATFORM -> condition.fixType(DataType.LIST);
            case COUNTRY, REGION, CITY -> condition.fixType(DataType.STRING);
            case FIRST_SEEN, LAST_SEEN -> condition.fixType(DataType.DATE);
            default -> { }
        }
        addComponentAtIndex(indexOf(audience), condition);
    }

    @Override
    Optional<Node> read() {
        Subject chosen = subject.getValue();
        if (chosen == Subject.MEMBERSHIP) {
            if (audience.getValue() == null) {
                audience.setInvalid(true);
                audience.setErrorMessage("Choose an audience.");
                return Optional.empty();
            }
            return Optional.of(new MembershipCriterion(audience.getValue().id(), member.getValue()));
        }
        return condition.read().map(read -> new UserCriterion(chosen.field, read));
    }

    @Override
    void focusFirst() {
        subject.focus();
    }

    void load(Node node) {
        if (node instanceof MembershipCriterion membership) {
            subject.setValue(Subject.MEMBERSHIP);
            sources.membershipTargets().stream().filter(target -> target.id() == membership.audienceId())
                    .findFirst().ifPresent(audience::setValue);
            member.setValue(membership.member());
        } else if (node instanceof UserCriterion user) {
            for (Subject candidate : Subject.values()) {
                if (candidate.field == user.field()) {
                    subject.setValue(candidate);
                }
            }
            condition.load(user.condition());
        }
    }

    @Override
    void showProblem(String field, String message) {
        if (field.equals("audience")) {
            audience.setInvalid(true);
            audience.setErrorMessage(message);
        } else if (condition != null) {
            condition.attribute.setInvalid(true);
            condition.attribute.setErrorMessage(message);
            condition.operator.setHelperText(message);
        }
    }
}
