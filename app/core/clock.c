/* clock: real / frozen / offset "now", zone conversion and date formats.
 * Must never change the system time, and never leave $TZ changed behind the
 * caller's back. */
#include "app/core/clock.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/timex.h>

#include "app/core/log.h"
#include "app/core/tz.h"

typedef clock_time (*clock_now_fn)(const clock_source *c);

struct clock_source {
    clock_now_fn now;  /* the backend: real, frozen or offset */
    clock_time frozen; /* frozen: the instant */
    int64_t offset_ms; /* offset: added to the system clock */
};

/* Guards the TZ swap in clock_to_local. */
static pthread_mutex_t tz_mutex = PTHREAD_MUTEX_INITIALIZER;

static clock_time system_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (clock_time){.sec = (int64_t)ts.tv_sec, .ms = (int32_t)(ts.tv_nsec / 1000000)};
}

static clock_time real_now(const clock_source *c)
{
    (void)c;
    return system_now();
}

static clock_time frozen_now(const clock_source *c)
{
    return c->frozen;
}

static clock_time offset_now(const clock_source *c)
{
    clock_time t = system_now();
    int64_t ms = t.sec * 1000 + t.ms + c->offset_ms;
    int64_t sec = ms / 1000;
    int64_t rem = ms % 1000;
    if (rem < 0) {
        rem += 1000;
        sec--;
    }
    return (clock_time){.sec = sec, .ms = (int32_t)rem};
}

/* Reads exactly n digits at *p. */
static int read_digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

int clock_parse_iso8601(const char *s, clock_time *out)
{
    if (!s)
        return -1;
    const char *p = s;
    int y, mo, d, h, mi, sec = 0, ms = 0;
    if (read_digits(&p, 4, &y) || *p++ != '-' || read_digits(&p, 2, &mo) || *p++ != '-' ||
        read_digits(&p, 2, &d))
        return -1;
    if (*p != 'T' && *p != 't' && *p != ' ')
        return -1;
    p++;
    if (read_digits(&p, 2, &h) || *p++ != ':' || read_digits(&p, 2, &mi))
        return -1;
    if (*p == ':') {
        p++;
        if (read_digits(&p, 2, &sec))
            return -1;
        if (*p == '.' || *p == ',') {
            p++;
            int scale = 100, digits = 0;
            while (isdigit((unsigned char)*p)) {
                ms += (*p - '0') * scale;
                scale /= 10;
                p++;
                digits++;
            }
            if (digits == 0)
                return -1;
        }
    }
    int offset_min;
    if (*p == 'Z' || *p == 'z') {
        offset_min = 0;
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1;
        int oh, om;
        if (read_digits(&p, 2, &oh))
            return -1;
        if (*p == ':')
            p++;
        if (read_digits(&p, 2, &om) || oh > 23 || om > 59)
            return -1;
        offset_min = sign * (oh * 60 + om);
    } else {
        return -1;
    }
    if (*p != '\0')
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > tz_days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59)
        return -1;
    int64_t days = tz_days_from_civil(y, mo, d);
    out->sec = days * 86400 + h * 3600 + mi * 60 + sec - (int64_t)offset_min * 60;
    out->ms = ms;
    return 0;
}

/* "+3600", "-90": whole seconds with a mandatory sign. */
static int parse_offset(const char *s, int64_t *out_ms)
{
    if (s[0] != '+' && s[0] != '-')
        return -1;
    if (!isdigit((unsigned char)s[1]))
        return -1;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    /* A century either way is plenty for previews and keeps ms in range. */
    if (errno || *end || v > 3155760000LL || v < -3155760000LL)
        return -1;
    *out_ms = (int64_t)v * 1000;
    return 0;
}

clock_source *clock_create(const char *spec)
{
    clock_source *c = calloc(1, sizeof *c);
    if (!c) {
        LOG_ERROR("clock", "out of memory");
        return NULL;
    }
    c->now = real_now;
    if (!spec || !*spec || strcmp(spec, "real") == 0)
        return c;
    if (parse_offset(spec, &c->offset_ms) == 0) {
        c->now = offset_now;
        return c;
    }
    if (clock_parse_iso8601(spec, &c->frozen) == 0) {
        c->now = frozen_now;
        return c;
    }
    LOG_ERROR("clock",
              "bad clock spec \"%s\": want \"real\", an ISO 8601 time with zone "
              "(2026-11-24T10:00:00+09:00) or an offset in seconds (+3600)",
              spec);
    free(c);
    return NULL;
}

void clock_destroy(clock_source *c)
{
    free(c);
}

clock_time clock_now(const clock_source *c)
{
    return c ? c->now(c) : system_now();
}

bool clock_is_frozen(const clock_source *c)
{
    return c && c->now == frozen_now;
}

int64_t clock_monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool clock_zone_known(const char *tz)
{
    if (!tz || !*tz || tz[0] == '/' || strstr(tz, ".."))
        return false;
    const char *dir = getenv("TZDIR");
    char path[512];
    int n = snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", tz);
    if (n < 0 || (size_t)n >= sizeof path)
        return false;
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int clock_set_process_zone(const char *tz)
{
    if (!tz)
        tz = CLOCK_DEFAULT_TZ;
    if (!clock_zone_known(tz))
        LOG_WARN("clock", "time zone \"%s\" not found in the TZ database; times will be UTC", tz);
    pthread_mutex_lock(&tz_mutex);
    int r = setenv("TZ", tz, 1);
    tzset();
    pthread_mutex_unlock(&tz_mutex);
    return r == 0 ? 0 : -1;
}

int clock_to_local(int64_t sec, const char *tz, struct tm *out)
{
    if (!tz)
        tz = CLOCK_DEFAULT_TZ;
    time_t t = (time_t)sec;
    int r = -1;
    pthread_mutex_lock(&tz_mutex);
    const char *cur = getenv("TZ");
    if (cur && strcmp(cur, tz) == 0) {
        r = localtime_r(&t, out) ? 0 : -1;
        pthread_mutex_unlock(&tz_mutex);
        return r;
    }
    char *saved = cur ? strdup(cur) : NULL;
    if (cur && !saved)
        goto out;
    if (setenv("TZ", tz, 1) != 0)
        goto restore;
    tzset();
    r = localtime_r(&t, out) ? 0 : -1;
restore:
    if (saved)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    free(saved);
out:
    pthread_mutex_unlock(&tz_mutex);
    return r;
}

int clock_local(const clock_source *c, const char *tz, struct tm *out)
{
    return clock_to_local(clock_now(c).sec, tz, out);
}

static int finish_format(int n, char *buf, size_t size)
{
    if (n < 0 || (size_t)n >= size) {
        if (size > 0)
            buf[0] = '\0';
        return -1;
    }
    return n;
}

int clock_format_ja(const struct tm *tm, char *buf, size_t size)
{
    static const char *const wday[] = {"日", "月", "火", "水", "木", "金", "土"};
    if (!tm || tm->tm_wday < 0 || tm->tm_wday > 6)
        return finish_format(-1, buf, size);
    int n = snprintf(buf, size, "%d年%d月%d日(%s) %d:%02d", tm->tm_year + 1900, tm->tm_mon + 1,
                     tm->tm_mday, wday[tm->tm_wday], tm->tm_hour, tm->tm_min);
    return finish_format(n, buf, size);
}

int clock_format_en(const struct tm *tm, char *buf, size_t size)
{
    static const char *const wday[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (!tm || tm->tm_wday < 0 || tm->tm_wday > 6 || tm->tm_mon < 0 || tm->tm_mon > 11)
        return finish_format(-1, buf, size);
    int n = snprintf(buf, size, "%s %d %s %d %02d:%02d", wday[tm->tm_wday], tm->tm_mday,
                     mon[tm->tm_mon], tm->tm_year + 1900, tm->tm_hour, tm->tm_min);
    return finish_format(n, buf, size);
}

bool clock_is_synchronised(const clock_source *c)
{
    if (clock_is_frozen(c))
        return true;
    struct timex tx;
    memset(&tx, 0, sizeof tx); /* modes 0: read only, no privilege needed */
    int state = adjtimex(&tx);
    if (state == -1 || state == TIME_ERROR)
        return false;
    return (tx.status & STA_UNSYNC) == 0;
}
