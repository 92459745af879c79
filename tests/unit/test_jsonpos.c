/* test_jsonpos: core/jsonpos. Paths to line:column (keys with escapes, empty
 * keys, indexes, prefixes), path strings both ways, the path at an offset of
 * broken text, the depth pre-check, and every prefix and many corruptions of
 * a document scanned without a read out of bounds (run it under ASan). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/core/jsonpos.h"

/* Written with ' for " (swapped at run time). \u0072 is 'r'. */
static const char doc_src[] = "{\n"
                              "  'items': [\n"
                              "    {'id': 'a', 'duration': 10},\n"
                              "    {'id': 'b', 'title': {'ja': '健診', 'en': 'x'}, "
                              "'du\\u0072ation': 5}\n"
                              "  ],\n"
                              "  'objects': {'logo.png': {'size': 1}, 'a\\'b': 2},\n"
                              "  '': {'x': [[1, 2], [3, {'deep': true}]]}\n"
                              "}\n";

static char *dq(const char *s)
{
    char *d = strdup(s);
    assert_non_null(d);
    for (char *p = d; *p; p++)
        if (*p == '\'')
            *p = '"'; /* so \' becomes the escaped quote \" */
    return d;
}

static void test_locate(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        jsonpos_target target;
        int ret;
        uint32_t line, column;
        size_t matched;
    } cases[] = {
        {"", JSONPOS_VALUE, 0, 1, 1, 0},
        {"items", JSONPOS_VALUE, 0, 2, 12, 1},
        {"items", JSONPOS_KEY, 0, 2, 3, 1},
        {"items[0]", JSONPOS_VALUE, 0, 3, 5, 2},
        {"items[0]", JSONPOS_KEY, 0, 3, 5, 2}, /* an index has no key: its value */
        {"items[0].duration", JSONPOS_VALUE, 0, 3, 29, 3},
        {"items[1].title.en", JSONPOS_VALUE, 0, 4, 45, 4},
        {"items[1].title.ja", JSONPOS_VALUE, 0, 4, 33, 4},
        {"items[1].duration", JSONPOS_KEY, 0, 4, 51, 3}, /* written with an escape */
        {"items[1].duration", JSONPOS_VALUE, 0, 4, 68, 3},
        {"items[2]", JSONPOS_VALUE, 1, 2, 12, 1},
        {"items[0].durtion", JSONPOS_VALUE, 1, 3, 5, 2},
        {"items.id", JSONPOS_VALUE, 1, 2, 12, 1},
        {"nothing", JSONPOS_VALUE, 1, 1, 1, 0},
        {"objects[\"logo.png\"].size", JSONPOS_VALUE, 0, 6, 36, 3},
        {"objects[\"a\\\"b\"]", JSONPOS_KEY, 0, 6, 40, 2},
        {"[\"\"].x[1][1].deep", JSONPOS_VALUE, 0, 7, 35, 5},
        {"[\"\"].x[1][1].deep", JSONPOS_KEY, 0, 7, 27, 5},
        {"[\"\"].x[0][1]", JSONPOS_VALUE, 0, 7, 18, 4},
        {"[\"\"].x[0][2]", JSONPOS_VALUE, 1, 7, 14, 3},
        {"items[", JSONPOS_VALUE, -1, 1, 1, 0},
    };
    char *doc = dq(doc_src);
    size_t len = strlen(doc);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        jsonpos_loc loc;
        int r = jsonpos_locate_str(doc, len, cases[i].path, cases[i].target, &loc);
        if (r != cases[i].ret || loc.line != cases[i].line || loc.column != cases[i].column ||
            (r >= 0 && loc.matched != cases[i].matched))
            fail_msg("%s (%s): %d at %u:%u matched %zu, want %d at %u:%u matched %zu",
                     cases[i].path, cases[i].target == JSONPOS_KEY ? "key" : "value", r, loc.line,
                     loc.column, loc.matched, cases[i].ret, cases[i].line, cases[i].column,
                     cases[i].matched);
    }
    jsonpos_loc loc;
    assert_int_equal(jsonpos_locate_str("  \n ", 4, "", JSONPOS_VALUE, &loc), -1);
    assert_int_equal(loc.line, 1);
    assert_int_equal(jsonpos_locate_str("", 0, "a", JSONPOS_VALUE, &loc), -1);
    free(doc);
}

static void test_paths(void **state)
{
    (void)state;
    static const char *const round_trip[] = {
        "",
        "items",
        "items[3].duration",
        "facility.name.ja-easy",
        "$schema",
        "objects[\"logo.png\"].sha256",
        "[\"\"].x",
        "[0][12]",
        "a[\"x y\"][\"a\\\"b\"].c",
        "items[0].題名",
    };
    for (size_t i = 0; i < sizeof round_trip / sizeof round_trip[0]; i++) {
        jsonpos_seg segs[JSONPOS_MAX_SEGS];
        int n = jsonpos_path_parse(round_trip[i], segs, JSONPOS_MAX_SEGS);
        if (n < 0)
            fail_msg("\"%s\" did not parse", round_trip[i]);
        char buf[128];
        size_t want = jsonpos_path_format(segs, (size_t)n, buf, sizeof buf);
        assert_string_equal(buf, round_trip[i]);
        assert_int_equal(want, strlen(round_trip[i]));
    }
    static const char *const malformed[] = {
        "a..b",  ".a",    "a.",  "a[",     "a[x]", "a]",   "[\"abc",
        "a[-1]", "a[1]b", "a[]", "[\"a\"", "a\"b", "a\\b", "a[1234567890123456789]",
    };
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        jsonpos_seg segs[8];
        if (jsonpos_path_parse(malformed[i], segs, 8) >= 0)
            fail_msg("\"%s\" parsed", malformed[i]);
    }
    jsonpos_seg many[3];
    assert_int_equal(jsonpos_path_parse("a.b.c.d", many, 3), -1);

    /* Decoded keys are quoted when they must be, and long ones shortened. */
    const jsonpos_seg segs[] = {
        {.key = "a.b", .key_len = 3},
        {.key = "", .key_len = 0},
        {.key = "q\"\\\n", .key_len = 4},
        {.index = 7},
        {.key = "ああああああああああああああああああああ", .key_len = 60},
    };
    char buf[256];
    size_t n = jsonpos_path_format(segs, 5, buf, sizeof buf);
    assert_string_equal(buf, "[\"a.b\"][\"\"][\"q\\\"\\\\\\u000a\"][7][\""
                             "あああああああああああああ…\"]");
    assert_int_equal(n, strlen(buf));
    /* A small buffer is cut but terminated, and the wanted length comes back. */
    char small[6];
    assert_int_equal(jsonpos_path_format(segs, 5, small, sizeof small), n);
    assert_string_equal(small, "[\"a.b");
}

static void test_path_at(void **state)
{
    (void)state;
    static const struct {
        const char *text; /* ' for " */
        const char *at;   /* the offset is where this first occurs */
        const char *path;
    } cases[] = {
        {"{'items': [{'id': 'a' 'type': 'card'}]}", "'type'", "items[0]"},
        {"{'items': [{'id': 'a', 'type': }]}", "}]", "items[0].type"},
        {"{'a': 1 'b': 2}", "'b'", ""},
        {"{'a': {'b': [1, 2, tru]}}", "tru", "a.b[2]"},
        {"{'a': {'b': [1, 2, 3}}", "}}", "a.b"},
        {"{'a': 'unterminated", "unterm", "a"},
        {"{'a'  'b'}", "'b'", "a"},
        {"[[[x", "x", "[0][0][0]"},
        {"", "", ""},
        {"{'k\\u0065y': [0, {'x': 1,}]}", ",}", "[\"k\\u0065y\"][1]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *text = dq(cases[i].text);
        char *marker = dq(cases[i].at);
        const char *hit = strstr(text, marker);
        assert_non_null(hit);
        char buf[128];
        jsonpos_path_at(text, strlen(text), (size_t)(hit - text), buf, sizeof buf);
        if (strcmp(buf, cases[i].path) != 0)
            fail_msg("%s at \"%s\": \"%s\", want \"%s\"", cases[i].text, cases[i].at, buf,
                     cases[i].path);
        free(marker);
        free(text);
    }
}

static void test_depth_and_lines(void **state)
{
    (void)state;
    size_t at = 99;
    assert_false(jsonpos_too_deep("[[[]]]", 6, 3, &at));
    assert_true(jsonpos_too_deep("[[[]]]", 6, 2, &at));
    assert_int_equal(at, 2);
    assert_true(jsonpos_too_deep("{\"a\": [{\"b\": 1}]}", 17, 2, &at));
    assert_int_equal(at, 7);
    /* Brackets inside strings, even after an escaped quote, do not count. */
    const char *s = "[\"[[[\\\"[[[\", {\"k[[\": 1}]";
    assert_false(jsonpos_too_deep(s, strlen(s), 2, &at));
    /* Closers beyond the opened ones do not wrap the count around. */
    assert_false(jsonpos_too_deep("]]]]][[", 7, 2, &at));
    assert_true(jsonpos_too_deep("]]]]][[[", 8, 2, &at));
    assert_int_equal(at, 7);
    /* An unterminated string stops the scan (the parser reports it). */
    assert_false(jsonpos_too_deep("[\"[[[[[[", 8, 2, &at));

    uint32_t line, col;
    const char *t = "あい\nう\r\nx";
    jsonpos_linecol(t, strlen(t), 3, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 2);
    jsonpos_linecol(t, strlen(t), 7, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 1);
    jsonpos_linecol(t, strlen(t), strlen(t) - 1, &line, &col);
    assert_int_equal(line, 3);
    assert_int_equal(col, 1);
    jsonpos_linecol(t, strlen(t), 1000, &line, &col); /* clamped */
    assert_int_equal(line, 3);
    assert_int_equal(col, 2);
}

/* Deterministic xorshift, so a failure reproduces. */
static uint32_t next_rand(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void scan_all(const char *text, size_t len)
{
    static const char *const paths[] = {"items[1].duration", "objects[\"a\\\"b\"]",
                                        "[\"\"].x[1][1].deep", "items[0]", ""};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        jsonpos_loc loc;
        int r = jsonpos_locate_str(text, len, paths[i], JSONPOS_KEY, &loc);
        assert_true(r >= -1 && r <= 1);
        assert_true(loc.offset <= len && loc.line >= 1 && loc.column >= 1);
    }
    char buf[64];
    for (size_t off = 0; off <= len; off += 7)
        assert_true(jsonpos_path_at(text, len, off, buf, sizeof buf) >= strlen(buf));
    size_t at = 0;
    if (jsonpos_too_deep(text, len, 2, &at))
        assert_true(at < len && (text[at] == '[' || text[at] == '{'));
}

static void test_any_bytes(void **state)
{
    (void)state;
    char *doc = dq(doc_src);
    size_t len = strlen(doc);
    /* Every prefix, copied so ASan sees the exact end. */
    for (size_t n = 0; n <= len; n++) {
        char *cut = malloc(n ? n : 1);
        memcpy(cut, doc, n);
        scan_all(cut, n);
        free(cut);
    }
    /* Corruptions: bytes replaced by JSON punctuation or anything at all. */
    static const char punct[] = "{}[]\":,\\ u0";
    uint32_t seed = 0x9E3779B9u;
    for (int round = 0; round < 3000; round++) {
        char *bad = malloc(len);
        memcpy(bad, doc, len);
        int edits = 1 + (int)(next_rand(&seed) % 4);
        for (int e = 0; e < edits; e++) {
            size_t at = next_rand(&seed) % len;
            uint32_t r = next_rand(&seed);
            bad[at] = (r & 1) ? punct[(r >> 1) % (sizeof punct - 1)] : (char)(r >> 8);
        }
        scan_all(bad, len);
        free(bad);
    }
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_locate),    cmocka_unit_test(test_paths),
        cmocka_unit_test(test_path_at),   cmocka_unit_test(test_depth_and_lines),
        cmocka_unit_test(test_any_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
