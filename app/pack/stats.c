/* hiroba-pack stats: what the city learns, as CSV. The anonymous counts a
 * kiosk keeps in its store (openings per hour, screen, page and language,
 * never anything about a person) are exported with each hour in local time.
 * Never creates a store where there is none: a wrong folder is an error,
 * not an empty export. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/core/clock.h"
#include "app/core/store.h"
#include "app/pack/pack.h"

static void stats_usage(FILE *to)
{
    fprintf(to,
            "usage: hiroba-pack stats DATA_DIR [--tz ZONE] [--output FILE]\n"
            "Prints what a kiosk counted (DATA_DIR is its data folder, the kiosk's --data,\n"
            "/var/lib/hiroba by default) as CSV: one row per hour, screen, page and language,\n"
            "oldest first, with the header\n"
            "  hour_start,screen,page,lang,count\n"
            "hour_start is the hour in local time with its offset, e.g.\n"
            "2026-11-24T10:00:00+09:00. The counts are anonymous: no time finer than the\n"
            "hour, nothing about who touched the screen.\n"
            "  --tz ZONE       the time zone of hour_start (IANA name, default %s)\n"
            "  --output FILE   write the CSV to FILE (replaced whole) instead of stdout\n"
            "Exit 0 done, 1 no kiosk store in DATA_DIR or it cannot be read, 2 bad usage.\n",
            CLOCK_DEFAULT_TZ);
}

struct stats_opts {
    const char *data_dir, *tz, *output;
};

static int parse_opts(int argc, char **argv, struct stats_opts *o)
{
    static const struct option longopts[] = {
        {"tz", required_argument, NULL, 't'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (struct stats_opts){.tz = CLOCK_DEFAULT_TZ};
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 't':
            o->tz = optarg;
            break;
        case 'o':
            o->output = optarg;
            break;
        case 'h':
            stats_usage(stdout);
            return 0;
        default:
            stats_usage(stderr);
            return PACK_EXIT_USAGE;
        }
    }
    if (optind < argc)
        o->data_dir = argv[optind++];
    if (optind < argc) {
        fprintf(stderr, "hiroba-pack stats: unexpected argument '%s'\n", argv[optind]);
        return PACK_EXIT_USAGE;
    }
    if (!o->data_dir) {
        fprintf(stderr, "hiroba-pack stats: DATA_DIR is required\n");
        stats_usage(stderr);
        return PACK_EXIT_USAGE;
    }
    if (!clock_zone_known(o->tz)) {
        fprintf(stderr,
                "hiroba-pack stats: --tz: unknown time zone '%s' (an IANA name like "
                "Asia/Tokyo)\n",
                o->tz);
        return PACK_EXIT_USAGE;
    }
    if (o->output && !*o->output) {
        fprintf(stderr, "hiroba-pack stats: --output needs a file name\n");
        return PACK_EXIT_USAGE;
    }
    return -1;
}

/* The store must already be there: store_open would create an empty one. */
static int check_data_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "hiroba-pack stats: %s is not a folder\n", dir);
        return PACK_EXIT_USAGE;
    }
    char path[PACK_PATH_MAX];
    int n = snprintf(path, sizeof path, "%s/%s", dir, STORE_FILE_NAME);
    if (n < 0 || (size_t)n >= sizeof path) {
        fprintf(stderr, "hiroba-pack stats: path too long\n");
        return PACK_EXIT_USAGE;
    }
    int rc = stat(path, &st);
    const char *why = rc != 0                ? (errno == ENOENT ? "not found" : strerror(errno))
                      : !S_ISREG(st.st_mode) ? "is not a file"
                                             : NULL;
    if (why) {
        fprintf(stderr,
                "hiroba-pack stats: no kiosk store in %s (%s: %s): give the kiosk's data "
                "folder (its --data, /var/lib/hiroba by default)\n",
                dir, STORE_FILE_NAME, why);
        return PACK_EXIT_PROBLEMS;
    }
    return -1;
}

/* --output: the CSV is built in memory and replaces FILE in one rename, so
 * a reader never sees half an export. */
static int export_to_file(store *st, const struct stats_opts *o)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem) {
        fprintf(stderr, "hiroba-pack stats: out of memory\n");
        return PACK_EXIT_PROBLEMS;
    }
    int64_t rows = store_usage_export(st, mem, o->tz);
    if (fclose(mem) != 0 && rows >= 0)
        rows = STORE_ERR_NOMEM;
    int code = PACK_EXIT_OK;
    char err[512];
    if (rows < 0) {
        fprintf(stderr, "hiroba-pack stats: export failed: %s\n", store_strerror((int)rows));
        code = PACK_EXIT_PROBLEMS;
    } else if (pack_write_atomic(o->output, buf, len, 0644, err, sizeof err) != 0) {
        fprintf(stderr, "hiroba-pack stats: %s\n", err);
        code = PACK_EXIT_PROBLEMS;
    } else {
        fprintf(stderr, "hiroba-pack stats: wrote %lld row(s) to %s\n", (long long)rows, o->output);
    }
    free(buf);
    return code;
}

int pack_cmd_stats(int argc, char **argv)
{
    struct stats_opts o;
    int code = parse_opts(argc, argv, &o);
    if (code >= 0)
        return code;
    if ((code = check_data_dir(o.data_dir)) >= 0)
        return code;
    store *st = store_open(o.data_dir, NULL);
    if (!st) {
        fprintf(stderr, "hiroba-pack stats: cannot open the kiosk store in %s (see above)\n",
                o.data_dir);
        return PACK_EXIT_PROBLEMS;
    }
    if (o.output) {
        code = export_to_file(st, &o);
    } else {
        int64_t rows = store_usage_export(st, stdout, o.tz);
        code = PACK_EXIT_OK;
        if (rows < 0) {
            fprintf(stderr, "hiroba-pack stats: export failed: %s\n", store_strerror((int)rows));
            code = PACK_EXIT_PROBLEMS;
        }
    }
    store_close(st);
    return code;
}
