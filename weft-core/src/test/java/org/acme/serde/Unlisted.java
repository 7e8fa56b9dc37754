package org.acme.serde;

/** A user class that the allow-list tests never list (and never let deserialize). */
public record Unlisted(int value) {}
