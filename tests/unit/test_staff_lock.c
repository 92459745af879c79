/* test_staff_lock: core/staff_lock: which PINs are valid, the comparison,
 * the lockout's growth and cap, a clock set back, and the state saved in a
 * real store surviving a reopen (a restart) and a damaged value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/core/log.h"
#include "app/core/staff_lock.h"
#include "app/core/store.h"

static void test_pin_valid(void **state)
{
    (void)state;
    static const struct {
        const char *pin;
        bool valid;
    } cases[] = {
        {"1234", true},    {"00000000", true},  {"123", false},  {"123456789", false},
        {"12a4", false},   {"", false},         {NULL, false},   {" 1234", false},
        {"1234\n", false}, {"１２３４", false}, {"-123", false}, {"9876543", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (staff_pin_valid(cases[i].pin) != cases[i].valid)
            fail_msg("case %zu: \"%s\"", i, cases[i].pin ? cases[i].pin : "(null)");
}

static void test_pin_matches(void **state)
{
    (void)state;
    static const struct {
        const char *configured, *entered;
        bool match;
    } cases[] = {
        {"1234", "1234", true},         {"1234", "1235", false}, {"1234", "12345", false},
        {"12345", "1234", false},       {"1234", "", false},     {"1234", NULL, false},
        {NULL, "1234", false},          {"123", "123", false}, /* not a valid PIN */
        {"12345678", "12345678", true}, {"0000", "0000", true},  {"1234", "1234\0", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (staff_pin_matches(cases[i].configured, cases[i].entered) != cases[i].match)
            fail_msg("case %zu", i);
}

static void test_delays(void **state)
{
    (void)state;
    static const struct {
        uint32_t failures;
        int64_t delay;
    } cases[] = {{0, 0},     {1, 0},     {2, 0},     {3, 30},           {4, 60},
                 {5, 120},   {6, 240},   {7, 480},   {8, 960},          {9, 1920},
                 {10, 3600}, {11, 3600}, {40, 3600}, {UINT32_MAX, 3600}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (staff_lock_delay_s(cases[i].failures) != cases[i].delay)
            fail_msg("%u failures: %lld s", cases[i].failures,
                     (long long)staff_lock_delay_s(cases[i].failures));
}

/* Three wrong PINs lock; while locked even the right one is not tried;
 * afterwards a wrong one locks twice as long, the right one clears. */
static void test_try_sequence(void **state)
{
    (void)state;
    staff_lock l = {0};
    int64_t t = 1795482000;
    assert_int_equal(staff_lock_try(&l, "2468", "1111", t), STAFF_LOCK_WRONG);
    assert_int_equal(staff_lock_remaining(&l, t), 0);
    assert_int_equal(staff_lock_try(&l, "2468", "1111", t + 1), STAFF_LOCK_WRONG);
    assert_int_equal(staff_lock_try(&l, "2468", "1111", t + 2), STAFF_LOCK_WRONG);
    assert_int_equal(staff_lock_remaining(&l, t + 2), 30);
    assert_int_equal(staff_lock_try(&l, "2468", "2468", t + 10), STAFF_LOCK_LOCKED);
    assert_int_equal(l.failures, 3);
    assert_int_equal(staff_lock_remaining(&l, t + 31), 1);
    assert_int_equal(staff_lock_try(&l, "2468", "9999", t + 32), STAFF_LOCK_WRONG);
    assert_int_equal(staff_lock_remaining(&l, t + 32), 60);
    assert_int_equal(staff_lock_try(&l, "2468", "2468", t + 100), STAFF_LOCK_RIGHT);
    assert_int_equal(l.failures, 0);
    assert_int_equal(staff_lock_remaining(&l, t + 100), 0);
    /* A clock set back a day: the lock is cut to the longest, not lifted. */
    l = (staff_lock){.failures = 5, .locked_until = t + 120};
    assert_int_equal(staff_lock_remaining(&l, t - 86400), STAFF_LOCK_MAX_S);
    assert_int_equal(staff_lock_try(&l, "2468", "2468", t - 86400 + 10), STAFF_LOCK_LOCKED);
}

static void test_persisted(void **state)
{
    (void)state;
    char dir[] = "/tmp/hiroba-lock-XXXXXX";
    assert_non_null(mkdtemp(dir));
    store *st = store_open(dir, NULL);
    assert_non_null(st);
    staff_lock l;
    assert_int_equal(staff_lock_load(st, &l), 0);
    assert_int_equal(l.failures, 0);
    int64_t t = 1795482000;
    for (int i = 0; i < 4; i++) {
        l.locked_until = 0; /* tries spaced out past each lock */
        staff_lock_try(&l, "2468", "1357", t + i * 1000);
    }
    assert_int_equal(staff_lock_save(st, &l), 0);
    store_close(st);
    /* A restart: the same lock. */
    st = store_open(dir, NULL);
    assert_non_null(st);
    staff_lock again;
    assert_int_equal(staff_lock_load(st, &again), 0);
    assert_int_equal(again.failures, 4);
    assert_int_equal(again.locked_until, t + 3000 + 60);
    /* A damaged value errs on the locked side. */
    static const char *const damaged[] = {"x", "3", "3 -5", "3 10 junk", ""};
    for (size_t i = 0; i < sizeof damaged / sizeof damaged[0]; i++) {
        assert_int_equal(store_kv_set(st, STAFF_LOCK_KV_KEY, damaged[i]), 0);
        assert_int_equal(staff_lock_load(st, &again), 0);
        assert_true(again.failures >= STAFF_LOCK_FREE_TRIES);
        assert_int_equal(staff_lock_remaining(&again, t), STAFF_LOCK_MAX_S);
    }
    assert_int_equal(staff_lock_load(NULL, &again), 0);
    assert_int_equal(staff_lock_save(NULL, &again), 0);
    store_close(st);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    FILE *devnull = fopen("/dev/null", "w");
    log_set_stream(devnull);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pin_valid), cmocka_unit_test(test_pin_matches),
        cmocka_unit_test(test_delays),    cmocka_unit_test(test_try_sequence),
        cmocka_unit_test(test_persisted),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    log_set_stream(NULL);
    if (devnull)
        fclose(devnull);
    return failed;
}
