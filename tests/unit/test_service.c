/* test_service: core/service against a real notify socket. The test plays
 * systemd's part the way systemd does it: an AF_UNIX datagram socket named
 * by $NOTIFY_SOCKET, with $WATCHDOG_USEC and $WATCHDOG_PID, read back here,
 * so libsystemd's real sd_notify and sd_watchdog_enabled are what is tested. */
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

#include <sys/socket.h>
#include <sys/un.h>

#include "app/core/service.h"

static char dir[64];
static char socket_path[96];
static int listener = -1;

/* Binds a datagram socket at socket_path, as systemd does. */
static int bind_listener(void)
{
    listener = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (listener < 0)
        return -1;
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", socket_path);
    return bind(listener, (struct sockaddr *)&addr, sizeof addr);
}

/* A fresh socket in a fresh folder, named by $NOTIFY_SOCKET. */
static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/hiroba-test-service-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(socket_path, sizeof socket_path, "%s/notify", dir);
    if (bind_listener() != 0)
        return -1;
    setenv("NOTIFY_SOCKET", socket_path, 1);
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (listener >= 0)
        close(listener);
    listener = -1;
    unlink(socket_path);
    rmdir(dir);
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
    return 0;
}

/* The next datagram as a string, or "" when none is waiting. */
static const char *received(void)
{
    static char buf[4096];
    ssize_t n = recv(listener, buf, sizeof buf - 1, MSG_DONTWAIT);
    buf[n > 0 ? n : 0] = '\0';
    return buf;
}

static void set_watchdog(const char *usec, const char *pid)
{
    if (usec)
        setenv("WATCHDOG_USEC", usec, 1);
    else
        unsetenv("WATCHDOG_USEC");
    if (pid)
        setenv("WATCHDOG_PID", pid, 1);
    else
        unsetenv("WATCHDOG_PID");
}

static void test_not_under_systemd(void **state)
{
    (void)state;
    unsetenv("NOTIFY_SOCKET");
    /* A watchdog without a socket to ping cannot be honoured. */
    char pid[32];
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    set_watchdog("30000000", pid);
    service *s = service_create();
    assert_non_null(s);
    assert_false(service_supervised(s));
    assert_int_equal(service_watchdog_usec(s), 0);
    assert_int_equal(service_ready(s, "up"), 0);
    assert_int_equal(service_status(s, "x"), 0);
    assert_int_equal(service_watchdog(s, 1000), 0);
    assert_int_equal(service_stopping(s), 0);
    assert_string_equal(received(), "");
    service_destroy(s);

    /* NULL is a service that is not under systemd. */
    service_destroy(NULL);
    assert_false(service_supervised(NULL));
    assert_int_equal(service_watchdog_usec(NULL), 0);
    assert_int_equal(service_ready(NULL, "x"), 0);
    assert_int_equal(service_status(NULL, "x"), 0);
    assert_int_equal(service_watchdog(NULL, 0), 0);
    assert_int_equal(service_stopping(NULL), 0);
}

static void test_ready_status_stopping(void **state)
{
    (void)state;
    service *s = service_create();
    assert_true(service_supervised(s));
    assert_int_equal(service_watchdog_usec(s), 0);

    assert_int_equal(service_ready(s, "showing chuo v12"), 1);
    assert_string_equal(received(), "READY=1\nSTATUS=showing chuo v12");
    assert_string_equal(received(), "");
    /* A second READY=1 would be noise: only the new status goes out. */
    assert_int_equal(service_ready(s, "showing chuo v13"), 1);
    assert_string_equal(received(), "STATUS=showing chuo v13");
    assert_int_equal(service_ready(s, NULL), 0);
    assert_string_equal(received(), "");

    /* A status cannot add a field: the newline becomes a space. */
    assert_int_equal(service_status(s, "feed down\nSTOPPING=1"), 1);
    assert_string_equal(received(), "STATUS=feed down STOPPING=1");
    assert_int_equal(service_status(s, NULL), 1);
    assert_string_equal(received(), "STATUS=");

    assert_int_equal(service_stopping(s), 1);
    assert_string_equal(received(), "STOPPING=1");
    service_destroy(s);
}

static void test_ready_without_status(void **state)
{
    (void)state;
    service *s = service_create();
    assert_int_equal(service_ready(s, NULL), 1);
    assert_string_equal(received(), "READY=1");
    service_destroy(s);
}

/* What systemd (or a person) may put in the environment, and the interval
 * the kiosk must then keep. */
static void test_watchdog_environment(void **state)
{
    (void)state;
    char self[32], other[32];
    snprintf(self, sizeof self, "%ld", (long)getpid());
    snprintf(other, sizeof other, "%ld", (long)getpid() + 1);
    static const struct {
        const char *usec;
        int pid; /* 0 unset, 1 this process, 2 another */
        uint64_t want;
    } cases[] = {
        {"30000000", 1, 30000000}, /* WatchdogSec=30 */
        {"30000000", 0, 30000000}, /* no PID: meant for whoever reads it */
        {"30000000", 2, 0},        /* inherited from a parent: not ours */
        {"1", 1, 1},
        {NULL, 1, 0},
        {"", 1, 0},
        {"0", 1, 0},
        {"-5", 1, 0},
        {"abc", 1, 0},
        {"30s", 1, 0},
        {"18446744073709551616", 1, 0}, /* overflows 64 bits */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        set_watchdog(cases[i].usec, cases[i].pid == 0 ? NULL : cases[i].pid == 1 ? self : other);
        service *s = service_create();
        assert_non_null(s);
        if (service_watchdog_usec(s) != cases[i].want)
            fail_msg("case %zu (WATCHDOG_USEC=%s): watchdog %llu, want %llu", i,
                     cases[i].usec ? cases[i].usec : "(unset)",
                     (unsigned long long)service_watchdog_usec(s),
                     (unsigned long long)cases[i].want);
        int sent = service_watchdog(s, 1000);
        assert_int_equal(sent, cases[i].want ? 1 : 0);
        assert_string_equal(received(), cases[i].want ? "WATCHDOG=1" : "");
        service_destroy(s);
    }
}

/* Called on every turn of the loop, it pings every half interval. */
static void test_watchdog_rate(void **state)
{
    (void)state;
    set_watchdog("30000000", NULL);
    service *s = service_create();
    static const struct {
        int64_t now_ms;
        int sent;
    } turns[] = {
        {1000, 1},                          /* the first turn pings at once */
        {1016, 0},                          /* the next frame: not due */
        {15999, 0},                         /* just under half of 30 s */
        {16000, 1},                         /* half the interval since the last */
        {16001, 0}, {31000, 1}, {90000, 1}, /* a long frame: late, but pings as soon as it can */
        {90001, 0}, {80000, 1},             /* a clock that went back never silences it */
    };
    for (size_t i = 0; i < sizeof turns / sizeof turns[0]; i++) {
        int rc = service_watchdog(s, turns[i].now_ms);
        if (rc != turns[i].sent)
            fail_msg("turn %zu at %lld ms: sent %d, want %d", i, (long long)turns[i].now_ms, rc,
                     turns[i].sent);
        assert_string_equal(received(), turns[i].sent ? "WATCHDOG=1" : "");
    }
    service_destroy(s);
}

/* Nobody listening on the socket: an error, retried on the next turn. */
static void test_socket_gone(void **state)
{
    (void)state;
    set_watchdog("30000000", NULL);
    service *s = service_create();
    close(listener);
    listener = -1;
    unlink(socket_path);
    assert_int_equal(service_ready(s, "up"), -1);
    assert_int_equal(service_watchdog(s, 1000), -1);
    assert_int_equal(service_stopping(s), -1);

    /* Listening again at the same path: the next turn pings, and READY=1,
     * never sent, still goes out. */
    assert_int_equal(bind_listener(), 0);
    assert_int_equal(service_watchdog(s, 1001), 1);
    assert_string_equal(received(), "WATCHDOG=1");
    assert_int_equal(service_ready(s, "up"), 1);
    assert_string_equal(received(), "READY=1\nSTATUS=up");
    service_destroy(s);
}

static void test_status_clean(void **state)
{
    (void)state;
    char long_ascii[400];
    memset(long_ascii, 'a', sizeof long_ascii - 1);
    long_ascii[sizeof long_ascii - 1] = '\0';
    char long_kana[400] = ""; /* "あ" is 3 bytes: 133 of them */
    for (int i = 0; i < 133; i++)
        strcat(long_kana, "\xe3\x81\x82");
    char want_ascii[SERVICE_STATUS_MAX];
    memset(want_ascii, 'a', SERVICE_STATUS_MAX - 1);
    want_ascii[SERVICE_STATUS_MAX - 1] = '\0';
    char want_kana[SERVICE_STATUS_MAX] = ""; /* 66 × 3 = 198 bytes fit in 199 */
    for (int i = 0; i < 66; i++)
        strcat(want_kana, "\xe3\x81\x82");

    static const char *const inputs_outputs[][2] = {
        {"showing chuo v12", "showing chuo v12"},
        {"", ""},
        {"同期しました", "同期しました"},
        {"a\nREADY=1", "a READY=1"},
        {"tab\there\r\n", "tab here  "},
        {"bell\a del\x7f", "bell  del "},
        {"bad \xff byte", "bad ? byte"},
        {"lone \x80 continuation", "lone ? continuation"},
        {"cut \xe3\x81", "cut ??"},                  /* a truncated sequence */
        {"overlong \xc0\xaf", "overlong ??"},        /* '/' spelled in two bytes */
        {"overlong3 \xe0\x80\xaf", "overlong3 ???"}, /* and in three */
        {"surrogate \xed\xa0\x80", "surrogate ???"},
        {"too high \xf4\x90\x80\x80", "too high ????"},
        {"max \xf4\x8f\xbf\xbf", "max \xf4\x8f\xbf\xbf"}, /* U+10FFFF is fine */
        {"emoji \xf0\x9f\x98\x80", "emoji \xf0\x9f\x98\x80"},
    };
    char out[SERVICE_STATUS_MAX];
    for (size_t i = 0; i < sizeof inputs_outputs / sizeof inputs_outputs[0]; i++) {
        size_t n = service_status_clean(out, sizeof out, inputs_outputs[i][0]);
        if (strcmp(out, inputs_outputs[i][1]) != 0)
            fail_msg("case %zu: \"%s\" -> \"%s\", want \"%s\"", i, inputs_outputs[i][0], out,
                     inputs_outputs[i][1]);
        assert_int_equal(n, strlen(out));
    }

    assert_int_equal(service_status_clean(out, sizeof out, long_ascii), SERVICE_STATUS_MAX - 1);
    assert_string_equal(out, want_ascii);
    assert_int_equal(service_status_clean(out, sizeof out, long_kana), 198);
    assert_string_equal(out, want_kana);
    /* A bigger buffer still gets one line of at most SERVICE_STATUS_MAX - 1. */
    char big[1024];
    assert_int_equal(service_status_clean(big, sizeof big, long_ascii), SERVICE_STATUS_MAX - 1);
    /* A small one is respected, and never gets half a character. */
    char small[5];
    assert_int_equal(service_status_clean(small, sizeof small, "\xe3\x81\x82\xe3\x81\x82"), 3);
    assert_string_equal(small, "\xe3\x81\x82");
    assert_int_equal(service_status_clean(small, sizeof small, NULL), 0);
    assert_string_equal(small, "");
    assert_int_equal(service_status_clean(small, 0, "x"), 0);
    assert_int_equal(service_status_clean(NULL, 10, "x"), 0);

    /* What goes on the wire is the cleaned text. */
    service *s = service_create();
    assert_int_equal(service_status(s, long_kana), 1);
    char want_wire[SERVICE_STATUS_MAX + 16];
    snprintf(want_wire, sizeof want_wire, "STATUS=%s", want_kana);
    assert_string_equal(received(), want_wire);
    service_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_not_under_systemd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ready_status_stopping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ready_without_status, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watchdog_environment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watchdog_rate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_socket_gone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_clean, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
