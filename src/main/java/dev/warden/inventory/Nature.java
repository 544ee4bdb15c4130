package dev.warden.inventory;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Whether an identity is used by machines or by a person. Sources such as AWS IAM mix both; Warden
 * classifies them (with the reason recorded) and keeps humans apart from the NHI inventory.
 */
public enum Nature {
    MACHINE,
    HUMAN;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Nature parse(String text) {
        return InventoryText.parseEnum(Nature.class, "nature", text);
    }
}
