/* test_log: core/log: line format, levels, de-duplication, the rate limit
 * per kind of line, journald priorities, the recent ring, the ui_log sink
 * and concurrent writers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
    unsetenv("JOURNAL_STREAM");
    log_set_journal(-1);
    log_reset();
    log_set_dedup_window_ms(60000);
    log_set_rate_limit(LOG_LIMIT_BURST, LOG_LIMIT_PERIOD_MS);
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

/* Lines of a kind beyond the burst are suppressed, counted, and said in one
 * summary once the kind has earned a line again; numbers do not make a new
 * kind, another module or level does. Interleaved kinds (which defeat the
 * "last line" de-duplication) are limited each on its own. */
static void test_rate_limit(void **state)
{
    (void)state;
    log_set_rate_limit(3, 150);
    for (int i = 0; i < 20; i++) {
        LOG_WARN("feeds", "queue failed: HTTP 50%d (attempt %d)", i % 4, i);
        LOG_WARN("feeds", "vacancy failed: timeout after %d ms", 1000 + i);
    }
    LOG_ERROR("feeds", "queue failed: HTTP 503 (attempt 99)"); /* another level: its own kind */
    collect();
    assert_int_equal(n_lines, 7);
    assert_string_equal(body(0), "warn feeds: queue failed: HTTP 500 (attempt 0)");
    assert_string_equal(body(5), "warn feeds: vacancy failed: timeout after 1002 ms");
    assert_string_equal(body(6), "error feeds: queue failed: HTTP 503 (attempt 99)");
    assert_int_equal(log_suppressed_total(), 34);
    log_tick(); /* no token earned yet: nothing to say */
    collect();
    assert_int_equal(n_lines, 7);
    sleep_ms(200);
    log_tick();
    collect();
    assert_int_equal(n_lines, 9);
    regex_t re;
    assert_int_equal(regcomp(&re,
                             "^warn feeds: \\(suppressed 17 similar lines since "
                             "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}[+-][0-9]{2}:[0-9]{2}\\)$",
                             REG_EXTENDED | REG_NOSUB),
                     0);
    for (size_t i = 7; i < 9; i++)
        if (regexec(&re, body(i), 0, NULL, 0) != 0)
            fail_msg("not a summary: %s", lines[i]);
    regfree(&re);
    /* The summary took the earned line: the next one waits for another. */
    LOG_WARN("feeds", "queue failed: HTTP 502 (attempt 21)");
    collect();
    assert_int_equal(n_lines, 9);
    sleep_ms(200);
    LOG_WARN("feeds", "queue failed: HTTP 502 (attempt 22)");
    collect();
    assert_int_equal(n_lines, 11);
    assert_non_null(strstr(body(9), "(suppressed 1 similar line since "));
    assert_string_equal(body(10), "warn feeds: queue failed: HTTP 502 (attempt 22)");
}

/* A feed failing every few milliseconds for a second stands for one failing
 * every five seconds for a month (the same ratio of period to interval):
 * far fewer lines than failures, and every failure accounted for. */
static void test_rate_limit_long_run(void **state)
{
    (void)state;
    log_set_rate_limit(2, 100);
    log_set_dedup_window_ms(20); /* the "last line" window, scaled the same way */
    int failures = 0;
    for (int64_t t = 0; t < 1000; t += 2, failures++) {
        LOG_WARN("feeds", "queue failed: HTTP 503");
        sleep_ms(2);
        log_tick();
    }
    log_flush();
    collect();
    unsigned long said = 0; /* failures the log accounts for */
    size_t plain = 0;
    for (size_t i = 0; i < n_lines; i++) {
        unsigned long n;
        if (sscanf(body(i), "warn feeds: (suppressed %lu similar", &n) == 1 ||
            sscanf(body(i), "warn feeds: (last message repeated %lu", &n) == 1) {
            said += n;
        } else {
            assert_string_equal(body(i), "warn feeds: queue failed: HTTP 503");
            said++;
            plain++;
        }
    }
    assert_int_equal(said, (unsigned long)failures);
    /* About two lines per period (a line and a summary), whatever the rate. */
    if (n_lines > 40 || plain > 20)
        fail_msg("%zu lines (%zu failures printed) for %d failures", n_lines, plain, failures);
}

/* More kinds than slots: the least recent kind is forgotten, and what it
 * had suppressed is said first. */
static void test_rate_limit_evicts(void **state)
{
    (void)state;
    log_set_rate_limit(1, 60000);
    LOG_WARN("a", "first kind");
    LOG_WARN("b", "x");
    LOG_WARN("a", "first kind"); /* not the last line: limited, suppressed */
    collect();
    assert_int_equal(n_lines, 2);
    char module[8];
    for (int i = 0; i < LOG_LIMIT_KINDS; i++) {
        snprintf(module, sizeof module, "m%c%c", 'a' + i / 26, 'a' + i % 26);
        LOG_INFO(module, "another kind");
    }
    collect();
    size_t found = 0;
    for (size_t i = 0; i < n_lines; i++)
        found += strncmp(body(i), "warn a: (suppressed 1 similar line since ", 41) == 0;
    assert_int_equal(found, 1);
}

/* Under systemd, stderr is the journal: lines carry syslog priorities and no
 * time stamp (journald adds its own), but only when the output is the very
 * stream $JOURNAL_STREAM names. */
static void test_journal(void **state)
{
    (void)state;
    struct stat st;
    assert_int_equal(fstat(fileno(capture), &st), 0);
    char env[64];
    static const struct {
        int mode;
        int ino_delta; /* 0: $JOURNAL_STREAM names the capture file */
        const char *value;
        bool journal;
    } cases[] = {
        {-1, 0, NULL, true},   {-1, 1, NULL, false}, {-1, 0, "", false}, {-1, 0, "12", false},
        {-1, 0, "x:y", false}, {0, 0, NULL, false},  {1, 0, "", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setup(NULL);
        if (cases[i].value)
            snprintf(env, sizeof env, "%s", cases[i].value);
        else
            snprintf(env, sizeof env, "%llu:%llu", (unsigned long long)st.st_dev,
                     (unsigned long long)st.st_ino + (unsigned long long)cases[i].ino_delta);
        setenv("JOURNAL_STREAM", env, 1);
        log_set_journal(cases[i].mode);
        log_set_level(LOG_LEVEL_DEBUG);
        LOG_ERROR("sync", "e");
        LOG_WARN("sync", "w");
        LOG_INFO("sync", "i");
        LOG_DEBUG("sync", "d");
        collect();
        assert_int_equal(n_lines, 4);
        static const char *const want[] = {"<3>error sync: e", "<4>warn sync: w", "<6>info sync: i",
                                           "<7>debug sync: d"};
        for (size_t k = 0; k < 4; k++) {
            if (cases[i].journal)
                assert_string_equal(lines[k], want[k]);
            else if (strcmp(body(k), want[k] + 3) != 0 || lines[k][0] == '<')
                fail_msg("case %zu: %s", i, lines[k]);
        }
    }
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
        cmocka_unit_test_setup(test_rate_limit, setup),
        cmocka_unit_test_setup(test_rate_limit_long_run, setup),
        cmocka_unit_test_setup(test_rate_limit_evicts, setup),
        cmocka_unit_test_setup(test_journal, setup),
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
