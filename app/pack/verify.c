/* hiroba-pack verify: checks a published channel the way a kiosk will (app/core/channel.c
 * decides there; this mirrors its rules): the minisign signature under one of the given
 * keys, the manifest's schema, its channel, its expiry, its version against a kiosk's
 * (rollback, and the largest jump a kiosk takes), and every object's presence, size and
 * sha256. Unlike the kiosk it does not stop at the first problem: it prints one line per
 * problem on stdout, so staff can fix everything in one go. Never writes anything. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "app/core/channel.h"
#include "app/core/pack_json.h"
#include "app/core/trust.h"
#include "app/pack/pack.h"

#define HASH_BUF_BYTES 65536

struct verify_opts {
    const char *publish, *channel;
    const char *pubs[TRUST_KEYRING_MAX];
    size_t n_pubs;
    bool at_set;
    int64_t at;
    int64_t min_version; /* what the kiosk has (0: nothing yet) */
};

static void verify_usage(FILE *to)
{
    fprintf(
        to,
        "usage: hiroba-pack verify PUBLISH_DIR --channel NAME --pub KEY.pub [--pub KEY.pub...]\n"
        "                          [--at ISO-TIME] [--min-version N]\n"
        "Checks channel NAME in PUBLISH_DIR as a kiosk trusting the given public keys would:\n"
        "signature, manifest, channel, expiry (at --at, default now), version (above\n"
        "--min-version: the version a kiosk already has), and every object's sha256 and\n"
        "size. Exit 0 when everything holds; otherwise exit 1 and one line per problem on\n"
        "stdout.\n");
}

static int parse_opts(int argc, char **argv, struct verify_opts *o)
{
    static const struct option longopts[] = {
        {"channel", required_argument, NULL, 'c'}, {"pub", required_argument, NULL, 'p'},
        {"at", required_argument, NULL, 'a'},      {"min-version", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    *o = (struct verify_opts){0};
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            o->channel = optarg;
            break;
        case 'p':
            if (o->n_pubs == TRUST_KEYRING_MAX) {
                fprintf(stderr, "hiroba-pack verify: at most %d --pub keys\n", TRUST_KEYRING_MAX);
                return -1;
            }
            o->pubs[o->n_pubs++] = optarg;
            break;
        case 'a':
            if (pack_parse_time(optarg, &o->at) != 0) {
                fprintf(stderr, "hiroba-pack verify: --at wants a time with its offset, like "
                                "2026-11-24T10:00:00+09:00\n");
                return -1;
            }
            o->at_set = true;
            break;
        case 'm':
            if (pack_parse_i64(optarg, 0, (INT64_C(1) << 53) - 1, &o->min_version) != 0) {
                fprintf(stderr, "hiroba-pack verify: --min-version wants a whole number\n");
                return -1;
            }
            break;
        case 'h':
            verify_usage(stdout);
            exit(0);
        default:
            verify_usage(stderr);
            return -1;
        }
    }
    if (optind < argc)
        o->publish = argv[optind++];
    if (optind < argc) {
        fprintf(stderr, "hiroba-pack verify: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    if (!o->publish || !o->channel || o->n_pubs == 0) {
        fprintf(stderr, "hiroba-pack verify: PUBLISH_DIR, --channel and --pub are required\n");
        verify_usage(stderr);
        return -1;
    }
    if (!pack_channel_name_ok(o->channel)) {
        fprintf(stderr, "hiroba-pack verify: --channel: '%s' is not a channel name\n", o->channel);
        return -1;
    }
    return 0;
}

static trust_keyring *load_keys(const struct verify_opts *o)
{
    trust_keyring *kr = trust_keyring_create();
    if (!kr) {
        fprintf(stderr, "hiroba-pack verify: cannot make a keyring\n");
        return NULL;
    }
    for (size_t i = 0; i < o->n_pubs; i++) {
        char err[TRUST_MESSAGE_MAX];
        if (trust_keyring_add_file(kr, o->pubs[i], err, sizeof err) != 0) {
            fprintf(stderr, "hiroba-pack verify: %s\n", err);
            trust_keyring_destroy(kr);
            return NULL;
        }
    }
    return kr;
}

/* Prints the problem, if any; returns how many (0 or 1). *signer gets the key id. */
static int check_signature(const trust_keyring *kr, const char *sig_path, const char *manifest,
                           size_t len, char signer[TRUST_KEY_ID_SIZE])
{
    char *sig = NULL, err[256];
    size_t sig_len;
    signer[0] = '\0';
    if (pack_read_file(sig_path, TRUST_FILE_MAX, &sig, &sig_len, err, sizeof err) != 0) {
        if (errno == ENOENT)
            printf(PACK_SIGNATURE_NAME ": missing: the manifest is not signed (hiroba-pack "
                                       "sign)\n");
        else
            printf(PACK_SIGNATURE_NAME ": %s\n", err);
        return 1;
    }
    trust_result tr;
    trust_verify(kr, manifest, len, sig, sig_len, &tr);
    free(sig);
    if (!tr.ok) {
        printf(PACK_MANIFEST_NAME ": signature: %s: %s\n", trust_error_name(tr.error), tr.message);
        return 1;
    }
    memcpy(signer, tr.key_id, TRUST_KEY_ID_SIZE);
    return 0;
}

/* The channel.c rules that need only the manifest and the time. */
static int check_rules(const struct verify_opts *o, const model_pack *p)
{
    const model_manifest *m = &p->manifest;
    int problems = 0;
    if (strcmp(m->channel, o->channel) != 0) {
        printf(PACK_MANIFEST_NAME ": manifest is for channel '%s', not '%s'\n", m->channel,
               o->channel);
        problems++;
    }
    if (m->version <= o->min_version) {
        printf(PACK_MANIFEST_NAME ": rollback: version %" PRId64
                                  " is not newer than trusted version %" PRId64 "\n",
               m->version, o->min_version);
        problems++;
    } else if (m->version - o->min_version > CHANNEL_MAX_VERSION_JUMP) {
        printf(PACK_MANIFEST_NAME ": version jump from %" PRId64 " to %" PRId64
                                  " (more than %d at once)\n",
               o->min_version, m->version, CHANNEL_MAX_VERSION_JUMP);
        problems++;
    }
    int64_t now = o->at_set ? o->at : (int64_t)time(NULL);
    if (m->expires <= now) {
        char when[40];
        pack_format_time(m->expires, p->zone, when, sizeof when);
        printf(PACK_MANIFEST_NAME ": expired at %s\n", when);
        problems++;
    }
    return problems;
}

/* One object: there, a regular file, exactly its size, hashing to its name. */
static int check_object(const char *publish, const model_object *obj)
{
    char path[PACK_PATH_MAX], rel[80];
    snprintf(path, sizeof path, "%s/objects/%.2s/%s", publish, obj->sha256, obj->sha256);
    snprintf(rel, sizeof rel, "objects/%.2s/%s", obj->sha256, obj->sha256);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (errno == ENOENT)
            printf("%s: missing (%s)\n", rel, obj->name);
        else
            printf("%s: cannot read it: %s (%s)\n", rel, strerror(errno), obj->name);
        if (fd >= 0)
            close(fd);
        return 1;
    }
    if (!S_ISREG(st.st_mode)) {
        printf("%s: not a regular file (%s)\n", rel, obj->name);
        close(fd);
        return 1;
    }
    unsigned char *buf = malloc(HASH_BUF_BYTES);
    if (!buf) {
        printf("%s: out of memory (%s)\n", rel, obj->name);
        close(fd);
        return 1;
    }
    /* Stream and count: the size said by stat may change while we read. */
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    uint64_t total = 0;
    int problems = 0;
    for (;;) {
        ssize_t n = read(fd, buf, HASH_BUF_BYTES);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            printf("%s: read failed: %s (%s)\n", rel, strerror(errno), obj->name);
            problems = 1;
            break;
        }
        if (n == 0)
            break;
        crypto_hash_sha256_update(&h, buf, (unsigned long long)n);
        total += (uint64_t)n;
    }
    free(buf);
    close(fd);
    if (problems)
        return problems;
    if (total != obj->size) {
        printf("%s: size %" PRIu64 ", manifest says %" PRIu64 " (%s)\n", rel, total, obj->size,
               obj->name);
        return 1;
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    char hex[OBJECTS_HEX_SIZE];
    crypto_hash_sha256_final(&h, digest);
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    if (strcmp(hex, obj->sha256) != 0) {
        printf("%s: content does not match its sha256 (it hashes to %.16s…) (%s)\n", rel, hex,
               obj->name);
        return 1;
    }
    return 0;
}

/* Everything after the bytes are read. Returns the number of problems printed. */
static int verify_manifest(const struct verify_opts *o, const trust_keyring *kr,
                           const char *sig_path, const char *manifest, size_t len)
{
    char signer[TRUST_KEY_ID_SIZE];
    int problems = check_signature(kr, sig_path, manifest, len, signer);
    pack_json_errors *errs = malloc(sizeof *errs);
    model_pack *p = NULL;
    if (!errs) {
        printf(PACK_MANIFEST_NAME ": out of memory\n");
        return problems + 1;
    }
    if (pack_json_parse(manifest, len, PACK_MANIFEST_NAME, PACK_JSON_MANIFEST, &p, errs) != 0) {
        pack_json_errors_print(errs, stdout);
        problems += (int)(errs->count + (errs->total > errs->count));
        free(errs);
        return problems;
    }
    free(errs);
    problems += check_rules(o, p);
    uint64_t bytes = 0;
    for (size_t i = 0; i < p->manifest.n_objects; i++) {
        problems += check_object(o->publish, &p->manifest.objects[i]);
        bytes += p->manifest.objects[i].size;
    }
    if (problems == 0) {
        char when[40];
        pack_format_time(p->manifest.expires, p->zone, when, sizeof when);
        printf("ok: channel %s version %" PRId64 ", signed by key %s, %zu object%s (%" PRIu64
               " bytes), expires %s\n",
               p->manifest.channel, p->manifest.version, signer, p->manifest.n_objects,
               p->manifest.n_objects == 1 ? "" : "s", bytes, when);
    }
    model_pack_destroy(p);
    return problems;
}

int pack_cmd_verify(int argc, char **argv)
{
    struct verify_opts o;
    if (parse_opts(argc, argv, &o) != 0)
        return PACK_EXIT_USAGE;
    char manifest_path[PACK_PATH_MAX], sig_path[PACK_PATH_MAX], err[256];
    if (pack_channel_path(o.publish, o.channel, PACK_MANIFEST_NAME, manifest_path,
                          sizeof manifest_path) != 0 ||
        pack_channel_path(o.publish, o.channel, PACK_SIGNATURE_NAME, sig_path, sizeof sig_path) !=
            0) {
        fprintf(stderr, "hiroba-pack verify: %s: path too long\n", o.publish);
        return PACK_EXIT_USAGE;
    }
    trust_keyring *kr = load_keys(&o);
    if (!kr)
        return PACK_EXIT_USAGE;
    char *manifest = NULL;
    size_t len = 0;
    int problems;
    if (pack_read_file(manifest_path, CHANNEL_MANIFEST_MAX, &manifest, &len, err, sizeof err) !=
        0) {
        printf(PACK_MANIFEST_NAME ": %s\n", err);
        problems = 1;
    } else {
        problems = verify_manifest(&o, kr, sig_path, manifest, len);
    }
    free(manifest);
    trust_keyring_destroy(kr);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "hiroba-pack verify: cannot write output\n");
        return PACK_EXIT_PROBLEMS;
    }
    return problems ? PACK_EXIT_PROBLEMS : PACK_EXIT_OK;
}
