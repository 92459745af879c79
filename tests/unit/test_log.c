/* test_log: core/log: line format, levels, de-duplication, the recent ring,
 * the ui_log sink and concurrent writers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <pthread.h>
#include <regex.h>

#include "app/core/log.h"

#define MAX_LINES 8192

static FILE *capture;
static char *lines[MAX_LINES];
static size_t n_lines;

static void free_lines(void)
{
    for (size_t i = 0; i < n_lines; i++)
        free(lines[i]);
    n_lines = 0;
}

/* Reads everything logged since the last reset into lines[]. */
static void collect(void)
{
    free_lines();
    fflush(capture);
    rewind(capture);
    char buf[4096];
    while (n_lines < MAX_LINES && fgets(buf, sizeof buf, capture)) {
        buf[strcspn(buf, "\n")] = '\0';
        lines[n_lines++] = strdup(buf);
    }
    fseek(capture, 0, SEEK_END);
}

/* The message part: what follows "<timestamp> ". */
static const char *body(size_t i)
{
    const char *sp = strchr(lines[i], ' ');
    return sp ? sp + 1 : lines[i];
}

static int setup(void **state)
{
    (void)state;
    if (ftruncate(fileno(capture), 0) != 0)
        return -1;
    rewind(capture);
    unsetenv("HIROBA_LOG");
    log_reset();
    log_set_dedup_window_ms(60000);
    free_lines();
    return 0;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void test_format(void **state)
{
    (void)state;
    LOG_WARN("sync", "hello %d", 42);
    LOG_ERROR("net", "two\nlines\tand a tab");
    collect();
    assert_int_equal(n_lines, 2);
    regex_t re;
    assert_int_equal(regcomp(&re,
                             "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
                             "[+-][0-9]{2}:[0-9]{2} warn sync: hello 42$",
                             REG_EXTENDED | REG_NOSUB),
                     0);
    if (regexec(&re, lines[0], 0, NULL, 0) != 0)
        fail_msg("bad line: %s", lines[0]);
    regfree(&re);
    assert_string_equal(body(1), "error net: two lines and a tab");
}

static void test_levels(void **state)
{
    (void)state;
    static const struct {
        const char *env;
        log_level level;
        size_t printed; /* of error, warn, info, debug */
    } cases[] = {
        {NULL, LOG_LEVEL_INFO, 3},   {"error", LOG_LEVEL_ERROR, 1},
        {"warn", LOG_LEVEL_WARN, 2}, {"WARNING", LOG_LEVEL_WARN, 2},
        {"info", LOG_LEVEL_INFO, 3}, {"debug", LOG_LEVEL_DEBUG, 4},
        {"loud", LOG_LEVEL_INFO, 3}, /* unknown: the default */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setup(NULL);
        if (cases[i].env)
            setenv("HIROBA_LOG", cases[i].env, 1);
        log_reset();
        assert_int_equal(log_get_level(), cases[i].level);
        LOG_ERROR("m", "e");
        LOG_WARN("m", "w");
        LOG_INFO("m", "i");
        LOG_DEBUG("m", "d");
        collect();
        if (n_lines != cases[i].printed)
            fail_msg("HIROBA_LOG=%s: %zu lines", cases[i].env ? cases[i].env : "", n_lines);
    }
    log_set_level(LOG_LEVEL_ERROR);
    assert_int_equal(log_get_level(), LOG_LEVEL_ERROR);
    log_level lv;
    assert_int_equal(log_parse_level("nonsense", &lv), -1);
    assert_string_equal(log_level_name(LOG_LEVEL_DEBUG), "debug");
}

/* Repeats are counted; a different message or log_flush prints the count. */
static void test_dedup(void **state)
{
    (void)state;
    for (int i = 0; i < 5; i++)
        LOG_WARN("sync", "server unreachable");
    LOG_WARN("feeds", "server unreachable");  /* other module: not a repeat */
    LOG_ERROR("feeds", "server unreachable"); /* other level: not a repeat */
    LOG_ERROR("feeds", "server unreachable");
    log_flush();
    collect();
    static const char *const want[] = {
        "warn sync: server unreachable",
        "warn sync: (last message repeated 4 times)",
        "warn feeds: server unreachable",
        "error feeds: server unreachable",
        "error feeds: (last message repeated 1 time)",
    };
    assert_int_equal(n_lines, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n_lines; i++)
        assert_string_equal(body(i), want[i]);
}

/* Once the window has passed, log_tick prints the count and the next repeat
 * is printed again. */
static void test_dedup_window(void **state)
{
    (void)state;
    log_set_dedup_window_ms(60);
    LOG_WARN("alert", "feed stale");
    LOG_WARN("alert", "feed stale");
    LOG_WARN("alert", "feed stale");
    log_tick(); /* too early: nothing */
    collect();
    assert_int_equal(n_lines, 1);
    sleep_ms(100);
    log_tick();
    LOG_WARN("alert", "feed stale");
    collect();
    static const char *const want[] = {
        "warn alert: feed stale",
        "warn alert: (last message repeated 2 times)",
        "warn alert: feed stale",
    };
    assert_int_equal(n_lines, 3);
    for (size_t i = 0; i < n_lines; i++)
        assert_string_equal(body(i), want[i]);
    log_set_dedup_window_ms(0); /* off: every line printed */
    LOG_INFO("x", "same");
    LOG_INFO("x", "same");
    collect();
    assert_int_equal(n_lines, 5);
}

static void test_recent(void **state)
{
    (void)state;
    log_set_level(LOG_LEVEL_ERROR); /* the ring keeps warnings even when not printed */
    for (int i = 0; i < 40; i++)
        LOG_WARN("store", "problem %d", i);
    LOG_INFO("store", "not a problem");
    LOG_ERROR("sync", "bad signature");
    LOG_ERROR("sync", "bad signature");
    LOG_ERROR("sync", "bad signature");
    log_entry e[LOG_RECENT_MAX + 4];
    size_t n = log_recent(e, sizeof e / sizeof e[0]);
    assert_int_equal(n, LOG_RECENT_MAX);
    assert_string_equal(e[0].message, "bad signature");
    assert_string_equal(e[0].module, "sync");
    assert_int_equal(e[0].level, LOG_LEVEL_ERROR);
    assert_int_equal(e[0].count, 3);
    assert_true(e[0].last_sec >= e[0].first_sec);
    assert_true(e[0].first_sec > 1700000000);
    for (size_t i = 1; i < n; i++) {
        char want[32];
        snprintf(want, sizeof want, "problem %zu", 40 - i);
        assert_string_equal(e[i].message, want);
        assert_int_equal(e[i].count, 1);
    }
    assert_int_equal(log_recent(e, 2), 2);
    assert_string_equal(e[1].message, "problem 39");
}

/* A long message is cut in the ring on a character boundary. */
static void test_recent_truncates_utf8(void **state)
{
    (void)state;
    char msg[LOG_MESSAGE_MAX * 2];
    size_t len = 0;
    msg[len++] = 'x'; /* puts the 3-byte characters off the cut's alignment */
    while (len + 3 < sizeof msg) {
        memcpy(msg + len, "\xE3\x81\x82", 3); /* あ */
        len += 3;
    }
    msg[len] = '\0';
    LOG_ERROR("text", "%s", msg);
    log_entry e;
    assert_int_equal(log_recent(&e, 1), 1);
    size_t n = strlen(e.message);
    assert_true(n < LOG_MESSAGE_MAX);
    assert_int_equal((n - 1) % 3, 0);
}

static void test_ui_sink(void **state)
{
    (void)state;
    log_set_level(LOG_LEVEL_DEBUG);
    log_ui_sink(NULL, 1, "text", "face missing");
    log_ui_sink(NULL, 3, "atlas", "evicted a shelf");
    log_ui_sink(NULL, 99, "window", "odd level");
    log_ui_sink(NULL, 2, "window", "100% of \"%s\" kept"); /* no format injection */
    collect();
    assert_int_equal(n_lines, 4);
    assert_string_equal(body(0), "warn text: face missing");
    assert_string_equal(body(1), "debug atlas: evicted a shelf");
    assert_string_equal(body(2), "error window: odd level");
    assert_string_equal(body(3), "info window: 100% of \"%s\" kept");
}

#define THREADS    4
#define PER_THREAD 500

static void *writer(void *arg)
{
    int id = (int)(intptr_t)arg;
    for (int i = 0; i < PER_THREAD; i++)
        LOG_INFO("thread", "writer %d message %d with some padding to make lines longer", id, i);
    return NULL;
}

/* Concurrent writers: every line whole, none lost. */
static void test_threads(void **state)
{
    (void)state;
    log_set_dedup_window_ms(0);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, writer, (void *)(intptr_t)i), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    collect();
    assert_int_equal(n_lines, THREADS * PER_THREAD);
    int seen[THREADS] = {0};
    for (size_t i = 0; i < n_lines; i++) {
        int id, k;
        if (sscanf(body(i), "info thread: writer %d message %d with some padding", &id, &k) != 2 ||
            id < 0 || id >= THREADS)
            fail_msg("mangled line: %s", lines[i]);
        assert_int_equal(k, seen[id]); /* each writer's lines in its order */
        seen[id]++;
    }
}

int main(void)
{
    capture = tmpfile();
    if (!capture)
        return 1;
    log_set_stream(capture);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_format, setup),
        cmocka_unit_test_setup(test_levels, setup),
        cmocka_unit_test_setup(test_dedup, setup),
        cmocka_unit_test_setup(test_dedup_window, setup),
        cmocka_unit_test_setup(test_recent, setup),
        cmocka_unit_test_setup(test_recent_truncates_utf8, setup),
        cmocka_unit_test_setup(test_ui_sink, setup),
        cmocka_unit_test_setup(test_threads, setup),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    log_set_stream(NULL);
    free_lines();
    fclose(capture);
    return failed;
}
