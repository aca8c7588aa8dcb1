package dev.oasisj.core.codec;

/** Input bytes are not a valid encoding. The message names the field and the reason; it never echoes the bytes. */
public final class DecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    public DecodeException(String message) {
        super(message);
    }
}
