/* hiroba-pack build: turns a pack source folder into a published channel: every media
 * file copied into PUBLISH/objects/ab/... (content-addressed, so the same source gives the
 * same objects), and PUBLISH/channels/NAME/manifest.json, the source plus channel,
 * version, issued, expires and every object's sha256 and size.
 * Must never publish anything from a source with a problem (all of them are reported, at
 * their place in pack.json), a manifest the kiosk's parser would reject, a version that is
 * not above the one published there, or a manifest next to a signature of another. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "app/core/channel.h"
#include "app/core/pack_json.h"
#include "app/pack/pack.h"

#define DEFAULT_VALID_DAYS 30
#define MAX_VALID_DAYS     3650
#define MAX_VERSION        ((INT64_C(1) << 53) - 1)
#define SECONDS_PER_DAY    86400

struct build_opts {
    const char *src, *channel, *out;
    int64_t version; /* 0: one above the published one */
    int64_t valid_days;
    bool at_set;
    int64_t at;
};

static void build_usage(FILE *to)
{
    fprintf(to,
            "usage: hiroba-pack build SRC --channel NAME --out PUBLISH_DIR [--version N]\n"
            "                         [--valid-days D] [--at ISO-TIME]\n"
            "Checks the pack source SRC (SRC/pack.json and every file it names) and publishes\n"
            "it as channel NAME: media into PUBLISH_DIR/objects/, the manifest into\n"
            "PUBLISH_DIR/channels/NAME/manifest.json. Nothing is written if SRC has a problem;\n"
            "every problem is printed as FILE:LINE:COLUMN: PATH: MESSAGE.\n"
            "  --version N     the new version (default: one above the published one; it must\n"
            "                  be above it)\n"
            "  --valid-days D  kiosks refuse the manifest D days after it is issued (default %d)\n"
            "  --at ISO-TIME   issue it as of this time (default now), e.g.\n"
            "                  2026-11-24T10:00:00+09:00\n"
            "Then sign it: hiroba-pack sign PUBLISH_DIR --channel NAME --key KEY\n",
            DEFAULT_VALID_DAYS);
}

static int parse_opts(int argc, char **argv, struct build_opts *o)
{
    static const struct option longopts[] = {
        {"channel", required_argument, NULL, 'c'},
        {"out", required_argument, NULL, 'o'},
        {"version", required_argument, NULL, 'v'},
        {"valid-days", required_argument, NULL, 'd'},
        {"at", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (struct build_opts){.valid_days = DEFAULT_VALID_DAYS};
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            o->channel = optarg;
            break;
        case 'o':
            o->out = optarg;
            break;
        case 'v':
            if (pack_parse_i64(optarg, 1, MAX_VERSION, &o->version) != 0) {
                fprintf(stderr, "hiroba-pack build: --version wants a whole number from 1 to "
                                "2^53-1\n");
                return -1;
            }
            break;
        case 'd':
            if (pack_parse_i64(optarg, 1, MAX_VALID_DAYS, &o->valid_days) != 0) {
                fprintf(stderr, "hiroba-pack build: --valid-days wants 1..%d days\n",
                        MAX_VALID_DAYS);
                return -1;
            }
            break;
        case 'a':
            if (pack_parse_time(optarg, &o->at) != 0) {
                fprintf(stderr, "hiroba-pack build: --at wants a time with its offset, like "
                                "2026-11-24T10:00:00+09:00\n");
                return -1;
            }
            o->at_set = true;
            break;
        case 'h':
            build_usage(stdout);
            exit(0);
        default:
            build_usage(stderr);
            return -1;
        }
    }
    if (optind < argc)
        o->src = argv[optind++];
    if (optind < argc) {
        fprintf(stderr, "hiroba-pack build: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    if (!o->src || !o->channel || !o->out) {
        fprintf(stderr, "hiroba-pack build: SRC, --channel and --out are required\n");
        build_usage(stderr);
        return -1;
    }
    if (!pack_channel_name_ok(o->channel)) {
        fprintf(stderr,
                "hiroba-pack build: --channel: '%s' is not a channel name (1 to 64 of a-z 0-9 "
                "_ -, starting with a letter or digit)\n",
                o->channel);
        return -1;
    }
    return 0;
}

/* Reads and checks the source: pack.json, then its media. Prints every problem. On
 * success *text (the document, after any BOM) and *pack are the caller's. */
static int load_source(const char *src, char **buf, const char **text, size_t *len,
                       model_pack **pack)
{
    char path[PACK_PATH_MAX], err[256];
    size_t n;
    *pack = NULL;
    if (snprintf(path, sizeof path, "%s/pack.json", src) >= (int)sizeof path) {
        fprintf(stderr, "hiroba-pack build: %s: path too long\n", src);
        return -1;
    }
    /* One byte over the parser's limit, so that it reports the size at its place. */
    if (pack_read_file(path, PACK_JSON_MAX_BYTES + 4, buf, &n, err, sizeof err) != 0) {
        fprintf(stderr, "%s: %s\n", path, err);
        return -1;
    }
    *text = *buf;
    if (n >= 3 && memcmp(*text, "\xEF\xBB\xBF", 3) == 0) {
        *text += 3;
        n -= 3;
    }
    *len = n;
    pack_json_errors *errs = malloc(sizeof *errs);
    if (!errs) {
        fprintf(stderr, "hiroba-pack build: out of memory\n");
        return -1;
    }
    int rc = pack_json_parse(*text, n, "pack.json", PACK_JSON_SOURCE, pack, errs);
    if (rc == 0 && pack_media_check(*pack, src, *text, n, errs) > 0)
        rc = -1;
    if (rc != 0) {
        pack_json_errors_print(errs, stderr);
        fprintf(stderr, "hiroba-pack build: %zu problem%s in %s: nothing was published\n",
                errs->total, errs->total == 1 ? "" : "s", src);
        model_pack_destroy(*pack);
        *pack = NULL;
    }
    free(errs);
    return rc == 0 ? 0 : -1;
}

/* The version now published in the channel folder (0: none). A manifest there whose
 * version cannot be read stops the build: guessing could publish a rollback. */
static int published_version(const char *manifest_path, int64_t *out)
{
    char *buf = NULL, err[256];
    size_t len;
    *out = 0;
    if (pack_read_file(manifest_path, CHANNEL_MANIFEST_MAX, &buf, &len, err, sizeof err) != 0) {
        if (errno == ENOENT)
            return 0;
        fprintf(stderr, "%s: %s\n", manifest_path, err);
        return -1;
    }
    json_error_t je;
    json_t *root = json_loadb(buf, len, 0, &je);
    json_t *v = json_object_get(root, "version");
    int rc = 0;
    if (json_is_integer(v) && json_integer_value(v) >= 1 && json_integer_value(v) <= MAX_VERSION) {
        *out = json_integer_value(v);
    } else {
        fprintf(stderr,
                "%s: cannot tell which version is published (%s): move it away to start the "
                "channel afresh\n",
                manifest_path, root ? "no valid \"version\"" : je.text);
        rc = -1;
    }
    json_decref(root);
    free(buf);
    return rc;
}

static int choose_version(const struct build_opts *o, int64_t published, int64_t *version)
{
    if (!o->version) {
        if (published >= MAX_VERSION) {
            fprintf(stderr, "hiroba-pack build: version %" PRId64 " is the last possible one\n",
                    published);
            return -1;
        }
        *version = published + 1;
        return 0;
    }
    if (o->version <= published) {
        fprintf(stderr,
                "hiroba-pack build: --version %" PRId64 " is not above version %" PRId64
                ", published in channel %s: kiosks would refuse it as a rollback\n",
                o->version, published, o->channel);
        return -1;
    }
    if (o->version - published > CHANNEL_MAX_VERSION_JUMP) {
        fprintf(stderr,
                "hiroba-pack build: --version %" PRId64 " jumps more than %d above version %" PRId64
                ": kiosks would refuse it\n",
                o->version, CHANNEL_MAX_VERSION_JUMP, published);
        return -1;
    }
    *version = o->version;
    return 0;
}

/* The source document plus what a manifest adds, as the text to publish. */
static char *make_manifest(const char *text, size_t len, const struct build_opts *o,
                           int64_t version, const char *issued, const char *expires,
                           json_t *objects_json, size_t *out_len)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    char *dump = NULL;
    if (!json_is_object(root) ||
        json_object_set_new(root, "channel", json_string(o->channel)) != 0 ||
        json_object_set_new(root, "version", json_integer((json_int_t)version)) != 0 ||
        json_object_set_new(root, "issued", json_string(issued)) != 0 ||
        json_object_set_new(root, "expires", json_string(expires)) != 0 ||
        json_object_set(root, "objects", objects_json) != 0)
        goto done;
    /* Sorted keys: the same content always gives the same bytes. 15 digits print a number
     * as staff typed it (7.3, not 7.2999999999999998). */
    dump = json_dumps(root, JSON_SORT_KEYS | JSON_INDENT(2) | JSON_REAL_PRECISION(15));
    if (dump) {
        size_t n = strlen(dump);
        char *nl = realloc(dump, n + 2);
        if (!nl) {
            free(dump);
            dump = NULL;
            goto done;
        }
        dump = nl;
        memcpy(dump + n, "\n", 2);
        *out_len = n + 1;
    }
done:
    json_decref(root);
    return dump;
}

/* What the kiosk will do with it: parse it in manifest mode. Never publish less. */
static int check_manifest(const char *manifest, size_t len, const struct build_opts *o,
                          int64_t version, size_t n_objects)
{
    pack_json_errors *errs = malloc(sizeof *errs);
    model_pack *p = NULL;
    if (!errs) {
        fprintf(stderr, "hiroba-pack build: out of memory\n");
        return -1;
    }
    int rc = pack_json_parse(manifest, len, PACK_MANIFEST_NAME, PACK_JSON_MANIFEST, &p, errs);
    if (rc != 0) {
        pack_json_errors_print(errs, stderr);
        fprintf(stderr, "hiroba-pack build: the manifest built would be rejected by kiosks (a "
                        "bug in hiroba-pack): nothing was published\n");
    } else if (strcmp(p->manifest.channel, o->channel) != 0 || p->manifest.version != version ||
               p->manifest.n_objects != n_objects) {
        fprintf(stderr, "hiroba-pack build: the manifest built does not read back as written (a "
                        "bug in hiroba-pack): nothing was published\n");
        rc = -1;
    }
    model_pack_destroy(p);
    free(errs);
    return rc == 0 ? 0 : -1;
}

/* Publishes into o->out: objects, then the manifest (the old signature removed first, so a
 * kiosk never meets the new manifest beside a signature of the old one). */
static int publish(const struct build_opts *o, const model_pack *pack, const char *text, size_t len)
{
    char dir[PACK_PATH_MAX], manifest_path[PACK_PATH_MAX], sig_path[PACK_PATH_MAX];
    char err[512], issued[40], expires[40];
    objects *objs = NULL;
    json_t *objects_json = json_object();
    char *manifest = NULL;
    int lock = -1, rc = -1;
    if (pack_channel_path(o->out, o->channel, NULL, dir, sizeof dir) != 0 ||
        pack_channel_path(o->out, o->channel, PACK_MANIFEST_NAME, manifest_path,
                          sizeof manifest_path) != 0 ||
        pack_channel_path(o->out, o->channel, PACK_SIGNATURE_NAME, sig_path, sizeof sig_path) !=
            0) {
        fprintf(stderr, "hiroba-pack build: %s: path too long\n", o->out);
        goto done;
    }
    if (!objects_json || pack_make_dirs(dir, err, sizeof err) != 0 ||
        (lock = pack_channel_lock(dir, err, sizeof err)) < 0) {
        fprintf(stderr, "hiroba-pack build: %s\n", objects_json ? err : "out of memory");
        goto done;
    }
    int64_t published, version;
    if (published_version(manifest_path, &published) != 0 ||
        choose_version(o, published, &version) != 0)
        goto done;
    int64_t t_issued = o->at_set ? o->at : (int64_t)time(NULL);
    int64_t t_expires = t_issued + o->valid_days * SECONDS_PER_DAY;
    pack_format_time(t_issued, pack->zone, issued, sizeof issued);
    pack_format_time(t_expires, pack->zone, expires, sizeof expires);

    objs = objects_open(o->out);
    if (!objs) {
        fprintf(stderr, "hiroba-pack build: cannot open %s/objects (see above)\n", o->out);
        goto done;
    }
    pack_import_stats st;
    if (pack_media_import(pack, o->src, objs, objects_json, &st, err, sizeof err) != 0) {
        fprintf(stderr, "hiroba-pack build: %s\n", err);
        goto done;
    }
    size_t mlen = 0;
    manifest = make_manifest(text, len, o, version, issued, expires, objects_json, &mlen);
    if (!manifest) {
        fprintf(stderr, "hiroba-pack build: cannot make the manifest (out of memory?)\n");
        goto done;
    }
    if (check_manifest(manifest, mlen, o, version, st.objects) != 0)
        goto done;
    int removed = pack_remove_file(sig_path, err, sizeof err);
    if (removed < 0 ||
        pack_write_atomic(manifest_path, manifest, mlen, 0644, err, sizeof err) != 0) {
        fprintf(stderr, "hiroba-pack build: %s\n", err);
        goto done;
    }
    printf("built channel %s version %" PRId64 ": %zu object%s (%zu new), %" PRIu64
           " bytes (%" PRIu64 " new)\n",
           o->channel, version, st.objects, st.objects == 1 ? "" : "s", st.added, st.bytes,
           st.added_bytes);
    printf("issued %s, expires %s\n", issued, expires);
    printf("wrote %s\n", manifest_path);
    if (removed)
        printf("removed the signature of version %" PRId64 " (it does not match any more)\n",
               published);
    printf("next: hiroba-pack sign %s --channel %s --key YOUR.key\n", o->out, o->channel);
    if (t_expires <= (int64_t)time(NULL))
        fprintf(stderr,
                "hiroba-pack build: warning: it expired at %s already: kiosks will refuse "
                "it (see --at and --valid-days)\n",
                expires);
    rc = 0;
done:
    if (objs) {
        objects_close(objs);
        /* objects_open made it for its temporary files; a web server must not list it. */
        char tmp[PACK_PATH_MAX];
        if (snprintf(tmp, sizeof tmp, "%s/tmp", o->out) < (int)sizeof tmp)
            (void)rmdir(tmp); /* fails, harmlessly, if another build is still using it */
    }
    if (lock >= 0)
        close(lock);
    free(manifest);
    json_decref(objects_json);
    return rc;
}

int pack_cmd_build(int argc, char **argv)
{
    struct build_opts o;
    if (parse_opts(argc, argv, &o) != 0)
        return PACK_EXIT_USAGE;
    char *buf = NULL;
    const char *text = NULL;
    size_t len = 0;
    model_pack *pack = NULL;
    int status = PACK_EXIT_PROBLEMS;
    if (load_source(o.src, &buf, &text, &len, &pack) == 0 && publish(&o, pack, text, len) == 0)
        status = PACK_EXIT_OK;
    model_pack_destroy(pack);
    free(buf);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "hiroba-pack build: cannot write output\n");
        return PACK_EXIT_PROBLEMS;
    }
    return status;
}
