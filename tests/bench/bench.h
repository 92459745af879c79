/* bench: shared types of the text benchmark. Each engine runs in its own
 * forked child and hands one bench_result back through a pipe, so no engine's
 * memory or caches colour another's figures. Never a pass/fail test of speed. */
#ifndef HIROBA_TESTS_BENCH_BENCH_H
#define HIROBA_TESTS_BENCH_BENCH_H

#include <stdbool.h>
#include <stddef.h>

/* The paragraphs every engine lays out: the same bytes, markup already
 * stripped, NUL-terminated (SDL_ttf needs C strings). */
typedef struct bench_corpus {
    char **text;
    size_t *len;
    size_t n;
    const char *source; /* file name, or "built-in" */
} bench_corpus;

typedef struct bench_options {
    int width_px;
    int size_px;
    int rounds;
    const char *fonts_ini; /* hiroba's font chains */
    const char *ttf_path;  /* the file SDL_ttf opens (BIZ UDGothic) */
    const char *family;    /* the family Pango asks fontconfig for */
    bool verbose;
    bool dump_lines; /* print every line as ENGINE<TAB>PARA<TAB>LINE<TAB>TEXT */
} bench_options;

#define BENCH_NOTE_MAX 256

/* Plain old data: it crosses the pipe from child to parent as bytes. */
typedef struct bench_result {
    int ok;                    /* 1 when the engine ran */
    double us_median, us_mean; /* per paragraph, over the timed rounds */
    double us_min;
    size_t lines;      /* all paragraphs, one layout each */
    size_t violations; /* kinsoku_count_violations() summed */
    size_t mismatches; /* SDL_ttf: paragraphs whose reproduced split disagrees */
    long maxrss_kb;    /* filled in by the parent (wait4) */
    char note[BENCH_NOTE_MAX];
} bench_result;

/* Reads path (one paragraph a line, '#' lines are comments, blank lines
 * skipped), strips {base|reading} markup with text_markup_strip. A missing
 * file (ENOENT) falls back to the built-in notices when allow_builtin.
 * limit 0 keeps all. Returns 0 or -1 (logged on stderr). */
int bench_corpus_load(bench_corpus *c, const char *path, bool allow_builtin, size_t limit);
void bench_corpus_free(bench_corpus *c);

/* Runs one engine over the corpus: one untimed warm-up round that also
 * collects line starts, then opt->rounds timed rounds. Returns 0 or -1 (with
 * res->note saying why). */
typedef int (*bench_engine_fn)(const bench_corpus *c, const bench_options *opt, bench_result *res);

int bench_run_hiroba(const bench_corpus *c, const bench_options *opt, bench_result *res);
int bench_run_pango(const bench_corpus *c, const bench_options *opt, bench_result *res);
int bench_run_sdlttf(const bench_corpus *c, const bench_options *opt, bench_result *res);

/* Monotonic clock in microseconds. */
double bench_now_us(void);
/* Fills res->us_median/mean/min from per-round totals (µs) over n paragraphs. */
void bench_summarise(double *round_us, int rounds, size_t n_paragraphs, bench_result *res);

/* Growable list of line starts (byte offsets) for one paragraph. */
typedef struct bench_starts {
    size_t *at;
    size_t n, cap;
} bench_starts;
int bench_starts_push(bench_starts *s, size_t offset);
void bench_starts_free(bench_starts *s);
/* With opt->dump_lines, prints the lines text[starts[i]..starts[i+1]) of one paragraph. */
void bench_dump_lines(const bench_options *opt, const char *engine, size_t para, const char *text,
                      size_t len, const bench_starts *s);

#endif
