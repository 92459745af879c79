/* test_sync_backoff: sync_next_delay_ms, the poll delay after failures:
 * the plain interval without failures, exponential growth of the ceiling,
 * the cap, full jitter (spread, never above the ceiling nor below base/2),
 * and different kiosks (seeds) not moving in step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "app/core/sync.h"

typedef struct backoff_case {
    unsigned failures;
    uint32_t base, cap;
    uint32_t lo, hi; /* every delay within [lo, hi] */
} backoff_case;

static const backoff_case cases[] = {
    {0, 60000, 3600000, 60000, 60000},      /* healthy: the poll interval itself */
    {1, 60000, 3600000, 30000, 120000},     /* ceiling base * 2 */
    {3, 60000, 3600000, 30000, 480000},     /* ceiling base * 8 */
    {10, 60000, 3600000, 30000, 3600000},   /* capped */
    {1000, 60000, 3600000, 30000, 3600000}, /* no overflow with huge counts */
    {4, 1000, 5000, 500, 5000},
    {2, 60000, 0, 30000, 240000}, /* cap 0: no cap */
};

static void test_bounds_and_spread(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const backoff_case *tc = &cases[i];
        uint64_t rng = 12345 + i;
        uint32_t min = UINT32_MAX, max = 0;
        for (int k = 0; k < 2000; k++) {
            uint32_t d = sync_next_delay_ms(tc->failures, tc->base, tc->cap, &rng);
            if (d < tc->lo || d > tc->hi)
                fail_msg("case %zu: delay %u outside [%u, %u]", i, d, tc->lo, tc->hi);
            min = d < min ? d : min;
            max = d > max ? d : max;
        }
        if (tc->lo != tc->hi) {
            /* Full jitter: the draws cover most of the range. */
            uint64_t span = tc->hi - tc->lo;
            assert_true(min < tc->lo + span / 10);
            assert_true(max > tc->hi - span / 10);
        }
    }
}

static void test_seeds_differ(void **state)
{
    (void)state;
    uint64_t a = 1, b = 2, zero = 0;
    int same = 0;
    for (int k = 0; k < 100; k++) {
        uint32_t da = sync_next_delay_ms(5, 60000, 3600000, &a);
        uint32_t db = sync_next_delay_ms(5, 60000, 3600000, &b);
        same += da == db;
    }
    assert_true(same < 5);
    /* A zero seed is replaced, not stuck at zero. */
    sync_next_delay_ms(5, 60000, 3600000, &zero);
    assert_true(zero != 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bounds_and_spread),
        cmocka_unit_test(test_seeds_differ),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
