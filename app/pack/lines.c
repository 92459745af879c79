/* hiroba-pack lines: lays out stdin with the kiosk's text engine and prints
 * every line as PARAGRAPH<TAB>LINE<TAB>ADVANCE_PX<TAB>TEXT, so the engine
 * can be checked from outside. Must print exactly what the kiosk would break. */
#include <errno.h>
#include <stdbool.h>
#include <sys/types.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/pack/pack.h"
#include "ui/text/cache.h"
#include "ui/text/layout.h"
#include "ui/text/utf8.h"

struct lines_opts {
    int width, size, repeat;
    bool ruby;
    const char *font, *fonts_ini;
};

static void lines_usage(FILE *to)
{
    fprintf(to, "usage: hiroba-pack lines --width PX --size PX [--font FILE[:INDEX]]\n"
                "                         [--ruby on|off] [--repeat N] [--fonts INI]\n"
                "Reads UTF-8 paragraphs from stdin, one per line, and prints for every\n"
                "laid-out line: PARAGRAPH<TAB>LINE<TAB>ADVANCE_PX<TAB>TEXT.\n"
                "Furigana markup {base|reading} is honoured (and not printed).\n"
                "--repeat N lays out each paragraph N times with cold caches and prints\n"
                "layout_us=<total microseconds> on stderr.\n");
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

static int parse_opts(int argc, char **argv, struct lines_opts *o)
{
    static const struct option longopts[] = {
        {"width", required_argument, NULL, 'w'},  {"size", required_argument, NULL, 's'},
        {"font", required_argument, NULL, 'f'},   {"ruby", required_argument, NULL, 'r'},
        {"repeat", required_argument, NULL, 'n'}, {"fonts", required_argument, NULL, 'F'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    *o = (struct lines_opts){.width = -1, .size = -1, .repeat = 0, .ruby = true};
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'w':
            if (parse_int(optarg, 1, 100000, &o->width) != 0) {
                fprintf(stderr, "hiroba-pack lines: --width wants 1..100000 pixels\n");
                return -1;
            }
            break;
        case 's':
            if (parse_int(optarg, 1, 1024, &o->size) != 0) {
                fprintf(stderr, "hiroba-pack lines: --size wants 1..1024 pixels\n");
                return -1;
            }
            break;
        case 'f':
            o->font = optarg;
            break;
        case 'F':
            o->fonts_ini = optarg;
            break;
        case 'r':
            if (strcmp(optarg, "on") && strcmp(optarg, "off")) {
                fprintf(stderr, "hiroba-pack lines: --ruby wants on or off\n");
                return -1;
            }
            o->ruby = strcmp(optarg, "on") == 0;
            break;
        case 'n':
            if (parse_int(optarg, 1, 1000000, &o->repeat) != 0) {
                fprintf(stderr, "hiroba-pack lines: --repeat wants 1..1000000\n");
                return -1;
            }
            break;
        case 'h':
            lines_usage(stdout);
            exit(0);
        default:
            lines_usage(stderr);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "hiroba-pack lines: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    if (o->width < 0 || o->size < 0) {
        fprintf(stderr, "hiroba-pack lines: --width and --size are required\n");
        lines_usage(stderr);
        return -1;
    }
    return 0;
}

static text_fonts *open_fonts(const struct lines_opts *o)
{
    const char *ini = o->fonts_ini ? o->fonts_ini : text_fonts_default_ini();
    text_fonts *f = text_fonts_load(ini);
    if (!o->font)
        return f;
    if (!f)
        f = text_fonts_create();
    char path[4096];
    int index = 0;
    snprintf(path, sizeof path, "%s", o->font);
    char *colon = strrchr(path, ':');
    if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
        index = atoi(colon + 1);
        *colon = '\0';
    }
    if (!f || text_fonts_prepend_all(f, path, index) != 0) {
        fprintf(stderr, "hiroba-pack lines: cannot use font %s\n", o->font);
        text_fonts_destroy(f);
        return NULL;
    }
    return f;
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void print_layout(const text_layout *l, size_t para)
{
    for (size_t i = 0; i < text_layout_line_count(l); i++) {
        text_line_info li;
        text_layout_get_line(l, i, &li);
        printf("%zu\t%zu\t%d\t%.*s%s\n", para, i, li.advance_px, (int)li.len, li.text,
               li.ellipsis ? "\xE2\x80\xA6" : "");
    }
}

int pack_cmd_lines(int argc, char **argv)
{
    struct lines_opts o;
    if (parse_opts(argc, argv, &o) != 0)
        return 2;
    text_fonts *fonts = open_fonts(&o);
    if (!fonts) {
        fprintf(stderr, "hiroba-pack lines: no usable font (see messages above)\n");
        return 1;
    }
    text_engine *engine = text_engine_create(fonts);
    if (!engine) {
        text_fonts_destroy(fonts);
        return 1;
    }
    text_style st = text_style_default(o.size);
    st.ruby = o.ruby;
    char *line = NULL;
    size_t cap = 0, para = 0;
    ssize_t got;
    int64_t total_us = 0;
    int status = 0;
    while ((got = getline(&line, &cap, stdin)) >= 0) {
        size_t len = (size_t)got;
        if (len && line[len - 1] == '\n')
            len--;
        if (len && line[len - 1] == '\r')
            len--;
        size_t bad;
        if (!utf8_valid(line, len, &bad))
            fprintf(stderr,
                    "hiroba-pack lines: stdin:%zu: invalid UTF-8 at byte %zu, shown as U+FFFD\n",
                    para + 1, bad);
        int rounds = o.repeat ? o.repeat : 1;
        text_layout *l = NULL;
        for (int r = 0; r < rounds; r++) {
            text_layout_destroy(l);
            int64_t t0 = now_us();
            l = text_layout_create(engine, line, len, &st, o.width);
            total_us += now_us() - t0;
            if (!l)
                break;
        }
        if (!l) {
            fprintf(stderr, "hiroba-pack lines: stdin:%zu: cannot lay out\n", para + 1);
            status = 1;
            para++;
            continue;
        }
        print_layout(l, para);
        text_layout_destroy(l);
        para++;
    }
    if (o.repeat)
        fprintf(stderr, "layout_us=%lld\n", (long long)total_us);
    free(line);
    text_engine_destroy(engine);
    text_fonts_destroy(fonts);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "hiroba-pack lines: cannot write output\n");
        return 1;
    }
    return status;
}
