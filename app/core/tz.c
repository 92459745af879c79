/* tz: TZif (RFC 8536, versions 1-4) and POSIX TZ strings, read into a small
 * table; offsets by binary search, or by the footer rule after the last
 * transition (slim zone files, and any date past 2037 in fat ones).
 * Must never touch $TZ or libc's zone state, and never read past its input. */
#include "app/core/tz.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Far above any real zone (a fat file has a few hundred transitions). */
#define TZ_MAX_FILE  (256 * 1024)
#define TZ_MAX_TIMES 20000
#define TZ_MAX_TYPES 256

/* One date rule of a POSIX TZ string. */
typedef struct tz_rule {
    char kind;    /* 'J': Julian 1..365 without Feb 29; 'D': 0..365; 'M': month.week.day */
    int n;        /* J, D */
    int m, w, d;  /* M */
    int32_t time; /* seconds after local midnight; may be negative or past 24h (TZif v3) */
} tz_rule;

typedef struct tz_posix {
    bool valid;
    bool has_dst;
    int32_t std_off; /* seconds east of UTC */
    int32_t dst_off;
    tz_rule start, end;
} tz_posix;

typedef struct tz_type {
    int32_t off;
    bool dst;
} tz_type;

struct tz_zone {
    char name[TZ_NAME_MAX + 1];
    size_t n_times;
    int64_t *times;     /* ascending */
    uint8_t *time_type; /* index into types, per transition */
    size_t n_types;
    tz_type types[TZ_MAX_TYPES];
    tz_posix footer;
};

/* ---- calendar ---- */

int64_t tz_days_from_civil(int64_t y, int m, int d)
{
    /* H. Hinnant's days_from_civil. */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void tz_civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (mm <= 2);
    *m = mm;
    *d = dd;
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int tz_days_in_month(int64_t y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

int tz_weekday(int64_t days)
{
    int64_t w = (days + 4) % 7; /* 1970-01-01 was a Thursday */
    return (int)(w < 0 ? w + 7 : w);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* ---- POSIX TZ strings: "JST-9", "CET-1CEST,M3.5.0,M10.5.0/3", "<+0330>-3:30" ---- */

static const char *parse_tz_name(const char *p)
{
    if (*p == '<') {
        const char *q = ++p;
        while (*q && *q != '>')
            q++;
        return *q == '>' && q - p >= 3 ? q + 1 : NULL;
    }
    const char *q = p;
    while ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z'))
        q++;
    return q - p >= 3 ? q : NULL;
}

/* [+-]h[h][:mm[:ss]], hours up to max_h. */
static const char *parse_hms(const char *p, int max_h, int32_t *out)
{
    int sign = 1;
    if (*p == '+' || *p == '-')
        sign = *p++ == '-' ? -1 : 1;
    int32_t v[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        if (i > 0) {
            if (*p != ':')
                break;
            p++;
        }
        int digits = 0;
        int32_t n = 0;
        while (*p >= '0' && *p <= '9' && digits < 3) {
            n = n * 10 + (*p++ - '0');
            digits++;
        }
        if (digits == 0)
            return NULL;
        v[i] = n;
    }
    if (v[0] > max_h || v[1] > 59 || v[2] > 59)
        return NULL;
    *out = sign * (v[0] * 3600 + v[1] * 60 + v[2]);
    return p;
}

static const char *parse_int(const char *p, int lo, int hi, int *out)
{
    int n = 0, digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 4) {
        n = n * 10 + (*p++ - '0');
        digits++;
    }
    if (digits == 0 || n < lo || n > hi)
        return NULL;
    *out = n;
    return p;
}

static const char *parse_rule(const char *p, tz_rule *r)
{
    memset(r, 0, sizeof *r);
    if (*p == 'J') {
        r->kind = 'J';
        p = parse_int(p + 1, 1, 365, &r->n);
    } else if (*p == 'M') {
        r->kind = 'M';
        p = parse_int(p + 1, 1, 12, &r->m);
        if (p && *p == '.')
            p = parse_int(p + 1, 1, 5, &r->w);
        else
            p = NULL;
        if (p && *p == '.')
            p = parse_int(p + 1, 0, 6, &r->d);
        else
            p = NULL;
    } else {
        r->kind = 'D';
        p = parse_int(p, 0, 365, &r->n);
    }
    if (!p)
        return NULL;
    r->time = 2 * 3600;
    if (*p == '/')
        p = parse_hms(p + 1, 167, &r->time); /* RFC 8536 3.3.1: -167..167 hours */
    return p;
}

static int parse_posix(const char *s, tz_posix *out)
{
    memset(out, 0, sizeof *out);
    const char *p = parse_tz_name(s);
    int32_t off;
    if (!p || !(p = parse_hms(p, 24, &off)))
        return -1;
    out->std_off = -off; /* POSIX counts west-positive */
    if (*p == '\0') {
        out->valid = true;
        return 0;
    }
    if (!(p = parse_tz_name(p)))
        return -1;
    out->has_dst = true;
    out->dst_off = out->std_off + 3600;
    if (*p != ',' && *p != '\0') {
        if (!(p = parse_hms(p, 24, &off)))
            return -1;
        out->dst_off = -off;
    }
    if (*p == '\0') {
        /* No rule: the C library's customary default (US rules since 2007). */
        out->start = (tz_rule){'M', 0, 3, 2, 0, 7200};
        out->end = (tz_rule){'M', 0, 11, 1, 0, 7200};
        out->valid = true;
        return 0;
    }
    if (*p != ',' || !(p = parse_rule(p + 1, &out->start)))
        return -1;
    if (*p != ',' || !(p = parse_rule(p + 1, &out->end)))
        return -1;
    if (*p != '\0')
        return -1;
    out->valid = true;
    return 0;
}

/* Local seconds since the epoch (no zone applied) at which rule r fires in year y. */
static int64_t rule_local(const tz_rule *r, int64_t y)
{
    int64_t jan1 = tz_days_from_civil(y, 1, 1);
    int64_t day;
    if (r->kind == 'J') {
        day = jan1 + r->n - 1 + (is_leap(y) && r->n >= 60 ? 1 : 0);
    } else if (r->kind == 'D') {
        day = jan1 + r->n;
    } else {
        int64_t first = tz_days_from_civil(y, r->m, 1);
        int delta = (r->d - tz_weekday(first) + 7) % 7;
        int mday = 1 + delta + (r->w - 1) * 7;
        while (mday > tz_days_in_month(y, r->m))
            mday -= 7; /* week 5 means "the last" */
        day = first + mday - 1;
    }
    return day * 86400 + r->time;
}

static int32_t posix_offset(const tz_posix *p, int64_t t, bool *is_dst)
{
    *is_dst = false;
    if (!p->has_dst)
        return p->std_off;
    int64_t y;
    int m, d;
    tz_civil_from_days(floor_div(t + p->std_off, 86400), &y, &m, &d);
    int64_t start = rule_local(&p->start, y) - p->std_off; /* fires on standard time */
    int64_t end = rule_local(&p->end, y) - p->dst_off;     /* fires on daylight time */
    bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
    *is_dst = dst;
    return dst ? p->dst_off : p->std_off;
}

/* ---- TZif ---- */

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const uint8_t *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

typedef struct tzif_header {
    uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
} tzif_header;

/* Reads the 44-byte header at p; returns the data block's size for time
 * fields of tsize bytes, or 0 if the header is bad or the block is not there. */
static size_t read_header(const uint8_t *p, size_t avail, size_t tsize, tzif_header *h)
{
    if (avail < 44 || memcmp(p, "TZif", 4) != 0)
        return 0;
    h->isutcnt = be32(p + 20);
    h->isstdcnt = be32(p + 24);
    h->leapcnt = be32(p + 28);
    h->timecnt = be32(p + 32);
    h->typecnt = be32(p + 36);
    h->charcnt = be32(p + 40);
    if (h->typecnt == 0 || h->typecnt > TZ_MAX_TYPES || h->timecnt > TZ_MAX_TIMES ||
        h->charcnt > 4096 || h->leapcnt > 4096 || (h->isutcnt && h->isutcnt != h->typecnt) ||
        (h->isstdcnt && h->isstdcnt != h->typecnt))
        return 0;
    size_t need = (size_t)h->timecnt * tsize + h->timecnt + (size_t)h->typecnt * 6 + h->charcnt +
                  (size_t)h->leapcnt * (tsize + 4) + h->isstdcnt + h->isutcnt;
    return avail - 44 >= need ? need : 0;
}

static int load_block(tz_zone *z, const uint8_t *p, const tzif_header *h, size_t tsize)
{
    z->n_times = h->timecnt;
    z->n_types = h->typecnt;
    if (z->n_times) {
        z->times = malloc(z->n_times * sizeof *z->times);
        z->time_type = malloc(z->n_times);
        if (!z->times || !z->time_type)
            return -1;
    }
    for (size_t i = 0; i < z->n_times; i++) {
        z->times[i] = tsize == 8 ? be64(p + i * 8) : (int32_t)be32(p + i * 4);
        if (i > 0 && z->times[i] <= z->times[i - 1])
            return -1;
    }
    p += z->n_times * tsize;
    for (size_t i = 0; i < z->n_times; i++) {
        if (p[i] >= h->typecnt)
            return -1;
        z->time_type[i] = p[i];
    }
    p += z->n_times;
    for (size_t i = 0; i < z->n_types; i++) {
        int32_t off = (int32_t)be32(p + i * 6);
        if (off < -89999 || off > 93599 || p[i * 6 + 4] > 1)
            return -1;
        z->types[i].off = off;
        z->types[i].dst = p[i * 6 + 4] == 1;
    }
    return 0;
}

bool tz_name_valid(const char *name)
{
    if (!name || !*name || strlen(name) > TZ_NAME_MAX)
        return false;
    const char *part = name;
    for (const char *p = name;; p++) {
        if (*p == '/' || *p == '\0') {
            size_t n = (size_t)(p - part);
            if (n == 0 || (n == 1 && part[0] == '.') ||
                (n == 2 && part[0] == '.' && part[1] == '.'))
                return false;
            if (*p == '\0')
                return true;
            part = p + 1;
            continue;
        }
        char c = *p;
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '+' || c == '-';
        if (!ok)
            return false;
    }
}

tz_zone *tz_zone_parse(const char *name, const void *data, size_t len, const char **why)
{
    const char *reason = "not a TZif zone file";
    const uint8_t *p = data;
    tz_zone *z = calloc(1, sizeof *z);
    if (!z) {
        reason = "out of memory";
        goto fail;
    }
    snprintf(z->name, sizeof z->name, "%s", name ? name : "");
    tzif_header h1, h2;
    size_t block1 = read_header(p, len, 4, &h1);
    if (!block1)
        goto fail;
    const uint8_t *v2 = p + 44 + block1;
    size_t rest = len - 44 - block1;
    if (p[4] >= '2') {
        size_t block2 = read_header(v2, rest, 8, &h2);
        if (!block2 || load_block(z, v2 + 44, &h2, 8) != 0)
            goto fail;
        /* Footer: "\n" TZ-string "\n"; empty means none. */
        const char *foot = (const char *)v2 + 44 + block2;
        size_t foot_len = rest - 44 - block2;
        if (foot_len >= 2 && foot[0] == '\n') {
            const char *nl = memchr(foot + 1, '\n', foot_len - 1);
            size_t n = nl ? (size_t)(nl - foot - 1) : 0;
            if (nl && n > 0 && n < 128) {
                char tzs[128];
                memcpy(tzs, foot + 1, n);
                tzs[n] = '\0';
                if (parse_posix(tzs, &z->footer) != 0) {
                    reason = "bad TZ rule in the zone file's footer";
                    goto fail;
                }
            }
        }
    } else if (load_block(z, p + 44, &h1, 4) != 0) {
        goto fail;
    }
    return z;
fail:
    if (why)
        *why = reason;
    tz_zone_destroy(z);
    return NULL;
}

tz_zone *tz_zone_load(const char *name, const char **why)
{
    const char *reason = "not in the time zone database (tzdata)";
    uint8_t *buf = NULL;
    int fd = -1;
    if (!tz_name_valid(name)) {
        reason = "not a zone name (like \"Asia/Tokyo\")";
        goto fail;
    }
    const char *dir = getenv("TZDIR");
    char path[512];
    int n = snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
    if (n < 0 || (size_t)n >= sizeof path)
        goto fail;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        goto fail;
    if (st.st_size <= 0 || st.st_size > TZ_MAX_FILE) {
        reason = "not a TZif zone file";
        goto fail;
    }
    size_t size = (size_t)st.st_size;
    buf = malloc(size);
    if (!buf) {
        reason = "out of memory";
        goto fail;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            reason = "unreadable";
            goto fail;
        }
        got += (size_t)r;
    }
    close(fd);
    fd = -1;
    tz_zone *z = tz_zone_parse(name, buf, size, why);
    free(buf);
    return z;
fail:
    if (fd >= 0)
        close(fd);
    free(buf);
    if (why)
        *why = reason;
    return NULL;
}

void tz_zone_destroy(tz_zone *z)
{
    if (!z)
        return;
    free(z->times);
    free(z->time_type);
    free(z);
}

const char *tz_zone_name(const tz_zone *z)
{
    return z ? z->name : "UTC";
}

int32_t tz_zone_offset(const tz_zone *z, int64_t epoch_s, bool *is_dst)
{
    bool dst_dummy;
    if (!is_dst)
        is_dst = &dst_dummy;
    *is_dst = false;
    if (!z)
        return 0;
    /* Beyond a million years either way nobody schedules anything; keep the
     * calendar arithmetic far from overflow. */
    const int64_t far = INT64_C(1) << 45;
    if (epoch_s > far)
        epoch_s = far;
    if (epoch_s < -far)
        epoch_s = -far;
    if (z->n_times == 0 || epoch_s >= z->times[z->n_times - 1]) {
        if (z->footer.valid)
            return posix_offset(&z->footer, epoch_s, is_dst);
        const tz_type *t = &z->types[z->n_times ? z->time_type[z->n_times - 1] : 0];
        *is_dst = t->dst;
        return t->off;
    }
    if (epoch_s < z->times[0]) {
        *is_dst = z->types[0].dst;
        return z->types[0].off;
    }
    /* The last transition at or before epoch_s. */
    size_t lo = 0, hi = z->n_times - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        if (z->times[mid] <= epoch_s)
            lo = mid;
        else
            hi = mid - 1;
    }
    const tz_type *t = &z->types[z->time_type[lo]];
    *is_dst = t->dst;
    return t->off;
}

int tz_zone_local(const tz_zone *z, int64_t epoch_s, struct tm *out)
{
    if (epoch_s > (INT64_C(1) << 50) || epoch_s < -(INT64_C(1) << 50))
        return -1;
    bool dst;
    int32_t off = tz_zone_offset(z, epoch_s, &dst);
    int64_t local = epoch_s + off;
    int64_t days = floor_div(local, 86400);
    int64_t secs = local - days * 86400;
    int64_t y;
    int m, d;
    tz_civil_from_days(days, &y, &m, &d);
    if (y - 1900 > INT_MAX || y - 1900 < INT_MIN)
        return -1;
    memset(out, 0, sizeof *out);
    out->tm_year = (int)(y - 1900);
    out->tm_mon = m - 1;
    out->tm_mday = d;
    out->tm_hour = (int)(secs / 3600);
    out->tm_min = (int)(secs / 60 % 60);
    out->tm_sec = (int)(secs % 60);
    out->tm_wday = tz_weekday(days);
    out->tm_yday = (int)(days - tz_days_from_civil(y, 1, 1));
    out->tm_isdst = dst ? 1 : 0;
    return 0;
}
