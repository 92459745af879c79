/* test_config: core/config: hiroba.conf read through libinih, table-driven:
 * good files, unknown keys (warned about with FILE:LINE, not fatal), bad
 * numbers, repeated trust keys, missing files, the touch kiosk's keys
 * (defaults, ranges, switches, idle screens, stale thresholds) and the
 * emergency alerts' (poll, drills, a trusted CAP source that must be https)
 * and the appliance's (kiosk id, staff PIN never echoed, metrics folder, the
 * warning for a PIN in a file everyone can read). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/core/config.h"
#include "app/core/log.h"

/* The touch kiosk's settings (issue 5). */
typedef struct kiosk_values {
    int touch, idle, furigana, queue_poll, vacancy_poll, queue_stale, vacancy_stale;
    const char *idle_screen;
    double width_mm;
} kiosk_values;

/* The emergency alerts' settings (issue 6). */
typedef struct alert_values {
    int poll, drills;
    const char *cap_trusted_tls; /* NULL: unset */
} alert_values;

#define KIOSK_DEFAULTS                                                                             \
    .touch = -1, .idle = 60, .furigana = 1, .queue_poll = 5, .vacancy_poll = 60,                   \
    .queue_stale = 120, .vacancy_stale = 1800

typedef struct config_case {
    const char *name;
    const char *text; /* NULL: the file does not exist */
    bool must_exist;
    int rc;              /* 0 or -1 */
    const char *err;     /* a substring of the error ("" for none) */
    const char *channel; /* expected values when rc == 0 (NULL: unset) */
    const char *source;
    const char *data;
    size_t n_trust;
    const char *trust_last;
    int poll;
    unsigned warnings;
    const char *log;            /* a substring of what was logged, or NULL */
    const kiosk_values *kiosk;  /* NULL: the defaults */
    const alert_values *alerts; /* NULL: the defaults (poll 5, no drills, no trusted source) */
} config_case;

static const config_case cases[] = {
    {.name = "good",
     .text = "; the city's kiosk\n[kiosk]\ndata = /var/lib/hiroba\nchannel = chuo\n"
             "source = https://signage.example.city/pub\ntrust = /etc/hiroba/city.pub\n"
             "lang = en\npoll_interval = 120\nca_file = /etc/hiroba/ca.pem\n",
     .channel = "chuo",
     .source = "https://signage.example.city/pub",
     .data = "/var/lib/hiroba",
     .n_trust = 1,
     .trust_last = "/etc/hiroba/city.pub",
     .poll = 120},
    {.name = "defaults",
     .text = "[kiosk]\nchannel = minami\n",
     .channel = "minami",
     .poll = CONFIG_DEFAULT_POLL_S},
    {.name = "unknown key warned with its line",
     .text = "[kiosk]\nchannel = a\n\ncolour = blue\n",
     .channel = "a",
     .poll = CONFIG_DEFAULT_POLL_S,
     .warnings = 1,
     .log = "F:4: unknown key \"colour\""},
    {.name = "unknown section warned",
     .text = "[display]\nrotate = 90\n[kiosk]\nchannel = a\n",
     .channel = "a",
     .poll = CONFIG_DEFAULT_POLL_S,
     .warnings = 1,
     .log = "F:2: unknown section [display]"},
    {.name = "repeated trust keeps every key",
     .text = "[kiosk]\ntrust = old.pub\ntrust = new.pub\ntrust = next.pub\n",
     .n_trust = 3,
     .trust_last = "next.pub",
     .poll = CONFIG_DEFAULT_POLL_S},
    {.name = "too many trust keys",
     .text = "[kiosk]\ntrust=1\ntrust=2\ntrust=3\ntrust=4\ntrust=5\ntrust=6\ntrust=7\ntrust=8\n"
             "trust=9\n",
     .rc = -1,
     .err = "F:10: trust: more than 8 keys"},
    {.name = "bad number",
     .text = "[kiosk]\npoll_interval = soon\n",
     .rc = -1,
     .err = "F:2: poll_interval: \"soon\""},
    {.name = "number with junk",
     .text = "[kiosk]\nchannel = a\npoll_interval = 60s\n",
     .rc = -1,
     .err = "F:3: poll_interval"},
    {.name = "zero interval",
     .text = "[kiosk]\npoll_interval = 0\n",
     .rc = -1,
     .err = "F:2: poll_interval"},
    {.name = "empty value",
     .text = "[kiosk]\nchannel =\n",
     .rc = -1,
     .err = "F:2: channel: empty value"},
    {.name = "not an ini line",
     .text = "[kiosk]\nchannel = a\nthis is not a setting\n",
     .rc = -1,
     .err = "F:3: not a \"key = value\" line"},
    {.name = "missing default file is fine",
     .text = NULL,
     .must_exist = false,
     .poll = CONFIG_DEFAULT_POLL_S},
    {.name = "missing --config file is an error",
     .text = NULL,
     .must_exist = true,
     .rc = -1,
     .err = "cannot read F: No such file or directory"},
    /* ---- the touch kiosk and the live boards ---- */
    {.name = "every kiosk key",
     .text = "[kiosk]\ntouch = yes\nidle_timeout = 90\nidle_screen = signage\nfurigana = no\n"
             "queue_poll = 10\nvacancy_poll = 120\nqueue_stale = 300\nvacancy_stale = 3600\n"
             "screen_width_mm = 698.4\n",
     .poll = CONFIG_DEFAULT_POLL_S,
     .kiosk = &(kiosk_values){.touch = 1,
                              .idle = 90,
                              .idle_screen = "signage",
                              .furigana = 0,
                              .queue_poll = 10,
                              .vacancy_poll = 120,
                              .queue_stale = 300,
                              .vacancy_stale = 3600,
                              .width_mm = 698.4}},
    {.name = "touch no, idle never, synonyms",
     .text = "[kiosk]\ntouch = no\nidle_timeout = 0\nfurigana = on\nscreen_width_mm = 0\n",
     .poll = CONFIG_DEFAULT_POLL_S,
     .kiosk = &(kiosk_values){.touch = 0,
                              .idle = 0,
                              .furigana = 1,
                              .queue_poll = 5,
                              .vacancy_poll = 60,
                              .queue_stale = 120,
                              .vacancy_stale = 1800}},
    {.name = "touch auto",
     .text = "[kiosk]\ntouch = yes\ntouch = auto\nidle_screen = childcare\n",
     .poll = CONFIG_DEFAULT_POLL_S,
     .kiosk = &(kiosk_values){KIOSK_DEFAULTS, .idle_screen = "childcare"}},
    {.name = "touch maybe",
     .text = "[kiosk]\ntouch = maybe\n",
     .rc = -1,
     .err = "F:2: touch: \"maybe\" is not auto, yes or no"},
    {.name = "furigana auto is not a thing",
     .text = "[kiosk]\nfurigana = auto\n",
     .rc = -1,
     .err = "F:2: furigana: \"auto\" is not yes or no"},
    {.name = "negative idle",
     .text = "[kiosk]\n\nidle_timeout = -5\n",
     .rc = -1,
     .err = "F:3: idle_timeout: \"-5\" is not a number of seconds (0..86400)"},
    {.name = "idle with a unit",
     .text = "[kiosk]\nidle_timeout = 60s\n",
     .rc = -1,
     .err = "F:2: idle_timeout"},
    {.name = "unknown idle screen",
     .text = "[kiosk]\nidle_screen = specimen\n",
     .rc = -1,
     .err = "F:2: idle_screen: \"specimen\" is not home, signage"},
    {.name = "queue poll zero",
     .text = "[kiosk]\nqueue_poll = 0\n",
     .rc = -1,
     .err = "F:2: queue_poll: \"0\" is not a number of seconds (1..3600)"},
    {.name = "queue poll an hour and a second",
     .text = "[kiosk]\nqueue_poll = 3601\n",
     .rc = -1,
     .err = "F:2: queue_poll"},
    {.name = "vacancy poll too long",
     .text = "[kiosk]\nvacancy_poll = 86401\n",
     .rc = -1,
     .err = "F:2: vacancy_poll"},
    {.name = "stale past a week",
     .text = "[kiosk]\nvacancy_stale = 604801\n",
     .rc = -1,
     .err = "F:2: vacancy_stale"},
    {.name = "stale shorter than the poll",
     .text = "[kiosk]\nqueue_poll = 30\nqueue_stale = 20\nchannel = a\n",
     .rc = -1,
     .err = "F:3: queue_stale (20 s) is shorter than queue_poll (30 s)"},
    {.name = "a slow poll against the default threshold",
     .text = "[kiosk]\nvacancy_poll = 3600\n",
     .rc = -1,
     .err = "F:2: vacancy_stale (1800 s) is shorter than vacancy_poll (3600 s)"},
    {.name = "screen width too small",
     .text = "[kiosk]\nscreen_width_mm = 10\n",
     .rc = -1,
     .err = "F:2: screen_width_mm: \"10\" is not 0 (auto) or a width in mm (50..5000)"},
    {.name = "screen width not a number",
     .text = "[kiosk]\nscreen_width_mm = nan\n",
     .rc = -1,
     .err = "F:2: screen_width_mm"},
    {.name = "screen width in inches",
     .text = "[kiosk]\nscreen_width_mm = 24in\n",
     .rc = -1,
     .err = "F:2: screen_width_mm"},
    /* ---- emergency alerts ---- */
    {.name = "every alert key",
     .text = "[kiosk]\nalert_poll = 2\ndrills = yes\n"
             "cap_trusted_tls = https://bousai.example.city/cap/\n",
     .poll = CONFIG_DEFAULT_POLL_S,
     .alerts = &(alert_values){.poll = 2,
                               .drills = 1,
                               .cap_trusted_tls = "https://bousai.example.city/cap/"}},
    {.name = "drills off, a whole host trusted",
     .text = "[kiosk]\ndrills = off\ncap_trusted_tls = https://bousai.example.city:8443\n",
     .poll = CONFIG_DEFAULT_POLL_S,
     .alerts = &(alert_values){.poll = 5, .cap_trusted_tls = "https://bousai.example.city:8443"}},
    {.name = "alert poll zero",
     .text = "[kiosk]\nalert_poll = 0\n",
     .rc = -1,
     .err = "F:2: alert_poll: \"0\" is not a number of seconds (1..3600)"},
    {.name = "alert poll with a unit",
     .text = "[kiosk]\nchannel = a\nalert_poll = 5s\n",
     .rc = -1,
     .err = "F:3: alert_poll"},
    {.name = "alert poll over an hour",
     .text = "[kiosk]\nalert_poll = 3601\n",
     .rc = -1,
     .err = "F:2: alert_poll"},
    {.name = "drills maybe",
     .text = "[kiosk]\ndrills = auto\n",
     .rc = -1,
     .err = "F:2: drills: \"auto\" is not yes or no"},
    {.name = "trusted CAP source over plain http",
     .text = "[kiosk]\ncap_trusted_tls = http://bousai.example.city/cap/\n",
     .rc = -1,
     .err = "F:2: cap_trusted_tls: \"http://bousai.example.city/cap/\" is not an https:// URL"},
    {.name = "trusted CAP source without a host",
     .text = "[kiosk]\ncap_trusted_tls = https://\n",
     .rc = -1,
     .err = "F:2: cap_trusted_tls"},
    {.name = "trusted CAP source with a dot-dot segment",
     .text = "[kiosk]\ncap_trusted_tls = https://bousai.example.city/cap/../\n",
     .rc = -1,
     .err = "F:2: cap_trusted_tls"},
    {.name = "trusted CAP source with a space",
     .text = "[kiosk]\ncap_trusted_tls = https://bousai.example.city/my cap/\n",
     .rc = -1,
     .err = "F:2: cap_trusted_tls"},
    {.name = "trusted CAP source not a URL",
     .text = "[kiosk]\ncap_trusted_tls = bousai.example.city\n",
     .rc = -1,
     .err = "F:2: cap_trusted_tls"},
};

/* Replaces every "F" followed by ':' or ' ' in pattern by path. */
static void expand(const char *pattern, const char *path, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *p = pattern; *p && o + 1 < cap; p++) {
        if (*p == 'F' && (p[1] == ':' || p[1] == ' ' || p[1] == '\0')) {
            o += (size_t)snprintf(out + o, cap - o, "%s", path);
            if (o >= cap)
                o = cap - 1;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

static void test_cases(void **state)
{
    (void)state;
    char dir[] = "/tmp/hiroba-config-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/hiroba.conf", dir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const config_case *tc = &cases[i];
        print_message("case: %s\n", tc->name);
        unlink(path);
        if (tc->text) {
            FILE *f = fopen(path, "w");
            assert_non_null(f);
            fputs(tc->text, f);
            fclose(f);
        }
        char logbuf[4096] = "";
        FILE *logf = fmemopen(logbuf, sizeof logbuf - 1, "w");
        assert_non_null(logf);
        log_set_stream(logf);
        config c;
        char err[CONFIG_ERROR_MAX] = "";
        int rc = config_load(&c, path, tc->must_exist, err, sizeof err);
        fflush(logf);
        log_set_stream(NULL);
        fclose(logf);
        assert_int_equal(rc, tc->rc);
        char want[512];
        if (tc->rc != 0) {
            expand(tc->err, path, want, sizeof want);
            if (!strstr(err, want))
                fail_msg("%s: error \"%s\" lacks \"%s\"", tc->name, err, want);
            /* A failed load leaves nothing behind. */
            assert_null(c.channel);
            assert_int_equal(c.n_trust, 0);
            continue;
        }
        assert_string_equal(err, "");
        if (tc->channel)
            assert_string_equal(c.channel, tc->channel);
        else
            assert_null(c.channel);
        if (tc->source)
            assert_string_equal(c.source, tc->source);
        if (tc->data)
            assert_string_equal(c.data, tc->data);
        assert_int_equal(c.n_trust, tc->n_trust);
        if (tc->trust_last)
            assert_string_equal(c.trust[c.n_trust - 1], tc->trust_last);
        assert_int_equal(c.poll_interval_s, tc->poll);
        assert_int_equal(c.warnings, tc->warnings);
        const kiosk_values defaults = {KIOSK_DEFAULTS};
        const kiosk_values *k = tc->kiosk ? tc->kiosk : &defaults;
        assert_int_equal(c.touch, k->touch);
        assert_int_equal(c.idle_timeout_s, k->idle);
        assert_int_equal(c.furigana, k->furigana);
        assert_int_equal(c.queue_poll_s, k->queue_poll);
        assert_int_equal(c.vacancy_poll_s, k->vacancy_poll);
        assert_int_equal(c.queue_stale_s, k->queue_stale);
        assert_int_equal(c.vacancy_stale_s, k->vacancy_stale);
        assert_true(c.screen_width_mm == k->width_mm);
        if (k->idle_screen)
            assert_string_equal(c.idle_screen, k->idle_screen);
        else
            assert_null(c.idle_screen);
        const alert_values alert_defaults = {.poll = 5};
        const alert_values *al = tc->alerts ? tc->alerts : &alert_defaults;
        assert_int_equal(c.alert_poll_s, al->poll);
        assert_int_equal(c.drills, al->drills);
        if (al->cap_trusted_tls)
            assert_string_equal(c.cap_trusted_tls, al->cap_trusted_tls);
        else
            assert_null(c.cap_trusted_tls);
        if (tc->log) {
            expand(tc->log, path, want, sizeof want);
            if (!strstr(logbuf, want))
                fail_msg("%s: log \"%s\" lacks \"%s\"", tc->name, logbuf, want);
        }
        config_clear(&c);
        assert_null(c.channel);
        assert_null(c.idle_screen);
        assert_null(c.cap_trusted_tls);
        assert_int_equal(c.idle_timeout_s, 60); /* cleared back to the defaults */
        assert_int_equal(c.alert_poll_s, 5);
    }
    unlink(path);
    rmdir(dir);
}

/* The appliance's keys (issue 7), in a file of a given mode. */
static void test_appliance_keys(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        mode_t mode;
        int rc;
        const char *err; /* substring of the error */
        const char *kiosk_id, *staff_pin, *metrics_dir;
        bool warned; /* the readable-by-all warning */
    } akeys[] = {
        {"[kiosk]\nkiosk_id = chuo-1f-lobby\nstaff_pin = 20261124\nmetrics_dir = /srv/prom\n", 0640,
         0, "", "chuo-1f-lobby", "20261124", "/srv/prom", false},
        {"[kiosk]\nstaff_pin = 2468\n", 0644, 0, "", NULL, "2468", NULL, true},
        {"[kiosk]\nmetrics_dir = off\n", 0644, 0, "", NULL, NULL, "off", false},
        {.text = "[kiosk]\nstaff_pin = 123\n",
         .mode = 0640,
         .rc = -1,
         .err = ":2: staff_pin: want 4 to 8 digits"},
        {.text = "[kiosk]\nstaff_pin = 123456789\n",
         .mode = 0640,
         .rc = -1,
         .err = "staff_pin: want 4 to 8 digits"},
        {.text = "[kiosk]\nstaff_pin = 12a4\n",
         .mode = 0640,
         .rc = -1,
         .err = "staff_pin: want 4 to 8 digits"},
        {.text = "[kiosk]\nstaff_pin = 1234 5678\n",
         .mode = 0640,
         .rc = -1,
         .err = "staff_pin: want 4 to 8 digits"},
        {.text = "[kiosk]\nkiosk_id = "
                 "0123456789012345678901234567890123456789012345678901234567890123\n",
         .mode = 0640,
         .rc = -1,
         .err = "kiosk_id: want 1..63"},
        {.text = "[kiosk]\nmetrics_dir = prom\n",
         .mode = 0640,
         .rc = -1,
         .err = "metrics_dir: \"prom\" is not an absolute"},
    };
    char dir[] = "/tmp/hiroba-config-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/hiroba.conf", dir);
    for (size_t i = 0; i < sizeof akeys / sizeof akeys[0]; i++) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(akeys[i].text, f);
        fclose(f);
        assert_int_equal(chmod(path, akeys[i].mode), 0);
        char logbuf[4096] = "";
        FILE *logf = fmemopen(logbuf, sizeof logbuf - 1, "w");
        assert_non_null(logf);
        log_set_stream(logf);
        config c;
        char err[CONFIG_ERROR_MAX] = "";
        int rc = config_load(&c, path, true, err, sizeof err);
        fflush(logf);
        log_set_stream(NULL);
        fclose(logf);
        assert_int_equal(rc, akeys[i].rc);
        if (rc != 0) {
            if (!strstr(err, akeys[i].err))
                fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err, akeys[i].err);
            /* A wrong PIN is never echoed: it may be one digit off the real one. */
            assert_null(strstr(err, "123"));
            assert_null(strstr(err, "12a4"));
            continue;
        }
#define CHECK(field, want)                                                                         \
    do {                                                                                           \
        if (want)                                                                                  \
            assert_string_equal(c.field, want);                                                    \
        else                                                                                       \
            assert_null(c.field);                                                                  \
    } while (0)
        CHECK(kiosk_id, akeys[i].kiosk_id);
        CHECK(staff_pin, akeys[i].staff_pin);
        CHECK(metrics_dir, akeys[i].metrics_dir);
#undef CHECK
        assert_int_equal(strstr(logbuf, "readable by every user") != NULL, akeys[i].warned);
        assert_null(strstr(logbuf, "2468")); /* nor a right one */
        config_clear(&c);
        assert_null(c.staff_pin);
    }
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_appliance_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
