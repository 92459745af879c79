/* net_body: a response body gathered in memory up to a cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/core/net.h"

static void test_append_within_cap(void **state)
{
    (void)state;
    net_body b = {.max = 10000};
    char chunk[1000];
    for (size_t i = 0; i < sizeof chunk; i++)
        chunk[i] = (char)('a' + i % 26);
    for (int i = 0; i < 10; i++)
        assert_true(net_body_append(&b, chunk, sizeof chunk));
    assert_int_equal(b.len, 10000);
    assert_true(b.cap <= b.max);
    assert_memory_equal(b.buf + 9000, chunk, sizeof chunk);
    assert_false(b.too_big);
    net_body_clear(&b);
    assert_null(b.buf);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.max, 10000); /* kept for the next transfer */
}

/* One byte over the cap refuses the chunk and keeps nothing more. */
static void test_refused_past_cap(void **state)
{
    (void)state;
    static const struct {
        size_t max, first, second;
        bool second_ok;
    } cases[] = {
        {16, 16, 0, true},  {16, 15, 1, true}, {16, 15, 2, false},
        {16, 0, 17, false}, {1, 1, 1, false},  {4096 * 3, 4096, 8193, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        net_body b = {.max = cases[i].max};
        char data[3 * 4096 + 2] = {0};
        if (cases[i].first)
            assert_true(net_body_append(&b, data, cases[i].first));
        assert_int_equal(net_body_append(&b, data, cases[i].second), cases[i].second_ok);
        assert_int_equal(b.too_big, !cases[i].second_ok);
        assert_int_equal(b.len, cases[i].first + (cases[i].second_ok ? cases[i].second : 0));
        assert_true(b.len <= b.max);
        net_body_clear(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_within_cap),
        cmocka_unit_test(test_refused_past_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
