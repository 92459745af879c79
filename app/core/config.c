/* config: reads hiroba.conf with libinih (see config.h). Must never accept a
 * malformed value silently, and never fail on a key it does not know. */
#include "app/core/config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "app/core/log.h"

typedef struct parse_state {
    config *c;
    const char *path;
    FILE *f;
    int line; /* of the line the handler is looking at */
    char err[CONFIG_ERROR_MAX];
} parse_state;

void config_init(config *c)
{
    *c = (config){.poll_interval_s = CONFIG_DEFAULT_POLL_S};
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
    fclose(ps.f);
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
