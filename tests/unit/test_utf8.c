/* test_utf8: the trust boundary. Valid and invalid byte tables (overlongs,
 * surrogates, truncation, > U+10FFFF, lone continuations, NUL), maximal
 * subpart replacement, exact sanitiser output, and a randomised cross-check
 * of decode against sanitize. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ui/text/utf8.h"

/* A byte string with its length (literals may hold NUL). */
typedef struct bytes {
    const char *s;
    size_t len;
} bytes;
#define B(lit)                                                                                     \
    {                                                                                              \
        (lit), sizeof(lit) - 1                                                                     \
    }

static const struct valid_case {
    const char *name;
    bytes in;
} valid_cases[] = {
    {"empty", B("")},
    {"ascii", B("hiroba 広場")},
    {"NUL is valid UTF-8", B("a\0b")},
    {"U+0080", B("\xC2\x80")},
    {"U+07FF", B("\xDF\xBF")},
    {"U+0800", B("\xE0\xA0\x80")},
    {"U+D7FF below surrogates", B("\xED\x9F\xBF")},
    {"U+E000 above surrogates", B("\xEE\x80\x80")},
    {"U+FFFD itself", B("\xEF\xBF\xBD")},
    {"U+FFFF", B("\xEF\xBF\xBF")},
    {"U+10000", B("\xF0\x90\x80\x80")},
    {"U+10FFFF", B("\xF4\x8F\xBF\xBF")},
    {"emoji", B("\xF0\x9F\x98\x80")},
    {"long ascii then kana", B("0123456789abcdefghij\xE3\x81\x82")},
};

static const struct invalid_case {
    const char *name;
    bytes in;
    size_t bad_offset;
} invalid_cases[] = {
    {"lone continuation", B("\x80"), 0},
    {"continuation after ascii", B("a\xBF"), 1},
    {"overlong NUL C0 80", B("\xC0\x80"), 0},
    {"overlong C1 BF", B("\xC1\xBF"), 0},
    {"overlong E0 80 80", B("\xE0\x80\x80"), 0},
    {"overlong E0 9F BF", B("\xE0\x9F\xBF"), 0},
    {"overlong F0 80 80 80", B("\xF0\x80\x80\x80"), 0},
    {"overlong F0 8F BF BF", B("\xF0\x8F\xBF\xBF"), 0},
    {"surrogate D800", B("\xED\xA0\x80"), 0},
    {"surrogate DFFF", B("\xED\xBF\xBF"), 0},
    {"above U+10FFFF", B("\xF4\x90\x80\x80"), 0},
    {"F5 lead", B("\xF5\x80\x80\x80"), 0},
    {"FE", B("\xFE"), 0},
    {"FF", B("\xFF"), 0},
    {"truncated 3-byte", B("\xE3\x81"), 0},
    {"truncated at end", B("ab\xE3"), 2},
    {"truncated 2-byte before ascii",
     B("\xC3"
       "a"),
     0},
    {"truncated emoji", B("\xF0\x9F\x98"), 0},
    {"bad after 8 ascii (fast path edge)", B("01234567\x80"), 8},
    {"bad after 20 ascii", B("0123456789abcdefghij\xC0"), 20},
    {"bad inside kana text", B("\xE3\x81\x82\xE3\x81\xE3\x81\x84"), 3},
};

static void test_valid_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof valid_cases / sizeof *valid_cases; i++) {
        const struct valid_case *c = &valid_cases[i];
        size_t bad = 12345;
        if (!utf8_valid(c->in.s, c->in.len, &bad))
            fail_msg("%s: rejected at %zu", c->name, bad);
        assert_int_equal(bad, 12345); /* untouched when valid */
    }
}

static void test_invalid_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof invalid_cases / sizeof *invalid_cases; i++) {
        const struct invalid_case *c = &invalid_cases[i];
        size_t bad = 12345;
        if (utf8_valid(c->in.s, c->in.len, &bad))
            fail_msg("%s: accepted", c->name);
        if (bad != c->bad_offset)
            fail_msg("%s: bad offset %zu, want %zu", c->name, bad, c->bad_offset);
        assert_false(utf8_valid(c->in.s, c->in.len, NULL));
    }
}

/* Decoding: the code points and how far each step advanced. */
static const struct decode_case {
    const char *name;
    bytes in;
    uint32_t cps[16];
    size_t n;
} decode_cases[] = {
    {"kana",
     B("\xE3\x81\x82"
       "a"),
     {0x3042, 'a'},
     2},
    {"U+10FFFF", B("\xF4\x8F\xBF\xBF"), {0x10FFFF}, 1},
    {"NUL decodes", B("\0"), {0}, 1},
    /* Unicode 15, Table 3-8: U+FFFD for maximal subparts. */
    {"table 3-8",
     B("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64"),
     {0x61, 0xFFFD, 0xFFFD, 0xFFFD, 0x62, 0xFFFD, 0x63, 0xFFFD, 0xFFFD, 0x64},
     10},
    {"overlong: each byte", B("\xE0\x80\x80"), {0xFFFD, 0xFFFD, 0xFFFD}, 3},
    {"surrogate: each byte", B("\xED\xA0\x80"), {0xFFFD, 0xFFFD, 0xFFFD}, 3},
    {"too big: each byte", B("\xF4\x90\x80\x80"), {0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD}, 4},
    {"truncated emoji: one",
     B("\xF0\x9F\x98"
       "x"),
     {0xFFFD, 'x'},
     2},
    {"truncated kana: one",
     B("\xE3\x81"
       "\xE3\x81\x84"),
     {0xFFFD, 0x3044},
     2},
    {"C0 then continuation", B("\xC0\xAF"), {0xFFFD, 0xFFFD}, 2},
};

static void test_decode_table(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof decode_cases / sizeof *decode_cases; k++) {
        const struct decode_case *c = &decode_cases[k];
        size_t i = 0, n = 0;
        while (i < c->in.len) {
            size_t before = i;
            uint32_t cp = utf8_decode(c->in.s, c->in.len, &i);
            if (i <= before || i > c->in.len)
                fail_msg("%s: bad advance %zu -> %zu", c->name, before, i);
            if (n >= c->n || cp != c->cps[n])
                fail_msg("%s: cp %zu is U+%04X, want U+%04X", c->name, n, (unsigned)cp,
                         n < c->n ? (unsigned)c->cps[n] : 0u);
            n++;
        }
        if (n != c->n)
            fail_msg("%s: %zu code points, want %zu", c->name, n, c->n);
    }
}

static void test_encode_table(void **state)
{
    (void)state;
    static const struct {
        uint32_t cp;
        bytes out;
    } cases[] = {
        {0x00, B("\0")},
        {0x7F, B("\x7F")},
        {0x80, B("\xC2\x80")},
        {0x7FF, B("\xDF\xBF")},
        {0x800, B("\xE0\xA0\x80")},
        {0x3042, B("\xE3\x81\x82")},
        {0xFFFF, B("\xEF\xBF\xBF")},
        {0x10000, B("\xF0\x90\x80\x80")},
        {0x10FFFF, B("\xF4\x8F\xBF\xBF")},
        {0xD800, B("\xEF\xBF\xBD")}, /* surrogates cannot be encoded */
        {0xDFFF, B("\xEF\xBF\xBD")},
        {0x110000, B("\xEF\xBF\xBD")}, /* nor values above U+10FFFF */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char buf[4];
        size_t n = utf8_encode(cases[i].cp, buf);
        assert_int_equal(n, cases[i].out.len);
        assert_memory_equal(buf, cases[i].out.s, n);
    }
}

static void test_encode_decode_roundtrip(void **state)
{
    (void)state;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp += (cp < 0x3100 ? 1 : 7)) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char buf[4];
        size_t n = utf8_encode(cp, buf);
        size_t i = 0;
        assert_true(utf8_valid(buf, n, NULL));
        assert_int_equal(utf8_decode(buf, n, &i), cp);
        assert_int_equal(i, n);
        assert_int_equal(utf8_seq_len((unsigned char)buf[0]), n);
    }
}

static void test_seq_len(void **state)
{
    (void)state;
    static const struct {
        unsigned char b;
        size_t n;
    } cases[] = {
        {0x00, 1}, {0x41, 1}, {0x7F, 1}, {0x80, 1}, {0xBF, 1}, {0xC0, 1}, {0xC1, 1}, {0xC2, 2},
        {0xDF, 2}, {0xE0, 3}, {0xEF, 3}, {0xF0, 4}, {0xF4, 4}, {0xF5, 1}, {0xFF, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_int_equal(utf8_seq_len(cases[i].b), cases[i].n);
}

#define FFFD "\xEF\xBF\xBD"
static const struct sanitize_case {
    const char *name;
    bytes in;
    bytes out;
} sanitize_cases[] = {
    {"empty", B(""), B("")},
    {"valid passes", B("広場 hiroba"), B("広場 hiroba")},
    {"U+FFFD passes", B(FFFD), B(FFFD)},
    {"NUL dropped", B("a\0b\0"), B("ab")},
    {"only NULs", B("\0\0\0"), B("")},
    {"lone continuation", B("a\x80z"), B("a" FFFD "z")},
    {"table 3-8", B("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64"),
     B("a" FFFD FFFD FFFD "b" FFFD "c" FFFD FFFD "d")},
    {"overlong slash", B("\xC0\xAF"), B(FFFD FFFD)},
    {"surrogate", B("\xED\xA0\x80"), B(FFFD FFFD FFFD)},
    {"truncated at end", B("\xE3\x81\x82\xE3\x81"), B("\xE3\x81\x82" FFFD)},
    /* Same length in and out: must still be rewritten, not copied. */
    {"bad byte and two NULs", B("\xC3\0\0"), B(FFFD)},
    {"NUL inside bad run", B("\xE3\0\x81"), B(FFFD FFFD)},
};

static void test_sanitize_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof sanitize_cases / sizeof *sanitize_cases; i++) {
        const struct sanitize_case *c = &sanitize_cases[i];
        size_t n = 999;
        char *out = utf8_sanitize(c->in.s, c->in.len, &n);
        assert_non_null(out);
        if (n != c->out.len || memcmp(out, c->out.s, n) != 0)
            fail_msg("%s: got %zu bytes, want %zu", c->name, n, c->out.len);
        assert_int_equal(out[n], '\0');
        free(out);
    }
}

static void test_sanitize_null_empty(void **state)
{
    (void)state;
    size_t n = 7;
    char *out = utf8_sanitize(NULL, 0, &n);
    assert_non_null(out);
    assert_int_equal(n, 0);
    assert_int_equal(out[0], '\0');
    free(out);
    out = utf8_sanitize("abc", 3, NULL); /* out_len is optional */
    assert_string_equal(out, "abc");
    free(out);
}

/* Random bytes biased toward UTF-8 structure: sanitize must agree with a
 * decode walk, be valid, carry no NUL, and leave valid NUL-free text alone. */
static uint32_t rng_next(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void test_sanitize_matches_decode(void **state)
{
    (void)state;
    static const unsigned char pool[] = {0x00, 'a',  0x7F, 0x80, 0x8F, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2,
                                         0xDF, 0xE0, 0xE3, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
    uint32_t seed = 0x12345678u;
    char in[64];
    char expect[64 * 3];
    for (int round = 0; round < 20000; round++) {
        size_t len = rng_next(&seed) % sizeof in;
        for (size_t i = 0; i < len; i++)
            in[i] = (char)pool[rng_next(&seed) % sizeof pool];
        size_t e = 0;
        for (size_t i = 0; i < len;) {
            uint32_t cp = utf8_decode(in, len, &i);
            if (cp != 0)
                e += utf8_encode(cp, expect + e);
        }
        size_t n;
        char *out = utf8_sanitize(in, len, &n);
        assert_non_null(out);
        assert_int_equal(n, e);
        assert_memory_equal(out, expect, n);
        assert_true(utf8_valid(out, n, NULL));
        assert_null(memchr(out, 0, n));
        if (utf8_valid(in, len, NULL) && !memchr(in, 0, len)) {
            assert_int_equal(n, len);
            assert_memory_equal(out, in, len);
        }
        free(out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_table),
        cmocka_unit_test(test_invalid_table),
        cmocka_unit_test(test_decode_table),
        cmocka_unit_test(test_encode_table),
        cmocka_unit_test(test_encode_decode_roundtrip),
        cmocka_unit_test(test_seq_len),
        cmocka_unit_test(test_sanitize_table),
        cmocka_unit_test(test_sanitize_null_empty),
        cmocka_unit_test(test_sanitize_matches_decode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
