/* bench_text: lays out the same Japanese paragraphs at the same width and
 * size with hiroba's ui/text, Pango and SDL_ttf, and prints time, lines and
 * kinsoku violations side by side (one forked child per engine, so each
 * engine's peak RSS is its own). It prints figures; it never judges speed.
 * Only --check turns one property (hiroba: no kinsoku violation) into an exit code. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/bench/bench.h"
#include "ui/text/fonts.h"

#ifndef BENCH_SOURCE_DIR
#define BENCH_SOURCE_DIR "."
#endif
#define BENCH_DEFAULT_TTF "/usr/share/fonts/truetype/bizud-gothic/BIZUDGothic-Regular.ttf"

typedef struct bench_engine {
    const char *name;
    const char *label;
    bench_engine_fn run;
} bench_engine;

static const bench_engine engines[] = {
    {"hiroba", "hiroba", bench_run_hiroba},
    {"pango", "Pango", bench_run_pango},
    {"sdl_ttf", "SDL_ttf", bench_run_sdlttf},
};
#define N_ENGINES (sizeof(engines) / sizeof(engines[0]))

double bench_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void bench_summarise(double *round_us, int rounds, size_t n_paragraphs, bench_result *res)
{
    double sum = 0;
    for (int r = 0; r < rounds; r++) {
        round_us[r] /= (double)n_paragraphs;
        sum += round_us[r];
    }
    qsort(round_us, (size_t)rounds, sizeof(*round_us), cmp_double);
    res->us_min = round_us[0];
    res->us_mean = sum / rounds;
    res->us_median =
        rounds % 2 ? round_us[rounds / 2] : (round_us[rounds / 2 - 1] + round_us[rounds / 2]) / 2;
}

int bench_starts_push(bench_starts *s, size_t offset)
{
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 16;
        size_t *at = realloc(s->at, ncap * sizeof(*at));
        if (!at) {
            return -1;
        }
        s->at = at;
        s->cap = ncap;
    }
    s->at[s->n++] = offset;
    return 0;
}

void bench_starts_free(bench_starts *s)
{
    free(s->at);
    memset(s, 0, sizeof(*s));
}

void bench_dump_lines(const bench_options *opt, const char *engine, size_t para, const char *text,
                      size_t len, const bench_starts *s)
{
    if (!opt->dump_lines) {
        return;
    }
    for (size_t i = 0; i < s->n; i++) {
        size_t end = i + 1 < s->n ? s->at[i + 1] : len;
        printf("%s\t%zu\t%zu\t%.*s\n", engine, para, i, (int)(end - s->at[i]), text + s->at[i]);
    }
}

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

static size_t read_all(int fd, void *buf, size_t len)
{
    char *p = buf;
    size_t got = 0;
    while (got < len) {
        ssize_t r = read(fd, p + got, len - got);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            break;
        }
        got += (size_t)r;
    }
    return got;
}

/* Runs one engine in a child; its result comes back through a pipe and its
 * peak RSS from wait4(). The child leaves with _exit: nothing of the
 * parent's stdio or atexit state runs twice. */
static void run_in_child(const bench_engine *e, const bench_corpus *c, const bench_options *opt,
                         bench_result *out)
{
    int fds[2];
    memset(out, 0, sizeof(*out));
    if (pipe(fds) < 0) {
        snprintf(out->note, sizeof(out->note), "pipe: %s", strerror(errno));
        return;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(out->note, sizeof(out->note), "fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return;
    }
    if (pid == 0) {
        bench_result r;
        memset(&r, 0, sizeof(r));
        close(fds[0]);
        e->run(c, opt, &r);
        fflush(stdout); /* --lines output; _exit does not flush */
        int rc = write_all(fds[1], &r, sizeof(r));
        close(fds[1]);
        _exit(rc < 0 ? 3 : 0);
    }
    close(fds[1]);
    size_t got = read_all(fds[0], out, sizeof(*out));
    close(fds[0]);
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof(ru));
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
    }
    out->maxrss_kb = ru.ru_maxrss;
    if (got != sizeof(*out)) {
        memset(out, 0, sizeof(*out));
        out->maxrss_kb = ru.ru_maxrss;
        if (WIFSIGNALED(status)) {
            snprintf(out->note, sizeof(out->note), "child killed by signal %d", WTERMSIG(status));
        } else {
            snprintf(out->note, sizeof(out->note), "child exited %d without a result",
                     WEXITSTATUS(status));
        }
    }
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: bench_text [--width PX] [--size PX] [--rounds N] [--corpus FILE]\n"
            "                  [--fonts INI] [--ttf FILE] [--family NAME] [--paragraphs N]\n"
            "                  [--check] [--lines] [--verbose]\n"
            "Lays out the same paragraphs with hiroba, Pango and SDL_ttf; prints a table.\n"
            "  --width PX       box width (default 600)\n"
            "  --size PX        font size in pixels (default 32)\n"
            "  --rounds N       timed rounds, after one untimed warm-up (default 9)\n"
            "  --corpus FILE    one paragraph a line, '#' comments (default\n"
            "                   tests/corpus/ja.txt, else built-in notices)\n"
            "  --fonts INI      hiroba's fonts.ini (default text_fonts_default_ini())\n"
            "  --ttf FILE       the font file SDL_ttf opens (default BIZ UDGothic)\n"
            "  --family NAME    the family Pango asks for (default \"BIZ UDGothic\")\n"
            "  --paragraphs N   use only the first N paragraphs\n"
            "  --check          exit 1 unless hiroba ran with 0 kinsoku violations\n"
            "  --lines          also print every line: ENGINE<TAB>PARAGRAPH<TAB>LINE<TAB>TEXT\n");
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end = NULL;
    errno = 0;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || errno || *end || v < lo || v > hi) {
        return -1;
    }
    *out = (int)v;
    return 0;
}

typedef struct bench_args {
    bench_options opt;
    const char *corpus;
    bool corpus_given;
    int paragraphs;
    bool check;
} bench_args;

static int parse_args(int argc, char **argv, bench_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *k = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (!strcmp(k, "--width")) {
            bad = parse_int(v, 1, 100000, &a->opt.width_px);
        } else if (!strcmp(k, "--size")) {
            bad = parse_int(v, 1, 1024, &a->opt.size_px);
        } else if (!strcmp(k, "--rounds")) {
            bad = parse_int(v, 1, 100000, &a->opt.rounds);
        } else if (!strcmp(k, "--paragraphs")) {
            bad = parse_int(v, 1, 1000000, &a->paragraphs);
        } else if (!strcmp(k, "--corpus") && v) {
            a->corpus = v;
            a->corpus_given = true;
        } else if (!strcmp(k, "--fonts") && v) {
            a->opt.fonts_ini = v;
        } else if (!strcmp(k, "--ttf") && v) {
            a->opt.ttf_path = v;
        } else if (!strcmp(k, "--family") && v) {
            a->opt.family = v;
        } else if (!strcmp(k, "--check")) {
            a->check = true;
            continue;
        } else if (!strcmp(k, "--verbose")) {
            a->opt.verbose = true;
            continue;
        } else if (!strcmp(k, "--lines")) {
            a->opt.dump_lines = true;
            continue;
        } else if (!strcmp(k, "--help") || !strcmp(k, "-h")) {
            usage(stdout);
            exit(0);
        } else {
            bad = -1;
        }
        if (bad) {
            fprintf(stderr, "bench_text: bad or incomplete option %s\n", k);
            usage(stderr);
            return -1;
        }
        i++;
    }
    return 0;
}

static size_t corpus_bytes(const bench_corpus *c)
{
    size_t total = 0;
    for (size_t i = 0; i < c->n; i++) {
        total += c->len[i];
    }
    return total;
}

static void print_ratio(const bench_result *res, size_t peer, const char *suffix)
{
    const bench_result *h = &res[0], *p = &res[peer];
    if (!h->ok || !p->ok || h->us_median <= 0 || p->us_median <= 0) {
        return;
    }
    if (p->us_median >= h->us_median) {
        printf("hiroba is %.1fx faster than %s%s\n", p->us_median / h->us_median,
               engines[peer].label, suffix);
    } else {
        printf("hiroba is %.1fx slower than %s%s\n", h->us_median / p->us_median,
               engines[peer].label, suffix);
    }
}

static void print_report(const bench_corpus *c, const bench_args *a, const bench_result *res,
                         long parent_rss_kb)
{
    const bench_options *o = &a->opt;
    printf("bench_text: %zu paragraphs (%zu bytes) from %s\n", c->n, corpus_bytes(c), c->source);
    printf("box %d px wide, font %d px; 1 untimed warm-up + %d timed rounds; "
           "us = microseconds per paragraph\n\n",
           o->width_px, o->size_px, o->rounds);
    printf("%-8s %12s %10s %10s %7s %8s %11s\n", "engine", "us median", "us mean", "us min",
           "lines", "kinsoku", "maxrss KiB");
    for (size_t i = 0; i < N_ENGINES; i++) {
        if (!res[i].ok) {
            printf("%-8s %12s %10s %10s %7s %8s %11ld\n", engines[i].name, "failed", "-", "-", "-",
                   "-", res[i].maxrss_kb);
            continue;
        }
        printf("%-8s %12.1f %10.1f %10.1f %7zu %8zu %11ld\n", engines[i].name, res[i].us_median,
               res[i].us_mean, res[i].us_min, res[i].lines, res[i].violations, res[i].maxrss_kb);
    }
    printf("(parent, corpus only: maxrss %ld KiB; each engine ran in its own fork)\n\n",
           parent_rss_kb);
    printf("kinsoku = lines starting or ending against JLREQ, all engines judged by\n"
           "          kinsoku_count_violations() from ui/text/kinsoku.h\n");
    for (size_t i = 0; i < N_ENGINES; i++) {
        printf("%-8s: %s\n", engines[i].name, res[i].note[0] ? res[i].note : "-");
    }
    printf("hiroba  : fonts %s\n", o->fonts_ini);
    printf("sdl_ttf : its line split is reproduced from SDL_ttf's wrapping algorithm "
           "(2.20 exposes no line breaks)\n          and cross-checked per paragraph against "
           "the real surface (height and pixels)\n\n");
    print_ratio(res, 1, " (median us per paragraph)");
    print_ratio(res, 2, " (median; SDL_ttf's time includes rasterising)");
    printf("\n");
    for (size_t i = 0; i < N_ENGINES; i++) {
        if (!res[i].ok) {
            printf("engine=%s status=failed maxrss_kb=%ld\n", engines[i].name, res[i].maxrss_kb);
            continue;
        }
        printf("engine=%s status=ok us_per_paragraph=%.2f us_mean=%.2f us_min=%.2f lines=%zu "
               "violations=%zu maxrss_kb=%ld paragraphs=%zu width=%d size=%d rounds=%d",
               engines[i].name, res[i].us_median, res[i].us_mean, res[i].us_min, res[i].lines,
               res[i].violations, res[i].maxrss_kb, c->n, o->width_px, o->size_px, o->rounds);
        if (!strcmp(engines[i].name, "sdl_ttf")) {
            printf(" split=reproduced split_mismatches=%zu rasterises=yes", res[i].mismatches);
        }
        printf("\n");
    }
}

int main(int argc, char **argv)
{
    bench_args a;
    memset(&a, 0, sizeof(a));
    a.opt.width_px = 600;
    a.opt.size_px = 32;
    a.opt.rounds = 9;
    a.opt.ttf_path = BENCH_DEFAULT_TTF;
    a.opt.family = "BIZ UDGothic";
    if (parse_args(argc, argv, &a) < 0) {
        return 2;
    }
    if (!a.opt.fonts_ini) {
        a.opt.fonts_ini = text_fonts_default_ini();
    }
    char default_corpus[4096];
    if (!a.corpus_given) {
        const char *root = getenv("HIROBA_SOURCE_DIR");
        snprintf(default_corpus, sizeof(default_corpus), "%s/tests/corpus/ja.txt",
                 root && *root ? root : BENCH_SOURCE_DIR);
        a.corpus = default_corpus;
    }
    bench_corpus c;
    if (bench_corpus_load(&c, a.corpus, !a.corpus_given, (size_t)a.paragraphs) < 0) {
        return 2;
    }
    struct rusage self;
    getrusage(RUSAGE_SELF, &self);

    bench_result res[N_ENGINES];
    for (size_t i = 0; i < N_ENGINES; i++) {
        run_in_child(&engines[i], &c, &a.opt, &res[i]);
        if (!res[i].ok) {
            fprintf(stderr, "bench_text: %s failed: %s\n", engines[i].name, res[i].note);
        }
    }
    print_report(&c, &a, res, self.ru_maxrss);

    int rc = 0;
    if (a.check) {
        if (!res[0].ok) {
            fprintf(stderr, "bench_text: check FAILED: hiroba did not run\n");
            rc = 1;
        } else if (res[0].violations != 0) {
            fprintf(stderr, "bench_text: check FAILED: hiroba has %zu kinsoku violations\n",
                    res[0].violations);
            rc = 1;
        } else {
            printf("check: ok (hiroba: 0 kinsoku violations)\n");
        }
    }
    bench_corpus_free(&c);
    return rc;
}
