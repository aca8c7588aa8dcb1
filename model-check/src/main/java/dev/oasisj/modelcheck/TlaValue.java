package dev.oasisj.modelcheck;

import java.util.List;
import java.util.Objects;

/**
 * A value as TLC prints it (in {@code -simulate} trace files and in error traces).
 *
 * <p>Why a closed (sealed) type: the trace converter must map every shape TLC can print to exactly one canonical JSON
 * form; a sealed hierarchy lets the compiler check that every shape is handled. The variants keep TLC's printed order
 * (TLC prints sets and function domains in its own normalized order); canonical ordering is the JSON writer's job.
 */
public sealed interface TlaValue
        permits TlaValue.Int, TlaValue.Str, TlaValue.Bool, TlaValue.ModelValue, TlaValue.SetValue, TlaValue.Seq,
        TlaValue.Rcd, TlaValue.Fcn {

    /** An integer; TLC integers are 32-bit, a long leaves headroom. */
    record Int(long value) implements TlaValue { }

    /** A TLA+ string, already unescaped. */
    record Str(String value) implements TlaValue {
        public Str { Objects.requireNonNull(value); }
    }

    /** {@code TRUE} or {@code FALSE}. */
    record Bool(boolean value) implements TlaValue { }

    /** A model value (printed as a bare identifier, e.g. {@code p1}, {@code Nil}). */
    record ModelValue(String name) implements TlaValue {
        public ModelValue { Objects.requireNonNull(name); }
    }

    /** A finite set {@code {a, b}}, elements in TLC's printed order. */
    record SetValue(List<TlaValue> elements) implements TlaValue {
        public SetValue { elements = List.copyOf(elements); }
    }

    /**
     * A sequence {@code <<a, b>>}. TLC prints every function whose domain is {@code 1..n} this way (and the empty
     * function as {@code << >>}), so this also stands for such functions.
     */
    record Seq(List<TlaValue> elements) implements TlaValue {
        public Seq { elements = List.copyOf(elements); }
    }

    /** A record {@code [a |-> 1, b |-> "s"]}: a function whose domain is a set of strings, fields in printed order. */
    record Rcd(List<Field> fields) implements TlaValue {
        public Rcd { fields = List.copyOf(fields); }

        /** The value of a field, or null when the record has no such field. */
        public TlaValue get(String name) {
            for (Field f : fields) {
                if (f.name().equals(name)) {
                    return f.value();
                }
            }
            return null;
        }
    }

    /** One {@code name |-> value} pair of a record. */
    record Field(String name, TlaValue value) {
        public Field { Objects.requireNonNull(name); Objects.requireNonNull(value); }
    }

    /** A function printed as {@code (k1 :> v1 @@ k2 :> v2)}: any domain other than strings or {@code 1..n}. */
    record Fcn(List<Mapping> mappings) implements TlaValue {
        public Fcn { mappings = List.copyOf(mappings); }
    }

    /** One {@code key :> value} pair of a function. */
    record Mapping(TlaValue key, TlaValue value) {
        public Mapping { Objects.requireNonNull(key); Objects.requireNonNull(value); }
    }
}
