/* test_metrics: core/metrics: the Prometheus text is checked by a strict
 * parser of the exposition format written here (HELP and TYPE before each
 * family, families contiguous, names, label escapes, values, no duplicate
 * series, counters named _total, histogram buckets cumulative and ending in
 * +Inf = _count), fed itself a table of broken texts first so that it is
 * known to refuse them; and by Prometheus' own `promtool check metrics`
 * when the build found it. Then the writer: atomic replacement, file mode,
 * folders that are missing, and the interval. */
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

#include "app/core/log.h"
#include "app/core/metrics.h"

/* ---- a strict parser of the text format (version 0.0.4) ---- */

#define MAX_FAMILIES 64
#define MAX_SERIES   256

typedef struct family {
    char name[128];
    char type[16];
    bool help, closed;
} family;

typedef struct parsed {
    family fam[MAX_FAMILIES];
    size_t n_fam;
    char series[MAX_SERIES][256]; /* name{labels} as written */
    double value[MAX_SERIES];
    size_t n_series;
    char err[256];
} parsed;

static bool name_char(char c, bool first, bool colon)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':') ||
           (!first && c >= '0' && c <= '9');
}

/* Reads a metric or label name at *p; returns its length (0: none). */
static size_t read_name(const char **p, char *out, size_t cap, bool colon)
{
    size_t n = 0;
    while (name_char((*p)[n], n == 0, colon) && n + 1 < cap) {
        out[n] = (*p)[n];
        n++;
    }
    out[n] = '\0';
    *p += n;
    return n;
}

static bool read_value(const char *s, double *out)
{
    if (strcmp(s, "+Inf") == 0 || strcmp(s, "-Inf") == 0 || strcmp(s, "NaN") == 0) {
        *out = s[0] == '-' ? -1e308 : 1e308;
        return true;
    }
    char *end;
    *out = strtod(s, &end);
    return end != s && *end == '\0' && strspn(s, "0123456789.eE+-") == strlen(s);
}

static family *find_family(parsed *ps, const char *name)
{
    for (size_t i = 0; i < ps->n_fam; i++)
        if (strcmp(ps->fam[i].name, name) == 0)
            return &ps->fam[i];
    return NULL;
}

/* The family a sample name belongs to (histogram suffixes removed). */
static family *family_of(parsed *ps, const char *name)
{
    family *f = find_family(ps, name);
    if (f)
        return f;
    static const char *const suffixes[] = {"_bucket", "_sum", "_count"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(name), k = strlen(suffixes[i]);
        if (n > k && strcmp(name + n - k, suffixes[i]) == 0) {
            char base[128];
            snprintf(base, sizeof base, "%.*s", (int)(n - k), name);
            f = find_family(ps, base);
            if (f && strcmp(f->type, "histogram") == 0)
                return f;
        }
    }
    return NULL;
}

static int bad(parsed *ps, int line, const char *why)
{
    snprintf(ps->err, sizeof ps->err, "line %d: %s", line, why);
    return -1;
}

static int parse_labels(parsed *ps, int line, const char **p, char *le, size_t le_cap)
{
    le[0] = '\0';
    if (**p != '{')
        return 0;
    (*p)++;
    char seen[8][64];
    size_t n_seen = 0;
    while (**p != '}') {
        char lname[64];
        if (!read_name(p, lname, sizeof lname, false))
            return bad(ps, line, "bad label name");
        for (size_t i = 0; i < n_seen; i++)
            if (strcmp(seen[i], lname) == 0)
                return bad(ps, line, "label twice");
        if (n_seen < 8)
            snprintf(seen[n_seen++], sizeof seen[0], "%s", lname);
        if (*(*p)++ != '=' || *(*p)++ != '"')
            return bad(ps, line, "label without =\"");
        char val[512];
        size_t v = 0;
        for (;;) {
            char c = *(*p)++;
            if (c == '\0' || c == '\n')
                return bad(ps, line, "unterminated label value");
            if (c == '"')
                break;
            if (c == '\\') {
                char e = *(*p)++;
                if (e != '\\' && e != '"' && e != 'n')
                    return bad(ps, line, "bad escape in label value");
                c = e == 'n' ? '\n' : e;
            } else if ((unsigned char)c < 0x20) {
                return bad(ps, line, "control character in label value");
            }
            if (v + 1 < sizeof val)
                val[v++] = c;
        }
        val[v] = '\0';
        if (strcmp(lname, "le") == 0)
            snprintf(le, le_cap, "%.31s", val);
        if (**p == ',')
            (*p)++;
        else if (**p != '}')
            return bad(ps, line, "labels not separated by ,");
    }
    (*p)++;
    return 0;
}

/* Histogram checks for the family f over the series parsed so far. */
static int check_histogram(parsed *ps, const family *f)
{
    double last_le = -1e308, last_count = -1, inf = -1, count = -1;
    bool sum = false;
    char prefix[160];
    snprintf(prefix, sizeof prefix, "%s_bucket{le=\"", f->name);
    for (size_t i = 0; i < ps->n_series; i++) {
        const char *s = ps->series[i];
        if (strncmp(s, prefix, strlen(prefix)) == 0) {
            double le;
            char lev[32];
            snprintf(lev, sizeof lev, "%.*s", (int)strcspn(s + strlen(prefix), "\""),
                     s + strlen(prefix));
            if (!read_value(lev, &le) || le <= last_le || ps->value[i] < last_count)
                return bad(ps, 0, "histogram buckets not rising and cumulative");
            last_le = le;
            last_count = ps->value[i];
            if (strcmp(lev, "+Inf") == 0)
                inf = ps->value[i];
        } else if (strncmp(s, f->name, strlen(f->name)) == 0) {
            const char *rest = s + strlen(f->name);
            if (strcmp(rest, "_count") == 0)
                count = ps->value[i];
            sum = sum || strcmp(rest, "_sum") == 0;
        }
    }
    if (inf < 0 || count < 0 || !sum || inf != count)
        return bad(ps, 0, "histogram without +Inf = _count and _sum");
    return 0;
}

static int parse_exposition(const char *text, parsed *ps)
{
    memset(ps, 0, sizeof *ps);
    size_t len = strlen(text);
    if (len == 0 || text[len - 1] != '\n')
        return bad(ps, 0, "does not end with a newline");
    family *current = NULL;
    int line = 0;
    for (const char *p = text; *p;) {
        const char *eol = strchr(p, '\n');
        char l[1024];
        snprintf(l, sizeof l, "%.*s", (int)(eol - p), p);
        p = eol + 1;
        line++;
        if (!l[0])
            return bad(ps, line, "empty line");
        if (l[0] == '#') {
            char kind[8], name[128], rest[512];
            if (sscanf(l, "# %7s %127s %511[^\n]", kind, name, rest) != 3)
                return bad(ps, line, "comment that is neither HELP nor TYPE");
            family *f = find_family(ps, name);
            if (f && f->closed)
                return bad(ps, line, "family not contiguous");
            if (!f) {
                if (ps->n_fam == MAX_FAMILIES)
                    return bad(ps, line, "too many families");
                if (current)
                    current->closed = true;
                f = &ps->fam[ps->n_fam++];
                snprintf(f->name, sizeof f->name, "%s", name);
                current = f;
            }
            if (strcmp(kind, "HELP") == 0) {
                if (f->help)
                    return bad(ps, line, "HELP twice");
                f->help = true;
            } else if (strcmp(kind, "TYPE") == 0) {
                if (f->type[0])
                    return bad(ps, line, "TYPE twice");
                if (strcmp(rest, "gauge") && strcmp(rest, "counter") && strcmp(rest, "histogram") &&
                    strcmp(rest, "summary") && strcmp(rest, "untyped"))
                    return bad(ps, line, "unknown TYPE");
                snprintf(f->type, sizeof f->type, "%.15s", rest);
                size_t n = strlen(name);
                if (strcmp(rest, "counter") == 0 && (n < 6 || strcmp(name + n - 6, "_total")))
                    return bad(ps, line, "counter not named _total");
            } else {
                return bad(ps, line, "comment that is neither HELP nor TYPE");
            }
            continue;
        }
        const char *q = l;
        char name[128], le[32];
        if (!read_name(&q, name, sizeof name, true))
            return bad(ps, line, "bad metric name");
        family *f = family_of(ps, name);
        if (!f || f != current || !f->help || !f->type[0])
            return bad(ps, line, "sample without its HELP and TYPE just before");
        if (parse_labels(ps, line, &q, le, sizeof le) != 0)
            return -1;
        size_t key_len = (size_t)(q - l);
        if (*q++ != ' ')
            return bad(ps, line, "no space before the value");
        double v;
        if (!read_value(q, &v))
            return bad(ps, line, "bad value");
        if (ps->n_series == MAX_SERIES)
            return bad(ps, line, "too many series");
        snprintf(ps->series[ps->n_series], sizeof ps->series[0], "%.*s", (int)key_len, l);
        for (size_t i = 0; i < ps->n_series; i++)
            if (strcmp(ps->series[i], ps->series[ps->n_series]) == 0)
                return bad(ps, line, "series twice");
        ps->value[ps->n_series++] = v;
    }
    for (size_t i = 0; i < ps->n_fam; i++) {
        if (!ps->fam[i].help || !ps->fam[i].type[0])
            return bad(ps, 0, "family without HELP or TYPE");
        if (strcmp(ps->fam[i].type, "histogram") == 0 && check_histogram(ps, &ps->fam[i]) != 0)
            return -1;
    }
    return 0;
}

static bool has_series(const parsed *ps, const char *series, double *value)
{
    for (size_t i = 0; i < ps->n_series; i++) {
        if (strcmp(ps->series[i], series) == 0) {
            if (value)
                *value = ps->value[i];
            return true;
        }
    }
    return false;
}

/* The checker refuses what it must, or its passes below would mean nothing. */
static void test_parser_refuses_broken_text(void **state)
{
    (void)state;
    static const char *const broken[] = {
        "", "# HELP a x\n# TYPE a gauge\na 1",                      /* no final newline */
        "a 1\n",                                                    /* no HELP/TYPE */
        "# TYPE a gauge\na 1\n",                                    /* no HELP */
        "# HELP a x\n# TYPE a gauge\n# TYPE a gauge\na 1\n",        /* TYPE twice */
        "# HELP a x\n# TYPE a gauge\na{b=\"c\"} 1\na{b=\"c\"} 2\n", /* series twice */
        "# HELP a x\n# TYPE a gauge\na{b=\"c\\q\"} 1\n",            /* bad escape */
        "# HELP a x\n# TYPE a gauge\na{b=\"c} 1\n",                 /* unterminated */
        "# HELP a x\n# TYPE a gauge\na{b=\"c\"d=\"e\"} 1\n",        /* no comma */
        "# HELP a x\n# TYPE a gauge\na one\n",                      /* bad value */
        "# HELP a x\n# TYPE a gauge\na  1\n",                       /* two spaces */
        "# HELP a x\n# TYPE a gauge\n\na 1\n",                      /* empty line */
        "# HELP a x\n# TYPE a counter\na 1\n",                      /* counter not _total */
        "# HELP a x\n# TYPE a gauge\n# HELP b y\n# TYPE b gauge\nb 1\na 1\n", /* interleaved */
        "# HELP 1a x\n# TYPE 1a gauge\n1a 1\n",                               /* bad name */
        /* buckets going down */
        ("# HELP h x\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\n"
         "h_sum 1\nh_count 1\n"),
        "# HELP h x\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 1\n",
        "# HELP a x\n# TYPE a gauge\n# a comment\na 1\n", /* other comments: not ours */
    };
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        parsed *ps = malloc(sizeof *ps);
        assert_non_null(ps);
        if (parse_exposition(broken[i], ps) == 0)
            fail_msg("broken text %zu was accepted:\n%s", i, broken[i]);
        free(ps);
    }
}

/* ---- the format ---- */

static void run_promtool(const char *text)
{
#ifdef HIROBA_PROMTOOL
    char path[] = "/tmp/hiroba-metrics-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "'%s' check metrics < '%s' 2>&1", HIROBA_PROMTOOL, path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char out[4096];
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    int rc = pclose(p);
    unlink(path);
    if (rc != 0 || n != 0)
        fail_msg("promtool check metrics (status %d):\n%s\n---\n%s", rc, out, text);
#else
    (void)text;
#endif
}

static metrics_frames sample_frames(void)
{
    metrics_frames f = {0};
    static const double times[] = {0.0004, 0.003, 0.012, 0.012, 0.02, 0.7, -1, 0.0333};
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++)
        metrics_frames_observe(&f, times[i]);
    return f;
}

static void test_format_full(void **state)
{
    (void)state;
    metrics_frames frames = sample_frames();
    metrics_sample s = {
        .version = "0.7.0",
        .channel = "chuo",
        .have_pack = true,
        .pack_version = 12,
        .pack_age_s = 3600.5,
        .have_sync = true,
        .sync_ok = true,
        .sync_at_s = 1795482000,
        .queue = {.configured = true, .have_age = true, .age_s = 4.25, .failing = false},
        .vacancy = {.configured = true, .have_age = true, .age_s = 900, .failing = true},
        .have_alerts = true,
        .alert_takeover = false,
        .alert_banner = true,
        .frames_total = 8,
        .frames = &frames,
        .rss_bytes = 48 << 20,
        .uptime_s = 86400.25,
        .log_suppressed = 7,
    };
    char buf[METRICS_TEXT_MAX];
    int len = metrics_format(&s, buf, sizeof buf);
    assert_true(len > 0);
    assert_int_equal((size_t)len, strlen(buf));
    parsed *ps = malloc(sizeof *ps);
    assert_non_null(ps);
    if (parse_exposition(buf, ps) != 0)
        fail_msg("%s\n---\n%s", ps->err, buf);
    static const struct {
        const char *series;
        double value;
    } want[] = {
        {"hiroba_build_info{version=\"0.7.0\"}", 1},
        {"hiroba_pack_version{channel=\"chuo\"}", 12},
        {"hiroba_pack_age_seconds{channel=\"chuo\"}", 3600.5},
        {"hiroba_last_sync_success", 1},
        {"hiroba_last_sync_timestamp_seconds", 1795482000},
        {"hiroba_feed_age_seconds{feed=\"queue\"}", 4.25},
        {"hiroba_feed_age_seconds{feed=\"vacancy\"}", 900},
        {"hiroba_feed_failing{feed=\"queue\"}", 0},
        {"hiroba_feed_failing{feed=\"vacancy\"}", 1},
        {"hiroba_alert_active{kind=\"takeover\"}", 0},
        {"hiroba_alert_active{kind=\"banner\"}", 1},
        {"hiroba_frames_total", 8},
        {"hiroba_frame_seconds_bucket{le=\"0.001\"}", 2}, /* 0.0004 and the negative one */
        {"hiroba_frame_seconds_bucket{le=\"0.016\"}", 5},
        {"hiroba_frame_seconds_bucket{le=\"0.033\"}", 6},
        {"hiroba_frame_seconds_bucket{le=\"0.066\"}", 7},
        {"hiroba_frame_seconds_bucket{le=\"0.5\"}", 7},
        {"hiroba_frame_seconds_bucket{le=\"+Inf\"}", 8},
        {"hiroba_frame_seconds_count", 8},
        {"hiroba_resident_memory_bytes", 48 << 20},
        {"hiroba_uptime_seconds", 86400.25},
        {"hiroba_log_suppressed_total", 7},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        double v;
        if (!has_series(ps, want[i].series, &v))
            fail_msg("no %s in:\n%s", want[i].series, buf);
        if (v != want[i].value)
            fail_msg("%s = %g, want %g", want[i].series, v, want[i].value);
    }
    double sum = 0;
    assert_true(has_series(ps, "hiroba_frame_seconds_sum", &sum));
    assert_true(sum > 0.7806 && sum < 0.7808);
    free(ps);
    run_promtool(buf);
}

/* What the kiosk does not know is left out, never written as 0. */
static void test_format_unknowns_left_out(void **state)
{
    (void)state;
    metrics_sample s = {.version = "0.7.0", .rss_bytes = -1, .uptime_s = 1};
    char buf[METRICS_TEXT_MAX];
    assert_true(metrics_format(&s, buf, sizeof buf) > 0);
    parsed *ps = malloc(sizeof *ps);
    assert_non_null(ps);
    if (parse_exposition(buf, ps) != 0)
        fail_msg("%s\n---\n%s", ps->err, buf);
    static const char *const absent[] = {"hiroba_pack_version",     "hiroba_last_sync_success",
                                         "hiroba_feed_failing",     "hiroba_alert_active",
                                         "hiroba_frame_seconds",    "hiroba_resident_memory_bytes",
                                         "hiroba_pack_age_seconds", "hiroba_feed_age_seconds"};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
        if (find_family(ps, absent[i]))
            fail_msg("%s written without a value:\n%s", absent[i], buf);
    assert_true(has_series(ps, "hiroba_frames_total", NULL));
    /* A channel with no pack yet: version 0, no age; a configured feed with
     * nothing shown yet: failing, no age. */
    s.channel = "chuo";
    s.queue = (metrics_feed){.configured = true, .failing = true};
    assert_true(metrics_format(&s, buf, sizeof buf) > 0);
    if (parse_exposition(buf, ps) != 0)
        fail_msg("%s\n---\n%s", ps->err, buf);
    double v;
    assert_true(has_series(ps, "hiroba_pack_version{channel=\"chuo\"}", &v));
    assert_true(v == 0);
    assert_false(find_family(ps, "hiroba_pack_age_seconds"));
    assert_false(find_family(ps, "hiroba_feed_age_seconds"));
    assert_true(has_series(ps, "hiroba_feed_failing{feed=\"queue\"}", &v));
    assert_true(v == 1);
    assert_false(has_series(ps, "hiroba_feed_failing{feed=\"vacancy\"}", NULL));
    free(ps);
    run_promtool(buf);
}

/* Label values from the config (the channel) and the build cannot break the
 * format. */
static void test_label_escaping(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"chuo", "chuo"},
        {"a\"b", "a\\\"b"},
        {"back\\slash", "back\\\\slash"},
        {"two\nlines\r\t", "two lines  "},
        {"\xff\xfe", "??"},
        {"中央", "中央"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64];
        size_t n = metrics_escape_label(cases[i].in, out, sizeof out);
        assert_string_equal(out, cases[i].want);
        assert_int_equal(n, strlen(cases[i].want));
        metrics_sample s = {.version = cases[i].in, .channel = cases[i].in, .rss_bytes = -1};
        char buf[METRICS_TEXT_MAX];
        assert_true(metrics_format(&s, buf, sizeof buf) > 0);
        parsed *ps = malloc(sizeof *ps);
        assert_non_null(ps);
        if (parse_exposition(buf, ps) != 0)
            fail_msg("case %zu: %s\n---\n%s", i, ps->err, buf);
        free(ps);
        run_promtool(buf);
    }
    /* An escape is never cut in half. */
    char small[4];
    assert_int_equal(metrics_escape_label("ab\"", small, sizeof small), 2);
    assert_string_equal(small, "ab");
    assert_int_equal(metrics_escape_label("x", small, 0), 0);
    /* The longest label still fits the file. */
    char longv[600];
    memset(longv, '"', sizeof longv - 1);
    longv[sizeof longv - 1] = '\0';
    metrics_sample s = {.version = longv, .channel = longv, .rss_bytes = -1};
    char buf[METRICS_TEXT_MAX];
    assert_true(metrics_format(&s, buf, sizeof buf) > 0);
}

static void test_format_overflow(void **state)
{
    (void)state;
    metrics_sample s = {.version = "0.7.0", .rss_bytes = -1};
    char buf[64];
    assert_int_equal(metrics_format(&s, buf, sizeof buf), -1);
    assert_string_equal(buf, "");
    assert_int_equal(metrics_format(&s, buf, 0), -1);
}

static void test_rss(void **state)
{
    (void)state;
    int64_t rss = metrics_rss_bytes();
    assert_true(rss > 100 * 1024);
    assert_true(rss < (int64_t)4 << 30);
    /* It follows what the process touches. */
    size_t n = 64 << 20;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, 1, n);
    int64_t after = metrics_rss_bytes();
    assert_true(after - rss > (int64_t)(n * 9 / 10));
    free(big);
}

/* ---- the writer ---- */

static void test_writer(void **state)
{
    (void)state;
    char dir[] = "/tmp/hiroba-textfile-XXXXXX";
    assert_non_null(mkdtemp(dir));
    metrics *m = metrics_create(dir);
    assert_non_null(m);
    char want_path[256];
    snprintf(want_path, sizeof want_path, "%s/hiroba.prom", dir);
    assert_string_equal(metrics_path(m), want_path);
    assert_true(metrics_due(m, 0));
    metrics_sample s = {.version = "0.7.0", .frames_total = 1, .rss_bytes = -1};
    mode_t old = umask(0077); /* the file is for node_exporter, whatever the umask */
    assert_int_equal(metrics_write(m, &s, 1000), 0);
    umask(old);
    assert_false(metrics_due(m, 1000 + METRICS_INTERVAL_MS - 1));
    assert_true(metrics_due(m, 1000 + METRICS_INTERVAL_MS));
    s.frames_total = 2;
    assert_int_equal(metrics_write(m, &s, 1000 + METRICS_INTERVAL_MS), 0);
    struct stat st;
    assert_int_equal(stat(want_path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    FILE *f = fopen(want_path, "r");
    assert_non_null(f);
    char buf[METRICS_TEXT_MAX];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    assert_non_null(strstr(buf, "\nhiroba_frames_total 2\n"));
    /* Only the file itself is left: the temporary one was renamed. */
    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s/.hiroba.prom.tmp", dir);
    assert_int_not_equal(access(tmp, F_OK), 0);
    /* The folder taken away: the write fails (said once), and comes back. */
    unlink(want_path);
    assert_int_equal(rmdir(dir), 0);
    assert_int_equal(metrics_write(m, &s, 50000), -1);
    assert_int_equal(metrics_write(m, &s, 70000), -1);
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_int_equal(metrics_write(m, &s, 90000), 0);
    metrics_destroy(m);
    unlink(want_path);
    rmdir(dir);
}

/* No folder, a file in its place, or metrics turned off: nothing is due,
 * nothing written, never a crash. */
static void test_writer_without_folder(void **state)
{
    (void)state;
    static const char *const dirs[] = {"/nonexistent/hiroba-metrics", "/etc/hostname", ""};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        metrics *m = metrics_create(dirs[i]);
        assert_non_null(m);
        assert_false(metrics_due(m, 0));
        assert_string_equal(metrics_path(m), "");
        metrics_sample s = {.version = "x", .rss_bytes = -1};
        assert_int_equal(metrics_write(m, &s, 0), -1);
        metrics_destroy(m);
    }
    metrics_destroy(NULL);
}

int main(void)
{
    FILE *devnull = fopen("/dev/null", "w");
    log_set_stream(devnull);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parser_refuses_broken_text),
        cmocka_unit_test(test_format_full),
        cmocka_unit_test(test_format_unknowns_left_out),
        cmocka_unit_test(test_label_escaping),
        cmocka_unit_test(test_format_overflow),
        cmocka_unit_test(test_rss),
        cmocka_unit_test(test_writer),
        cmocka_unit_test(test_writer_without_folder),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    log_set_stream(NULL);
    if (devnull)
        fclose(devnull);
    return failed;
}
