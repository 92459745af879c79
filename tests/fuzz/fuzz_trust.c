/* fuzz_trust: libFuzzer target for the minisign parsers in app/core/trust. Every input
 * is tried as a .minisig file against a fixed keyring and message, and as a public key
 * file. The promises of trust.h are checked; a broken one aborts with a line on stderr
 * saying which. The seeds are signatures of FUZZ_MESSAGE by FUZZ_PUBKEY's key (made
 * with `minisign -S`, prehashed and legacy), so mutations start from valid files. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/trust.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MESSAGE "hiroba fuzz message\n"
#define FUZZ_PUBKEY  "RWSvWXeBOtP9wWnUoWjYnMCd57lrgv6BCeYtUbHSX9UUI3W0sjoVJaNJ"
#define FUZZ_KEY_ID  "C1FDD33A817759AF"

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_trust: invariant failed: %s (line %d): ", #cond, __LINE__);      \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* Made once per process. */
static trust_keyring *g_keyring; /* FUZZ_PUBKEY */
static trust_keyring *g_empty;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    char err[TRUST_MESSAGE_MAX];
    g_keyring = trust_keyring_create();
    g_empty = trust_keyring_create();
    if (!g_keyring || !g_empty ||
        trust_keyring_add_base64(g_keyring, FUZZ_PUBKEY, err, sizeof err)) {
        fprintf(stderr, "fuzz_trust: cannot set up the keyring: %s\n", err);
        abort();
    }
    return 0;
}

static bool is_key_id(const char *s)
{
    if (strlen(s) != TRUST_KEY_ID_SIZE - 1) {
        return false;
    }
    for (const char *p = s; *p; p++) {
        if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'F'))) {
            return false;
        }
    }
    return true;
}

static bool bounded(const char *s, size_t size)
{
    return memchr(s, '\0', size) != NULL;
}

/* memmem is a GNU extension; the build is POSIX. */
static bool contains(const char *hay, size_t hay_len, const char *needle, size_t len)
{
    for (size_t i = 0; len <= hay_len && i <= hay_len - len; i++) {
        if (memcmp(hay + i, needle, len) == 0) {
            return true;
        }
    }
    return false;
}

static void check_result(const trust_result *r, int rc)
{
    CHECK(bounded(r->message, sizeof r->message), "message not terminated");
    CHECK(bounded(r->trusted_comment, sizeof r->trusted_comment), "comment not terminated");
    CHECK(bounded(r->key_id, sizeof r->key_id), "key id not terminated");
    CHECK((rc == 0) == r->ok && r->ok == (r->error == TRUST_OK), "rc %d ok %d error %s", rc, r->ok,
          trust_error_name(r->error));
    CHECK(r->error >= TRUST_OK && r->error <= TRUST_ERR_INTERNAL, "error %d", (int)r->error);
    CHECK(r->error != TRUST_ERR_IO && r->error != TRUST_ERR_INTERNAL, "%s for valid arguments",
          trust_error_name(r->error));
    CHECK(r->ok == (r->message[0] == '\0'), "message \"%s\" with ok %d", r->message, r->ok);
    CHECK(r->ok || r->trusted_comment[0] == '\0', "unverified trusted comment leaked");
    CHECK(r->key_id[0] == '\0' || is_key_id(r->key_id), "key id \"%s\"", r->key_id);
    /* Past parsing, the signer is always named. */
    CHECK(r->error == TRUST_OK || r->error == TRUST_ERR_FORMAT || is_key_id(r->key_id),
          "%s without a key id", trust_error_name(r->error));
    CHECK(strchr(r->trusted_comment, '\n') == NULL && strchr(r->trusted_comment, '\r') == NULL,
          "trusted comment spans lines");
}

static void fuzz_signature(const char *text, size_t size)
{
    trust_result r, again;
    int rc = trust_verify(g_keyring, FUZZ_MESSAGE, strlen(FUZZ_MESSAGE), text, size, &r);
    check_result(&r, rc);
    if (size > TRUST_FILE_MAX || size == 0) {
        CHECK(r.error == TRUST_ERR_FORMAT, "size %zu gave %s", size, trust_error_name(r.error));
    }
    /* Same input, same answer. */
    int rc2 = trust_verify(g_keyring, FUZZ_MESSAGE, strlen(FUZZ_MESSAGE), text, size, &again);
    CHECK(rc2 == rc && again.error == r.error && again.prehashed == r.prehashed &&
              strcmp(again.key_id, r.key_id) == 0 && strcmp(again.message, r.message) == 0 &&
              strcmp(again.trusted_comment, r.trusted_comment) == 0,
          "second verify differs");
    if (r.error == TRUST_ERR_UNKNOWN_KEY) {
        CHECK(strcmp(r.key_id, FUZZ_KEY_ID) != 0, "the trusted key reported unknown");
    }
    if (!r.ok) {
        return;
    }
    /* Accepted: it was signed by the one trusted key, and what it returns was in the file. */
    CHECK(strcmp(r.key_id, FUZZ_KEY_ID) == 0, "accepted key %s", r.key_id);
    char line[TRUST_COMMENT_MAX + 32];
    int n = snprintf(line, sizeof line, "trusted comment: %s", r.trusted_comment);
    CHECK(n > 0 && contains(text, size, line, (size_t)n), "comment not in the input");
    /* ...and it holds for this message only, under this keyring only. */
    trust_result other;
    char msg[] = FUZZ_MESSAGE;
    msg[0] ^= 0x20;
    CHECK(trust_verify(g_keyring, msg, strlen(msg), text, size, &other) == -1 &&
              other.error == TRUST_ERR_BAD_SIGNATURE,
          "accepted for another message: %s", trust_error_name(other.error));
    CHECK(trust_verify(g_empty, FUZZ_MESSAGE, strlen(FUZZ_MESSAGE), text, size, &other) == -1 &&
              other.error == TRUST_ERR_UNKNOWN_KEY,
          "accepted with no trusted key");
}

static void fuzz_public_key(const char *text, size_t size)
{
    char err[TRUST_MESSAGE_MAX] = "";
    char id[TRUST_KEY_ID_SIZE];
    trust_keyring *kr = trust_keyring_create();
    CHECK(kr != NULL, "keyring");
    int rc = trust_keyring_add_text(kr, text, size, "fuzz", err, sizeof err);
    CHECK(bounded(err, sizeof err), "err not terminated");
    if (rc != 0) {
        CHECK(rc == -1 && trust_keyring_count(kr) == 0, "rc %d count %zu", rc,
              trust_keyring_count(kr));
        CHECK(strncmp(err, "fuzz: ", 6) == 0 && strlen(err) > 6, "err \"%s\"", err);
    } else {
        CHECK(size <= TRUST_FILE_MAX, "accepted %zu bytes", size);
        CHECK(trust_keyring_count(kr) == 1, "count %zu", trust_keyring_count(kr));
        CHECK(trust_keyring_key_id(kr, 0, id) == 0 && is_key_id(id), "key id \"%s\"", id);
        /* Adding the same key again is a no-op. */
        CHECK(trust_keyring_add_text(kr, text, size, "fuzz", err, sizeof err) == 0 &&
                  trust_keyring_count(kr) == 1,
              "re-adding: %s", err);
    }
    trust_keyring_destroy(kr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_signature((const char *)data, size);
    fuzz_public_key((const char *)data, size);
    return 0;
}
