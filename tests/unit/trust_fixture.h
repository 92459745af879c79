/* trust_fixture: what test_trust.c and test_trust_inputs.c share: a mkdtemp directory
 * (removed at the end), two key pairs made by trust_keygen (A and B), a message file,
 * and small file helpers. Test code only; include it first (it sets _XOPEN_SOURCE). */
#ifndef HIROBA_TESTS_UNIT_TRUST_FIXTURE_H
#define HIROBA_TESTS_UNIT_TRUST_FIXTURE_H

#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <limits.h>
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
#include <sodium.h>

#include "app/core/trust.h"

#define MSG "{\"format\":1,\"channel\":\"demo\",\"version\":7,\"items\":[\"健診の日程\"]}\n"
#define TC  "channel=demo\tversion=7\t広場のお知らせ"
#define PW  "correct horse battery staple"

/* Fast scrypt limits keep the tests quick; minisign reads the limits from the file. */
#define FAST_OPSLIMIT crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_INTERACTIVE
#define FAST_MEMLIMIT crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_INTERACTIVE

static struct {
    char dir[64];
    bool dir_made;
    trust_secret_key *a, *b, *c; /* c: made by `minisign -G -W` (test_trust.c only) */
    char id_a[TRUST_KEY_ID_SIZE], id_b[TRUST_KEY_ID_SIZE], id_c[TRUST_KEY_ID_SIZE];
} F;

static inline const char *path_in(char *buf, const char *name)
{
    snprintf(buf, PATH_MAX, "%s/%s", F.dir, name);
    return buf;
}

static inline void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static inline size_t read_file(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, cap - 1, f);
    fclose(f);
    buf[n] = '\0';
    return n;
}

/* A keyring holding the public key file dir/pub_name (none if NULL). */
static inline trust_keyring *keyring_of(const char *pub_name)
{
    char path[PATH_MAX], err[TRUST_MESSAGE_MAX];
    trust_keyring *kr = trust_keyring_create();
    assert_non_null(kr);
    if (pub_name != NULL && trust_keyring_add_file(kr, path_in(path, pub_name), err, sizeof err)) {
        fail_msg("%s", err);
    }
    return kr;
}

/* The .minisig text of msg; the caller frees it. */
static inline char *sign_text(const trust_secret_key *key, const char *msg, const char *tc,
                              bool legacy)
{
    char err[TRUST_MESSAGE_MAX];
    char *text = NULL;
    trust_sign_options o = {.trusted_comment = tc, .legacy = legacy};
    if (trust_sign(key, msg, strlen(msg), &o, &text, err, sizeof err) != 0) {
        fail_msg("trust_sign: %s", err);
    }
    return text;
}

static inline int trust_fixture_remove(const char *path, const struct stat *st, int flag,
                                       struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* Makes the directory, keys A and B, and dir/msg.json. Returns 0 or -1 (with a line on
 * stderr). */
static inline int trust_fixture_setup(void)
{
    char path[PATH_MAX], err[TRUST_MESSAGE_MAX];
    strcpy(F.dir, "/tmp/hiroba-trust-XXXXXX");
    if (mkdtemp(F.dir) == NULL) {
        perror("mkdtemp");
        return -1;
    }
    F.dir_made = true;
    if (trust_keygen(path_in(path, "a"), NULL, F.id_a, err, sizeof err) != 0 ||
        trust_keygen(path_in(path, "b"), NULL, F.id_b, err, sizeof err) != 0 ||
        (F.a = trust_secret_key_load(path_in(path, "a.key"), NULL, err, sizeof err)) == NULL ||
        (F.b = trust_secret_key_load(path_in(path, "b.key"), NULL, err, sizeof err)) == NULL) {
        fprintf(stderr, "trust fixture: %s\n", err);
        return -1;
    }
    FILE *f = fopen(path_in(path, "msg.json"), "wb");
    if (f == NULL || fputs(MSG, f) < 0 || fclose(f) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}

/* Safe after a partial setup. */
static inline int trust_fixture_teardown(void)
{
    trust_secret_key_destroy(F.a);
    trust_secret_key_destroy(F.b);
    trust_secret_key_destroy(F.c);
    F.a = F.b = F.c = NULL;
    if (!F.dir_made) {
        return 0;
    }
    F.dir_made = false;
    return nftw(F.dir, trust_fixture_remove, 8, FTW_DEPTH | FTW_PHYS);
}

#endif
