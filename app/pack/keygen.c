/* hiroba-pack keygen: makes the Ed25519 key pair staff sign channels with, in minisign's
 * formats (NAME.pub for the kiosks' config, NAME.key for the signing PC), and prints what
 * goes into a kiosk's trusted keys. Never overwrites a key unless asked, never prints or
 * logs a secret. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/trust.h"
#include "app/pack/pack.h"

struct keygen_opts {
    const char *out, *password_file;
    bool force;
};

static void keygen_usage(FILE *to)
{
    fprintf(to, "usage: hiroba-pack keygen --out NAME [--password-file FILE] [--force]\n"
                "Writes a minisign-compatible key pair: NAME.pub (public: give it to the kiosks)\n"
                "and NAME.key (secret, mode 0600: keep it on the signing PC only).\n"
                "The secret key is unencrypted (like minisign -G -W) unless a password comes\n"
                "from --password-file (one trailing newline is ignored) or from the\n"
                "HIROBA_KEY_PASSWORD environment variable. --force replaces existing files.\n");
}

static int parse_opts(int argc, char **argv, struct keygen_opts *o)
{
    static const struct option longopts[] = {
        {"out", required_argument, NULL, 'o'},
        {"password-file", required_argument, NULL, 'p'},
        {"force", no_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (struct keygen_opts){0};
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            o->out = optarg;
            break;
        case 'p':
            o->password_file = optarg;
            break;
        case 'f':
            o->force = true;
            break;
        case 'h':
            keygen_usage(stdout);
            exit(0);
        default:
            keygen_usage(stderr);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "hiroba-pack keygen: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    if (!o->out || !*o->out) {
        fprintf(stderr, "hiroba-pack keygen: --out NAME is required\n");
        keygen_usage(stderr);
        return -1;
    }
    return 0;
}

/* The base64 line of NAME.pub, the form a kiosk's config and `minisign -P` take. */
static int read_public_line(const char *pub_path, char out[TRUST_PUBKEY_B64_SIZE])
{
    char *text = NULL, err[200];
    size_t len;
    if (pack_read_file(pub_path, TRUST_FILE_MAX, &text, &len, err, sizeof err) != 0)
        return -1;
    char *line = strchr(text, '\n');
    int rc = -1;
    if (line) {
        line++;
        size_t n = strcspn(line, "\r\n");
        if (n == TRUST_PUBKEY_B64_SIZE - 1) {
            memcpy(out, line, n);
            out[n] = '\0';
            rc = 0;
        }
    }
    free(text);
    return rc;
}

int pack_cmd_keygen(int argc, char **argv)
{
    struct keygen_opts o;
    if (parse_opts(argc, argv, &o) != 0)
        return PACK_EXIT_USAGE;
    char *password = NULL, err[TRUST_MESSAGE_MAX];
    if (pack_password_get(o.password_file, &password, err, sizeof err) != 0) {
        fprintf(stderr, "hiroba-pack keygen: %s\n", err);
        return PACK_EXIT_USAGE;
    }
    char pub_path[PACK_PATH_MAX];
    if (snprintf(pub_path, sizeof pub_path, "%s.pub", o.out) >= (int)sizeof pub_path) {
        fprintf(stderr, "hiroba-pack keygen: %s: name too long\n", o.out);
        pack_password_free(password);
        return PACK_EXIT_USAGE;
    }
    bool encrypted = password != NULL;
    trust_keygen_options ko = {.password = password, .overwrite = o.force};
    char id[TRUST_KEY_ID_SIZE];
    int rc = trust_keygen(o.out, &ko, id, err, sizeof err);
    pack_password_free(password);
    if (rc != 0) {
        fprintf(stderr, "hiroba-pack keygen: %s%s\n", err,
                strstr(err, "already exists") ? " (--force replaces it)" : "");
        return PACK_EXIT_PROBLEMS;
    }
    char b64[TRUST_PUBKEY_B64_SIZE];
    if (read_public_line(pub_path, b64) != 0) {
        fprintf(stderr, "hiroba-pack keygen: %s was written but cannot be read back\n", pub_path);
        return PACK_EXIT_PROBLEMS;
    }
    printf("key id: %s\n", id);
    printf("public key: %s\n", b64);
    printf("wrote %s (public: kiosks trust it) and %s.key (secret, %s: keep it off the kiosks)\n",
           pub_path, o.out, encrypted ? "password-protected" : "unencrypted");
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "hiroba-pack keygen: cannot write output\n");
        return PACK_EXIT_PROBLEMS;
    }
    return PACK_EXIT_OK;
}
