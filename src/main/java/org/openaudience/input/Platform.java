package org.openaudience.input;

/**
 * Where an input's events come from. {@link #wireName()} is the mParticle {@code device_info.platform} value the
 * input's events default to; feeds have none.
 */
public enum Platform {
    IOS("iOS", "iOS"),
    ANDROID("Android", "Android"),
    WEB("Web", "web"),
    TVOS("tvOS", "tvOS"),
    ROKU("Roku", "roku"),
    XBOX("Xbox", "Xbox"),
    SMART_TV("Smart TV", "SmartTV"),
    ALEXA("Alexa", "Alexa"),
    CUSTOM_FEED("Custom feed", null),
    SERVER_TO_SERVER("Server-to-server", null);

    private final String label;
    private final String wireName;

    Platform(String label, String wireName) {
        this.label = label;
        this.wireName = wireName;
    }

    public String label() {
        return label;
    }

    public String wireName() {
        return wireName;
    }

    public boolean isFeed() {
        return wireName == null;
    }
}
