/* trust (public side): the keyring of trusted minisign public keys and verification of
 * .minisig files, plus the strict parsing helpers both sides share. Everything here
 * reads untrusted bytes: it bounds them, never allocates per input, and reports a
 * reason a person can act on. It must never accept a signature it did not verify. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "app/core/log.h"
#include "app/core/trust.h"
#include "app/core/trust_private.h"

typedef struct trust_pubkey {
    unsigned char keynum[TRUST_KEYNUM_BYTES];
    unsigned char pk[TRUST_PK_BYTES];
} trust_pubkey;

struct trust_keyring {
    trust_pubkey keys[TRUST_KEYRING_MAX];
    size_t count;
};

/* A parsed .minisig file; borrows the text for the trusted comment. */
typedef struct trust_sig {
    bool prehashed;
    unsigned char keynum[TRUST_KEYNUM_BYTES];
    unsigned char sig[TRUST_SIG_BYTES];
    unsigned char global_sig[TRUST_SIG_BYTES];
    const char *trusted_comment;
    size_t trusted_comment_len;
} trust_sig;

/* ---- Shared helpers ----------------------------------------------------------------------- */

void trust_set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (err == NULL || errlen == 0) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

int trust_sodium_ready(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

uint64_t trust_le64_load(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    return v;
}

void trust_le64_store(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        p[i] = (unsigned char)(v >> (8 * i));
    }
}

void trust_key_id_hex(const unsigned char keynum[TRUST_KEYNUM_BYTES], char out[TRUST_KEY_ID_SIZE])
{
    snprintf(out, TRUST_KEY_ID_SIZE, "%016" PRIX64, trust_le64_load(keynum));
}

int trust_split_lines(const char *text, size_t len, size_t max_lines, trust_lines *out, char *err,
                      size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (max_lines > TRUST_LINES_MAX) {
        max_lines = TRUST_LINES_MAX;
    }
    if (text == NULL || len == 0) {
        trust_set_err(err, errlen, "empty");
        return -1;
    }
    if (len > TRUST_FILE_MAX) {
        trust_set_err(err, errlen, "larger than %d bytes (%zu)", TRUST_FILE_MAX, len);
        return -1;
    }
    size_t at = 0;
    size_t line_no = 0;
    while (at < len) {
        const char *start = text + at;
        const char *nl = memchr(start, '\n', len - at);
        size_t line_len = nl ? (size_t)(nl - start) : len - at;
        at += line_len + (nl ? 1 : 0);
        line_no++;
        if (line_len > 0 && start[line_len - 1] == '\r') {
            line_len--; /* CRLF: staff on Windows */
        }
        if (memchr(start, '\0', line_len) != NULL) {
            trust_set_err(err, errlen, "line %zu: NUL byte", line_no);
            return -1;
        }
        if (memchr(start, '\r', line_len) != NULL) {
            trust_set_err(err, errlen, "line %zu: carriage return inside the line", line_no);
            return -1;
        }
        if (line_no > max_lines) {
            trust_set_err(err, errlen, "line %zu: extra line (expected at most %zu)", line_no,
                          max_lines);
            return -1;
        }
        out->at[line_no - 1] = start;
        out->len[line_no - 1] = line_len;
    }
    out->count = line_no;
    return 0;
}

int trust_base64_decode_exact(const char *b64, size_t b64_len, unsigned char *bin, size_t want,
                              size_t line_no, const char *what, char *err, size_t errlen)
{
    /* Large enough for any line of a file within TRUST_FILE_MAX. */
    unsigned char tmp[TRUST_FILE_MAX / 4 * 3 + 3];
    size_t got = 0;
    int rc = -1;

    if (b64_len == 0) {
        trust_set_err(err, errlen, "line %zu: empty, expected the base64 %s", line_no, what);
        return -1;
    }
    if (b64[b64_len - 1] == ' ' || b64[b64_len - 1] == '\t') {
        trust_set_err(err, errlen, "line %zu: trailing white space after the base64 %s", line_no,
                      what);
        return -1;
    }
    if (sodium_base642bin(tmp, sizeof tmp, b64, b64_len, NULL, &got, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0) {
        trust_set_err(err, errlen, "line %zu: the %s is not valid base64", line_no, what);
        goto done;
    }
    if (got != want) {
        trust_set_err(err, errlen, "line %zu: the %s is %zu bytes, expected %zu", line_no, what,
                      got, want);
        goto done;
    }
    memcpy(bin, tmp, want);
    rc = 0;
done:
    sodium_memzero(tmp, sizeof tmp); /* the secret key goes through here too */
    return rc;
}

void trust_base64_encode(char *out, size_t out_size, const unsigned char *bin, size_t bin_len)
{
    sodium_bin2base64(out, out_size, bin, bin_len, sodium_base64_VARIANT_ORIGINAL);
}

int trust_read_small_file(const char *path, char *buf, size_t *len, char *err, size_t errlen)
{
    /* open/read rather than stdio: no library buffer keeps a copy of a secret key. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        trust_set_err(err, errlen, "%s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        trust_set_err(err, errlen, "not a regular file");
        close(fd);
        return -1;
    }
    size_t n = 0;
    while (n < TRUST_FILE_MAX + 1) {
        ssize_t r = read(fd, buf + n, TRUST_FILE_MAX + 1 - n);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            trust_set_err(err, errlen, "read failed: %s", strerror(errno));
            close(fd);
            return -1;
        }
        if (r == 0) {
            break;
        }
        n += (size_t)r;
    }
    close(fd);
    if (n > TRUST_FILE_MAX) {
        trust_set_err(err, errlen, "larger than %d bytes", TRUST_FILE_MAX);
        return -2;
    }
    *len = n;
    return 0;
}

int trust_comment_ok(const char *comment, size_t max, const char *what, char *err, size_t errlen)
{
    size_t len = strnlen(comment, max + 1);
    if (len > max) {
        trust_set_err(err, errlen, "%s longer than %zu bytes", what, max);
        return -1;
    }
    if (strpbrk(comment, "\r\n") != NULL) {
        trust_set_err(err, errlen, "%s must be one line (no CR or LF)", what);
        return -1;
    }
    return 0;
}

bool trust_has_prefix(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(s, prefix, n) == 0;
}

const char *trust_error_name(trust_error error)
{
    switch (error) {
    case TRUST_OK:
        return "ok";
    case TRUST_ERR_FORMAT:
        return "format";
    case TRUST_ERR_UNKNOWN_KEY:
        return "unknown-key";
    case TRUST_ERR_BAD_SIGNATURE:
        return "bad-signature";
    case TRUST_ERR_BAD_GLOBAL_SIGNATURE:
        return "bad-global-signature";
    case TRUST_ERR_IO:
        return "io";
    case TRUST_ERR_INTERNAL:
        return "internal";
    }
    return "unknown";
}

/* ---- Keyring ------------------------------------------------------------------------------ */

trust_keyring *trust_keyring_create(void)
{
    if (trust_sodium_ready() != 0) {
        LOG_ERROR("trust", "libsodium failed to initialise");
        return NULL;
    }
    trust_keyring *kr = calloc(1, sizeof *kr);
    if (kr == NULL) {
        LOG_ERROR("trust", "out of memory for the keyring");
    }
    return kr;
}

void trust_keyring_destroy(trust_keyring *kr)
{
    free(kr);
}

trust_keyring *trust_keyring_from_files(const char *const *paths, size_t n, const char *module)
{
    trust_keyring *kr = trust_keyring_create();
    for (size_t i = 0; kr && i < n; i++) {
        char err[256];
        if (trust_keyring_add_file(kr, paths[i], err, sizeof err) != 0)
            LOG_ERROR(module, "trust key %s: %s", paths[i], err);
    }
    return kr;
}

size_t trust_keyring_count(const trust_keyring *kr)
{
    return kr ? kr->count : 0;
}

int trust_keyring_key_id(const trust_keyring *kr, size_t index, char out[TRUST_KEY_ID_SIZE])
{
    if (kr == NULL || index >= kr->count) {
        out[0] = '\0';
        return -1;
    }
    trust_key_id_hex(kr->keys[index].keynum, out);
    return 0;
}

static const trust_pubkey *keyring_find(const trust_keyring *kr,
                                        const unsigned char keynum[TRUST_KEYNUM_BYTES])
{
    for (size_t i = 0; i < kr->count; i++) {
        if (memcmp(kr->keys[i].keynum, keynum, TRUST_KEYNUM_BYTES) == 0) {
            return &kr->keys[i];
        }
    }
    return NULL;
}

static int keyring_insert(trust_keyring *kr, const trust_pubkey *key, const char *where, char *err,
                          size_t errlen)
{
    char id[TRUST_KEY_ID_SIZE];
    trust_key_id_hex(key->keynum, id);
    const trust_pubkey *have = keyring_find(kr, key->keynum);
    if (have != NULL) {
        if (memcmp(have->pk, key->pk, TRUST_PK_BYTES) == 0) {
            return 0; /* the same key listed twice */
        }
        trust_set_err(err, errlen, "%s: key id %s is already trusted with a different public key",
                      where, id);
        return -1;
    }
    if (kr->count == TRUST_KEYRING_MAX) {
        trust_set_err(err, errlen, "%s: at most %d keys can be trusted", where, TRUST_KEYRING_MAX);
        return -1;
    }
    kr->keys[kr->count++] = *key;
    return 0;
}

int trust_keyring_add_text(trust_keyring *kr, const char *text, size_t len, const char *where,
                           char *err, size_t errlen)
{
    char why[TRUST_MESSAGE_MAX];
    unsigned char blob[TRUST_PUBKEY_BYTES];
    trust_lines lines;

    if (where == NULL) {
        where = "public key";
    }
    if (kr == NULL) {
        trust_set_err(err, errlen, "%s: no keyring", where);
        return -1;
    }
    if (trust_split_lines(text, len, 2, &lines, why, sizeof why) != 0) {
        trust_set_err(err, errlen, "%s: %s", where, why);
        return -1;
    }
    size_t key_line = 1;
    if (lines.count == 2) {
        if (!trust_has_prefix(lines.at[0], lines.len[0], TRUST_COMMENT_PREFIX)) {
            trust_set_err(err, errlen, "%s: line 1: expected \"" TRUST_COMMENT_PREFIX "...\"",
                          where);
            return -1;
        }
        if (lines.len[0] - strlen(TRUST_COMMENT_PREFIX) > TRUST_COMMENT_MAX) {
            trust_set_err(err, errlen, "%s: line 1: comment longer than %d bytes", where,
                          TRUST_COMMENT_MAX);
            return -1;
        }
        key_line = 2;
    } else if (trust_has_prefix(lines.at[0], lines.len[0], "untrusted comment:")) {
        trust_set_err(err, errlen, "%s: line 2: missing the base64 public key", where);
        return -1;
    }
    if (trust_base64_decode_exact(lines.at[key_line - 1], lines.len[key_line - 1], blob,
                                  sizeof blob, key_line, "public key", why, sizeof why) != 0) {
        trust_set_err(err, errlen, "%s: %s", where, why);
        return -1;
    }
    if (memcmp(blob, TRUST_SIGALG, 2) != 0) {
        trust_set_err(err, errlen,
                      "%s: line %zu: unsupported key algorithm (bytes %02X %02X, expected \"Ed\")",
                      where, key_line, blob[0], blob[1]);
        return -1;
    }
    trust_pubkey key;
    memcpy(key.keynum, blob + 2, TRUST_KEYNUM_BYTES);
    memcpy(key.pk, blob + 2 + TRUST_KEYNUM_BYTES, TRUST_PK_BYTES);
    if (crypto_core_ed25519_is_valid_point(key.pk) != 1) {
        trust_set_err(err, errlen, "%s: line %zu: not a valid Ed25519 public key", where, key_line);
        return -1;
    }
    return keyring_insert(kr, &key, where, err, errlen);
}

int trust_keyring_add_file(trust_keyring *kr, const char *path, char *err, size_t errlen)
{
    char buf[TRUST_FILE_MAX + 1];
    char why[TRUST_MESSAGE_MAX];
    size_t len = 0;

    if (path == NULL) {
        trust_set_err(err, errlen, "no public key file given");
        return -1;
    }
    if (trust_read_small_file(path, buf, &len, why, sizeof why) != 0) {
        trust_set_err(err, errlen, "%s: %s", path, why);
        return -1;
    }
    return trust_keyring_add_text(kr, buf, len, path, err, errlen);
}

int trust_keyring_add_base64(trust_keyring *kr, const char *b64, char *err, size_t errlen)
{
    if (b64 == NULL) {
        trust_set_err(err, errlen, "public key: none given");
        return -1;
    }
    size_t len = strnlen(b64, TRUST_FILE_MAX + 1);
    if (memchr(b64, '\n', len) != NULL) {
        trust_set_err(err, errlen, "public key: expected the bare base64 line");
        return -1;
    }
    return trust_keyring_add_text(kr, b64, len, "public key", err, errlen);
}

/* ---- Verifying ---------------------------------------------------------------------------- */

__attribute__((format(printf, 3, 4))) static int fail(trust_result *out, trust_error error,
                                                      const char *fmt, ...)
{
    out->ok = false;
    out->error = error;
    out->trusted_comment[0] = '\0';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->message, sizeof out->message, fmt, ap);
    va_end(ap);
    return -1;
}

/* Line by line, as minisign's sig_load reads it, but strict: exactly four lines. */
static int parse_signature(const char *text, size_t len, trust_sig *sig, trust_result *out)
{
    static const char *const line_names[] = {"untrusted comment", "signature", "trusted comment",
                                             "global signature"};
    char why[TRUST_MESSAGE_MAX];
    unsigned char blob[TRUST_SIGBLOB_BYTES];
    trust_lines lines;

    if (trust_split_lines(text, len, 4, &lines, why, sizeof why) != 0) {
        return fail(out, TRUST_ERR_FORMAT, "%s", why);
    }
    if (lines.count < 4) {
        return fail(out, TRUST_ERR_FORMAT,
                    "line %zu: missing the %s (a signature file has 4 lines)", lines.count + 1,
                    line_names[lines.count]);
    }
    if (!trust_has_prefix(lines.at[0], lines.len[0], TRUST_COMMENT_PREFIX)) {
        return fail(out, TRUST_ERR_FORMAT, "line 1: expected \"" TRUST_COMMENT_PREFIX "...\"");
    }
    if (lines.len[0] - strlen(TRUST_COMMENT_PREFIX) > TRUST_COMMENT_MAX) {
        return fail(out, TRUST_ERR_FORMAT, "line 1: untrusted comment longer than %d bytes",
                    TRUST_COMMENT_MAX);
    }
    if (trust_base64_decode_exact(lines.at[1], lines.len[1], blob, sizeof blob, 2, "signature", why,
                                  sizeof why) != 0) {
        return fail(out, TRUST_ERR_FORMAT, "%s", why);
    }
    if (memcmp(blob, TRUST_SIGALG_HASHED, 2) == 0) {
        sig->prehashed = true;
    } else if (memcmp(blob, TRUST_SIGALG, 2) == 0) {
        sig->prehashed = false;
    } else {
        return fail(out, TRUST_ERR_FORMAT,
                    "line 2: unsupported signature algorithm (bytes %02X %02X, expected \"ED\" "
                    "or \"Ed\")",
                    blob[0], blob[1]);
    }
    memcpy(sig->keynum, blob + 2, TRUST_KEYNUM_BYTES);
    memcpy(sig->sig, blob + 2 + TRUST_KEYNUM_BYTES, TRUST_SIG_BYTES);
    trust_key_id_hex(sig->keynum, out->key_id);
    out->prehashed = sig->prehashed;

    size_t prefix = strlen(TRUST_TRUSTED_COMMENT_PREFIX);
    if (!trust_has_prefix(lines.at[2], lines.len[2], TRUST_TRUSTED_COMMENT_PREFIX)) {
        return fail(out, TRUST_ERR_FORMAT,
                    "line 3: expected \"" TRUST_TRUSTED_COMMENT_PREFIX "...\"");
    }
    if (lines.len[2] - prefix > TRUST_COMMENT_MAX) {
        return fail(out, TRUST_ERR_FORMAT, "line 3: trusted comment longer than %d bytes",
                    TRUST_COMMENT_MAX);
    }
    sig->trusted_comment = lines.at[2] + prefix;
    sig->trusted_comment_len = lines.len[2] - prefix;
    if (trust_base64_decode_exact(lines.at[3], lines.len[3], sig->global_sig, TRUST_SIG_BYTES, 4,
                                  "global signature", why, sizeof why) != 0) {
        return fail(out, TRUST_ERR_FORMAT, "%s", why);
    }
    return 0;
}

static void list_key_ids(const trust_keyring *kr, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < kr->count && used < size; i++) {
        char id[TRUST_KEY_ID_SIZE];
        trust_key_id_hex(kr->keys[i].keynum, id);
        int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", id);
        if (n < 0) {
            break;
        }
        used += (size_t)n;
    }
}

int trust_verify(const trust_keyring *kr, const void *msg, size_t len, const char *sig_text,
                 size_t sig_len, trust_result *out)
{
    static const unsigned char nothing[1];
    unsigned char hash[crypto_generichash_BYTES_MAX];
    unsigned char signed_comment[TRUST_SIG_BYTES + TRUST_COMMENT_MAX];
    trust_sig sig;

    if (out == NULL) {
        return -1;
    }
    memset(out, 0, sizeof *out);
    if (kr == NULL || (msg == NULL && len > 0) || (sig_text == NULL && sig_len > 0)) {
        return fail(out, TRUST_ERR_INTERNAL, "no keyring, message or signature given");
    }
    if (msg == NULL) {
        msg = nothing;
    }
    if (parse_signature(sig_text, sig_len, &sig, out) != 0) {
        return -1;
    }
    const trust_pubkey *key = keyring_find(kr, sig.keynum);
    if (key == NULL) {
        char ids[TRUST_MESSAGE_MAX / 2];
        list_key_ids(kr, ids, sizeof ids);
        return fail(out, TRUST_ERR_UNKNOWN_KEY, "signed by key %s, which is not trusted (%s%s)",
                    out->key_id, kr->count ? "trusted: " : "no key is trusted", ids);
    }

    const unsigned char *signed_msg = msg;
    size_t signed_len = len;
    if (sig.prehashed) {
        crypto_generichash(hash, sizeof hash, msg, len, NULL, 0);
        signed_msg = hash;
        signed_len = sizeof hash;
    }
    if (crypto_sign_verify_detached(sig.sig, signed_msg, signed_len, key->pk) != 0) {
        return fail(out, TRUST_ERR_BAD_SIGNATURE,
                    "the signature does not match the data (%s signature by key %s): the data "
                    "or the signature was altered",
                    sig.prehashed ? "prehashed" : "legacy", out->key_id);
    }
    /* The global signature binds the trusted comment to this signature. */
    memcpy(signed_comment, sig.sig, TRUST_SIG_BYTES);
    memcpy(signed_comment + TRUST_SIG_BYTES, sig.trusted_comment, sig.trusted_comment_len);
    if (crypto_sign_verify_detached(sig.global_sig, signed_comment,
                                    TRUST_SIG_BYTES + sig.trusted_comment_len, key->pk) != 0) {
        return fail(out, TRUST_ERR_BAD_GLOBAL_SIGNATURE,
                    "line 3: the trusted comment does not match its signature: it was altered "
                    "(key %s)",
                    out->key_id);
    }
    memcpy(out->trusted_comment, sig.trusted_comment, sig.trusted_comment_len);
    out->trusted_comment[sig.trusted_comment_len] = '\0';
    out->ok = true;
    out->error = TRUST_OK;
    return 0;
}

int trust_verify_file(const trust_keyring *kr, const void *msg, size_t len, const char *sig_path,
                      trust_result *out)
{
    char buf[TRUST_FILE_MAX + 1];
    char why[TRUST_MESSAGE_MAX];
    size_t sig_len = 0;

    if (out == NULL) {
        return -1;
    }
    memset(out, 0, sizeof *out);
    if (sig_path == NULL) {
        return fail(out, TRUST_ERR_INTERNAL, "no signature file given");
    }
    int rc = trust_read_small_file(sig_path, buf, &sig_len, why, sizeof why);
    if (rc != 0) {
        return fail(out, rc == -2 ? TRUST_ERR_FORMAT : TRUST_ERR_IO, "%s", why);
    }
    return trust_verify(kr, msg, len, buf, sig_len, out);
}
