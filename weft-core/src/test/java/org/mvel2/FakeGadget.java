package org.mvel2;

/**
 * A harmless stand-in in a package of a known gadget family (MVEL), to prove the deny list refuses
 * it. Not on Fory's own built-in list, so Weft's list is what refuses it.
 */
public record FakeGadget(String expression) {}
