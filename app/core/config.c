/* config: reads hiroba.conf with libinih (see config.h). Must never accept a
 * malformed value silently, and never fail on a key it does not know. */
#include "app/core/config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include <ini.h>

#include "app/core/alerter.h"
#include "app/core/log.h"
#include "app/core/staff_lock.h"

typedef struct parse_state {
    config *c;
    const char *path;
    FILE *f;
    int line; /* of the line the handler is looking at */
    /* Where these were set, for the checks after the last line (0: not set). */
    int queue_poll_line, queue_stale_line, vacancy_poll_line, vacancy_stale_line;
    char err[CONFIG_ERROR_MAX];
} parse_state;

/* The screens a kiosk may return to when idle (specimen is a test page). */
static const char *const idle_screens[] = {"home", "signage", "queue", "vacancy", "childcare"};

void config_init(config *c)
{
    *c = (config){.poll_interval_s = CONFIG_DEFAULT_POLL_S,
                  .touch = -1,
                  .idle_timeout_s = 60,
                  .furigana = 1,
                  .queue_poll_s = 5,
                  .vacancy_poll_s = 60,
                  .queue_stale_s = 120,
                  .vacancy_stale_s = 1800,
                  .screen_width_mm = 0,
                  .alert_poll_s = 5,
                  .drills = 0};
}

void config_clear(config *c)
{
    if (!c)
        return;
    free(c->data);
    free(c->channel);
    free(c->source);
    free(c->lang);
    free(c->ca_file);
    free(c->idle_screen);
    free(c->cap_trusted_tls);
    free(c->kiosk_id);
    free(c->staff_pin);
    free(c->metrics_dir);
    for (size_t i = 0; i < c->n_trust; i++)
        free(c->trust[i]);
    config_init(c);
}

/* fgets that counts lines, so that the handler can say where. */
static char *read_line(char *str, int num, void *stream)
{
    parse_state *ps = stream;
    char *r = fgets(str, num, ps->f);
    if (r)
        ps->line++;
    return r;
}

static int fail(parse_state *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Keeps the first error (inih goes on parsing); returns 0 for inih. */
static int fail(parse_state *ps, const char *fmt, ...)
{
    if (!ps->err[0]) {
        int n = snprintf(ps->err, sizeof ps->err, "%s:%d: ", ps->path, ps->line);
        if (n > 0 && (size_t)n < sizeof ps->err) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(ps->err + n, sizeof ps->err - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return 0;
}

static int set_string(parse_state *ps, char **slot, const char *name, const char *value)
{
    if (!*value)
        return fail(ps, "%s: empty value", name);
    char *copy = strdup(value);
    if (!copy)
        return fail(ps, "%s: out of memory", name);
    free(*slot); /* the last one wins, as with flags */
    *slot = copy;
    return 1;
}

/* A whole number of seconds in lo..hi (the unit is in the key's name). */
static int set_seconds(parse_state *ps, int *slot, const char *name, const char *value, long lo,
                       long hi)
{
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (errno || end == value || *end || v < lo || v > hi)
        return fail(ps, "%s: \"%s\" is not a number of seconds (%ld..%ld)", name, value, lo, hi);
    *slot = (int)v;
    return 1;
}

/* yes/no (and the usual synonyms); auto too when allow_auto (-1). */
static int set_switch(parse_state *ps, int *slot, const char *name, const char *value,
                      bool allow_auto)
{
    static const struct {
        const char *word;
        int v;
    } words[] = {{"yes", 1}, {"true", 1}, {"on", 1}, {"no", 0}, {"false", 0}, {"off", 0}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strcmp(value, words[i].word) == 0) {
            *slot = words[i].v;
            return 1;
        }
    }
    if (allow_auto && strcmp(value, "auto") == 0) {
        *slot = -1;
        return 1;
    }
    return fail(ps, "%s: \"%s\" is not %s", name, value,
                allow_auto ? "auto, yes or no" : "yes or no");
}

/* The emergency alert keys (issue 6). Returns -1 when name is not one of
 * them. */
static int on_alert_value(parse_state *ps, const char *name, const char *value)
{
    config *c = ps->c;
    if (strcmp(name, "alert_poll") == 0)
        return set_seconds(ps, &c->alert_poll_s, name, value, 1, 3600);
    if (strcmp(name, "drills") == 0)
        return set_switch(ps, &c->drills, name, value, false);
    if (strcmp(name, "cap_trusted_tls") == 0) {
        /* Trust without a signature rests on TLS alone: plain http, or a
         * prefix that does not pin the whole host, would let anyone on the
         * path (or another host) put an alert on the screen. */
        if (strlen(value) > ALERTER_URL_MAX || !alerter_url_trusted(value, value))
            return fail(ps,
                        "cap_trusted_tls: \"%.80s\" is not an https:// URL (https://host/path/, "
                        "no white space, no . or .. segments)",
                        value);
        return set_string(ps, &c->cap_trusted_tls, name, value);
    }
    return -1;
}

/* The touch kiosk and live-board keys (issue 5). Returns -1 when name is
 * not one of them. */
static int on_kiosk_value(parse_state *ps, const char *name, const char *value)
{
    config *c = ps->c;
    if (strcmp(name, "touch") == 0)
        return set_switch(ps, &c->touch, name, value, true);
    if (strcmp(name, "furigana") == 0)
        return set_switch(ps, &c->furigana, name, value, false);
    if (strcmp(name, "idle_timeout") == 0)
        return set_seconds(ps, &c->idle_timeout_s, name, value, 0, CONFIG_MAX_POLL_S);
    if (strcmp(name, "idle_screen") == 0) {
        for (size_t i = 0; i < sizeof idle_screens / sizeof idle_screens[0]; i++)
            if (strcmp(value, idle_screens[i]) == 0)
                return set_string(ps, &c->idle_screen, name, value);
        return fail(ps, "idle_screen: \"%s\" is not home, signage, queue, vacancy or childcare",
                    value);
    }
    if (strcmp(name, "queue_poll") == 0) {
        ps->queue_poll_line = ps->line;
        return set_seconds(ps, &c->queue_poll_s, name, value, 1, 3600);
    }
    if (strcmp(name, "vacancy_poll") == 0) {
        ps->vacancy_poll_line = ps->line;
        return set_seconds(ps, &c->vacancy_poll_s, name, value, 1, CONFIG_MAX_POLL_S);
    }
    if (strcmp(name, "queue_stale") == 0) {
        ps->queue_stale_line = ps->line;
        return set_seconds(ps, &c->queue_stale_s, name, value, 1, 7 * CONFIG_MAX_POLL_S);
    }
    if (strcmp(name, "vacancy_stale") == 0) {
        ps->vacancy_stale_line = ps->line;
        return set_seconds(ps, &c->vacancy_stale_s, name, value, 1, 7 * CONFIG_MAX_POLL_S);
    }
    if (strcmp(name, "screen_width_mm") == 0) {
        char *end;
        errno = 0;
        double v = strtod(value, &end);
        /* 0 is "ask the display"; a real panel is 5 cm to 5 m wide. */
        if (errno || end == value || *end || !isfinite(v) || (v != 0 && (v < 50 || v > 5000)))
            return fail(ps, "screen_width_mm: \"%s\" is not 0 (auto) or a width in mm (50..5000)",
                        value);
        c->screen_width_mm = v;
        return 1;
    }
    return on_alert_value(ps, name, value);
}

/* The appliance's keys (issue 7). Returns -1 when name is not one of them. */
static int on_appliance_value(parse_state *ps, const char *name, const char *value)
{
    config *c = ps->c;
    if (strcmp(name, "kiosk_id") == 0) {
        size_t n = strlen(value);
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f)
                n = 0;
        if (n == 0 || n > 63)
            return fail(ps, "kiosk_id: want 1..63 characters of one line");
        return set_string(ps, &c->kiosk_id, name, value);
    }
    if (strcmp(name, "staff_pin") == 0) {
        if (!staff_pin_valid(value)) /* never echoed: it may be nearly the secret */
            return fail(ps, "staff_pin: want %d to %d digits", STAFF_PIN_MIN, STAFF_PIN_MAX);
        return set_string(ps, &c->staff_pin, name, value);
    }
    if (strcmp(name, "metrics_dir") == 0) {
        if (value[0] != '/' && strcmp(value, "off") != 0)
            return fail(ps, "metrics_dir: \"%.80s\" is not an absolute folder or off", value);
        return set_string(ps, &c->metrics_dir, name, value);
    }
    return -1;
}

static int on_value(void *user, const char *section, const char *name, const char *value)
{
    parse_state *ps = user;
    config *c = ps->c;
    if (strcmp(section, "kiosk") != 0) {
        LOG_WARN("config", "%s:%d: unknown section [%s] (ignored)", ps->path, ps->line, section);
        c->warnings++;
        return 1;
    }
    if (strcmp(name, "data") == 0)
        return set_string(ps, &c->data, name, value);
    if (strcmp(name, "channel") == 0)
        return set_string(ps, &c->channel, name, value);
    if (strcmp(name, "source") == 0)
        return set_string(ps, &c->source, name, value);
    if (strcmp(name, "lang") == 0)
        return set_string(ps, &c->lang, name, value);
    if (strcmp(name, "ca_file") == 0)
        return set_string(ps, &c->ca_file, name, value);
    if (strcmp(name, "trust") == 0) {
        if (c->n_trust == CONFIG_MAX_TRUST)
            return fail(ps, "trust: more than %d keys", CONFIG_MAX_TRUST);
        char *slot = NULL;
        if (!set_string(ps, &slot, name, value))
            return 0;
        c->trust[c->n_trust++] = slot;
        return 1;
    }
    if (strcmp(name, "poll_interval") == 0) {
        char *end;
        errno = 0;
        long v = strtol(value, &end, 10);
        if (errno || end == value || *end || v < 1 || v > CONFIG_MAX_POLL_S)
            return fail(ps, "poll_interval: \"%s\" is not a number of seconds (1..%d)", value,
                        CONFIG_MAX_POLL_S);
        c->poll_interval_s = (int)v;
        return 1;
    }
    int r = on_kiosk_value(ps, name, value);
    if (r >= 0)
        return r;
    r = on_appliance_value(ps, name, value);
    if (r >= 0)
        return r;
    LOG_WARN("config", "%s:%d: unknown key \"%s\" in [kiosk] (ignored)", ps->path, ps->line, name);
    c->warnings++;
    return 1;
}

int config_load(config *c, const char *path, bool must_exist, char *err, size_t errlen)
{
    config_init(c);
    parse_state ps = {.c = c, .path = path};
    ps.f = fopen(path, "r");
    if (!ps.f) {
        if (!must_exist && errno == ENOENT)
            return 0;
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    int rc = ini_parse_stream(read_line, &ps, on_value, &ps);
    struct stat st;
    bool readable_by_all = fstat(fileno(ps.f), &st) == 0 && (st.st_mode & S_IROTH);
    fclose(ps.f);
    if (rc == 0 && !ps.err[0] && c->staff_pin && readable_by_all)
        LOG_WARN("config",
                 "%s is readable by every user and holds staff_pin: chown root:hiroba and "
                 "chmod 0640 it",
                 path);
    /* A badge threshold under the poll interval would flag every board as
     * out of date between two polls. */
    if (rc == 0 && !ps.err[0] && c->queue_stale_s < c->queue_poll_s) {
        ps.line = ps.queue_stale_line ? ps.queue_stale_line : ps.queue_poll_line;
        fail(&ps, "queue_stale (%d s) is shorter than queue_poll (%d s)", c->queue_stale_s,
             c->queue_poll_s);
    }
    if (rc == 0 && !ps.err[0] && c->vacancy_stale_s < c->vacancy_poll_s) {
        ps.line = ps.vacancy_stale_line ? ps.vacancy_stale_line : ps.vacancy_poll_line;
        fail(&ps, "vacancy_stale (%d s) is shorter than vacancy_poll (%d s)", c->vacancy_stale_s,
             c->vacancy_poll_s);
    }
    if (rc == 0 && !ps.err[0])
        return 0;
    if (ps.err[0])
        snprintf(err, errlen, "%s", ps.err);
    else if (rc > 0)
        snprintf(err, errlen, "%s:%d: not a \"key = value\" line or a [section]", path, rc);
    else
        snprintf(err, errlen, "cannot read %s", path);
    config_clear(c);
    return -1;
}
