/* hiroba-pack sign: signs a channel's manifest with a minisign secret key, writing
 * manifest.json.minisig next to it (the stock `minisign -Vm` verifies it; a signature made
 * by the stock `minisign -Sm` is just as good to a kiosk). Refuses to sign a manifest the
 * kiosk would reject anyway (unreadable, another channel's, objects missing), so a
 * signature always vouches for something usable. Never prints or keeps a secret. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/core/channel.h"
#include "app/core/pack_json.h"
#include "app/core/trust.h"
#include "app/pack/pack.h"

struct sign_opts {
    const char *publish, *channel, *key, *password_file;
};

static void sign_usage(FILE *to)
{
    fprintf(to,
            "usage: hiroba-pack sign PUBLISH_DIR --channel NAME --key SECRET\n"
            "                        [--password-file FILE]\n"
            "Signs PUBLISH_DIR/channels/NAME/manifest.json with the minisign secret key\n"
            "SECRET (from hiroba-pack keygen or minisign -G) and writes manifest.json.minisig.\n"
            "An encrypted key's password comes from --password-file (one trailing newline\n"
            "is ignored) or from the HIROBA_KEY_PASSWORD environment variable.\n");
}

static int parse_opts(int argc, char **argv, struct sign_opts *o)
{
    static const struct option longopts[] = {
        {"channel", required_argument, NULL, 'c'},
        {"key", required_argument, NULL, 'k'},
        {"password-file", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (struct sign_opts){0};
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            o->channel = optarg;
            break;
        case 'k':
            o->key = optarg;
            break;
        case 'p':
            o->password_file = optarg;
            break;
        case 'h':
            sign_usage(stdout);
            exit(0);
        default:
            sign_usage(stderr);
            return -1;
        }
    }
    if (optind < argc)
        o->publish = argv[optind++];
    if (optind < argc) {
        fprintf(stderr, "hiroba-pack sign: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    if (!o->publish || !o->channel || !o->key) {
        fprintf(stderr, "hiroba-pack sign: PUBLISH_DIR, --channel and --key are required\n");
        sign_usage(stderr);
        return -1;
    }
    if (!pack_channel_name_ok(o->channel)) {
        fprintf(stderr, "hiroba-pack sign: --channel: '%s' is not a channel name\n", o->channel);
        return -1;
    }
    return 0;
}

/* Every object present with its size (verify re-hashes them; this is the cheap check that
 * catches a half-copied publish folder). Prints what is missing. */
static int objects_present(const char *publish, const model_manifest *m)
{
    int missing = 0;
    for (size_t i = 0; i < m->n_objects; i++) {
        const model_object *obj = &m->objects[i];
        char path[PACK_PATH_MAX];
        struct stat st;
        snprintf(path, sizeof path, "%s/objects/%.2s/%s", publish, obj->sha256, obj->sha256);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == obj->size)
            continue;
        fprintf(stderr, "objects/%.2s/%s: %s (%s)\n", obj->sha256, obj->sha256,
                stat(path, &st) != 0 ? "missing" : "wrong size", obj->name);
        missing++;
    }
    return missing;
}

/* Reads and checks the manifest; *version is what the trusted comment will name. */
static int load_manifest(const struct sign_opts *o, const char *path, char **text, size_t *len,
                         int64_t *version)
{
    char err[256];
    if (pack_read_file(path, CHANNEL_MANIFEST_MAX, text, len, err, sizeof err) != 0) {
        fprintf(stderr, "%s: %s%s\n", path, err,
                errno == ENOENT ? " (run hiroba-pack build first)" : "");
        return -1;
    }
    pack_json_errors *errs = malloc(sizeof *errs);
    model_pack *p = NULL;
    int rc = -1;
    if (!errs) {
        fprintf(stderr, "hiroba-pack sign: out of memory\n");
        return -1;
    }
    if (pack_json_parse(*text, *len, PACK_MANIFEST_NAME, PACK_JSON_MANIFEST, &p, errs) != 0) {
        pack_json_errors_print(errs, stderr);
        fprintf(stderr, "hiroba-pack sign: %s is not a valid manifest: not signed\n", path);
    } else if (strcmp(p->manifest.channel, o->channel) != 0) {
        fprintf(stderr, "hiroba-pack sign: %s is for channel '%s', not '%s': not signed\n", path,
                p->manifest.channel, o->channel);
    } else if (objects_present(o->publish, &p->manifest) > 0) {
        fprintf(stderr, "hiroba-pack sign: objects are missing (run hiroba-pack build again): "
                        "not signed\n");
    } else {
        *version = p->manifest.version;
        rc = 0;
    }
    model_pack_destroy(p);
    free(errs);
    return rc;
}

static trust_secret_key *load_key(const struct sign_opts *o)
{
    char *password = NULL, err[TRUST_MESSAGE_MAX];
    if (pack_password_get(o->password_file, &password, err, sizeof err) != 0) {
        fprintf(stderr, "hiroba-pack sign: %s\n", err);
        return NULL;
    }
    trust_secret_key *key = trust_secret_key_load(o->key, password, err, sizeof err);
    bool had_password = password != NULL;
    pack_password_free(password);
    if (!key)
        fprintf(stderr, "hiroba-pack sign: %s%s\n", err,
                strstr(err, "password is needed") && !had_password
                    ? " (give --password-file or set HIROBA_KEY_PASSWORD)"
                    : "");
    return key;
}

int pack_cmd_sign(int argc, char **argv)
{
    struct sign_opts o;
    if (parse_opts(argc, argv, &o) != 0)
        return PACK_EXIT_USAGE;
    char dir[PACK_PATH_MAX], manifest_path[PACK_PATH_MAX], sig_path[PACK_PATH_MAX];
    char err[TRUST_MESSAGE_MAX], comment[160];
    if (pack_channel_path(o.publish, o.channel, NULL, dir, sizeof dir) != 0 ||
        pack_channel_path(o.publish, o.channel, PACK_MANIFEST_NAME, manifest_path,
                          sizeof manifest_path) != 0 ||
        pack_channel_path(o.publish, o.channel, PACK_SIGNATURE_NAME, sig_path, sizeof sig_path) !=
            0) {
        fprintf(stderr, "hiroba-pack sign: %s: path too long\n", o.publish);
        return PACK_EXIT_USAGE;
    }
    trust_secret_key *key = load_key(&o);
    if (!key)
        return PACK_EXIT_PROBLEMS;
    char *text = NULL, *sig = NULL;
    size_t len = 0;
    int64_t version = 0;
    int status = PACK_EXIT_PROBLEMS;
    /* Locked: a build replacing the manifest meanwhile would leave a stale signature. */
    int lock = pack_channel_lock(dir, err, sizeof err);
    if (lock < 0) {
        fprintf(stderr, "hiroba-pack sign: %s\n", err);
        goto done;
    }
    if (load_manifest(&o, manifest_path, &text, &len, &version) != 0)
        goto done;
    snprintf(comment, sizeof comment, "hiroba channel=%s version=%" PRId64, o.channel, version);
    trust_sign_options so = {.trusted_comment = comment,
                             .untrusted_comment = "signature from hiroba-pack secret key"};
    if (trust_sign(key, text, len, &so, &sig, err, sizeof err) != 0 ||
        pack_write_atomic(sig_path, sig, strlen(sig), 0644, err, sizeof err) != 0) {
        fprintf(stderr, "hiroba-pack sign: %s\n", err);
        goto done;
    }
    char id[TRUST_KEY_ID_SIZE];
    trust_secret_key_key_id(key, id);
    printf("signed channel %s version %" PRId64 " with key %s\n", o.channel, version, id);
    printf("wrote %s\n", sig_path);
    status = PACK_EXIT_OK;
done:
    if (lock >= 0)
        close(lock);
    free(sig);
    free(text);
    trust_secret_key_destroy(key);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "hiroba-pack sign: cannot write output\n");
        return PACK_EXIT_PROBLEMS;
    }
    return status;
}
