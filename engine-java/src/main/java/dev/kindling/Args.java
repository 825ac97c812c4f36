package dev.kindling;

/** Checks shared by public entry points: a null argument is an IllegalArgumentException naming the op, not an NPE. */
final class Args {
    private Args() {}

    static <T> T notNull(String op, String name, T value) {
        if (value == null) throw new IllegalArgumentException(op + ": " + name + " must not be null");
        return value;
    }
}
