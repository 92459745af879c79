/* trust (secret side): minisign secret key files (unencrypted, or scrypt-encrypted with a
 * password), key pair generation and signing, for hiroba-pack on a staff PC. The kiosk
 * never loads a secret key. Secrets live in sodium_malloc'd memory (guard pages, wiped
 * on free) and on the stack only until sodium_memzero; they are never logged, and a
 * key file is never written readable by others. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "app/core/log.h"
#include "app/core/trust.h"
#include "app/core/trust_private.h"

/* A key file asking for more than this is refused rather than run for minutes. minisign
 * uses OPSLIMIT_SENSITIVE (2^25) and MEMLIMIT_SENSITIVE (1 GiB). */
#define KDF_OPSLIMIT_MAX      (UINT64_C(1) << 28)
#define KDF_MEMLIMIT_MAX      (UINT64_C(1) << 32)
#define UNTRUSTED_COMMENT_MAX 1000 /* minisign reads the line into 1024 bytes */
#define DEFAULT_SIG_COMMENT   "signature from hiroba-pack secret key"

struct trust_secret_key {
    unsigned char keynum[TRUST_KEYNUM_BYTES];
    unsigned char sk[TRUST_SK_BYTES]; /* seed || public key */
};

/* BLAKE2b-256(sig_alg || keynum || sk), over the decrypted blob. */
static void seckey_checksum(const unsigned char *blob, unsigned char chk[TRUST_CHK_BYTES])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, TRUST_CHK_BYTES);
    crypto_generichash_update(&st, blob + TRUST_SK_OFF_SIGALG, 2);
    crypto_generichash_update(&st, blob + TRUST_SK_OFF_KEYNUM, TRUST_KEYNUM_BYTES);
    crypto_generichash_update(&st, blob + TRUST_SK_OFF_SK, TRUST_SK_BYTES);
    crypto_generichash_final(&st, chk, TRUST_CHK_BYTES);
    sodium_memzero(&st, sizeof st);
}

/* XORs keynum || sk || chk with the scrypt stream of password; encrypting and
 * decrypting are the same operation. */
static int seckey_xor_kdf(unsigned char *blob, const char *password, char *err, size_t errlen)
{
    uint64_t ops = trust_le64_load(blob + TRUST_SK_OFF_OPSLIMIT);
    uint64_t mem = trust_le64_load(blob + TRUST_SK_OFF_MEMLIMIT);
    if (ops > KDF_OPSLIMIT_MAX || mem > KDF_MEMLIMIT_MAX || mem > SIZE_MAX) {
        trust_set_err(err, errlen,
                      "key derivation parameters out of range (opslimit %llu, memlimit %llu)",
                      (unsigned long long)ops, (unsigned long long)mem);
        return -1;
    }
    unsigned char *stream = sodium_malloc(TRUST_KEYNUM_SK_BYTES);
    if (stream == NULL) {
        trust_set_err(err, errlen, "out of memory");
        return -1;
    }
    if (crypto_pwhash_scryptsalsa208sha256(stream, TRUST_KEYNUM_SK_BYTES, password,
                                           strlen(password), blob + TRUST_SK_OFF_SALT, ops,
                                           (size_t)mem) != 0) {
        sodium_free(stream);
        trust_set_err(err, errlen, "key derivation failed (it needs %llu MiB of memory)",
                      (unsigned long long)(mem >> 20));
        return -1;
    }
    for (size_t i = 0; i < TRUST_KEYNUM_SK_BYTES; i++) {
        blob[TRUST_SK_OFF_KEYNUM + i] ^= stream[i];
    }
    sodium_free(stream);
    return 0;
}

static int password_ok(const char *password, char *err, size_t errlen)
{
    if (strnlen(password, TRUST_PASSWORD_MAX + 1) > TRUST_PASSWORD_MAX) {
        trust_set_err(err, errlen, "password longer than %d bytes", TRUST_PASSWORD_MAX);
        return -1;
    }
    if (strpbrk(password, "\r\n") != NULL) {
        /* minisign stops reading a password at the line break, so it could never match. */
        trust_set_err(err, errlen,
                      "password contains a line break (strip the newline that "
                      "ends a password file)");
        return -1;
    }
    return 0;
}

/* Decodes the text of a key file into the decrypted 158-byte blob and checks it. */
static int seckey_decode(const char *text, size_t len, const char *password, unsigned char *blob,
                         char *err, size_t errlen)
{
    unsigned char chk[TRUST_CHK_BYTES];
    unsigned char pk[TRUST_PK_BYTES];
    unsigned char sk[TRUST_SK_BYTES];
    trust_lines lines;
    int rc = -1;

    if (trust_split_lines(text, len, 2, &lines, err, errlen) != 0) {
        return -1;
    }
    if (lines.count < 2) {
        trust_set_err(err, errlen, "line 2: missing the base64 secret key");
        return -1;
    }
    if (!trust_has_prefix(lines.at[0], lines.len[0], TRUST_COMMENT_PREFIX)) {
        trust_set_err(err, errlen, "line 1: expected \"" TRUST_COMMENT_PREFIX "...\"");
        return -1;
    }
    if (trust_base64_decode_exact(lines.at[1], lines.len[1], blob, TRUST_SECKEY_BYTES, 2,
                                  "secret key", err, errlen) != 0) {
        return -1;
    }
    if (memcmp(blob + TRUST_SK_OFF_SIGALG, TRUST_SIGALG, 2) != 0) {
        trust_set_err(err, errlen, "unsupported signature algorithm (expected \"Ed\")");
        return -1;
    }
    if (memcmp(blob + TRUST_SK_OFF_CHKALG, TRUST_CHKALG, 2) != 0) {
        trust_set_err(err, errlen, "unsupported checksum algorithm (expected \"B2\")");
        return -1;
    }
    bool encrypted = memcmp(blob + TRUST_SK_OFF_KDFALG, TRUST_KDFALG, 2) == 0;
    if (!encrypted && !sodium_is_zero(blob + TRUST_SK_OFF_KDFALG, 2)) {
        trust_set_err(err, errlen, "unsupported key derivation (expected \"Sc\" or none)");
        return -1;
    }
    if (encrypted) {
        if (password == NULL) {
            trust_set_err(err, errlen, "the secret key is encrypted: a password is needed");
            return -1;
        }
        if (password_ok(password, err, errlen) != 0 ||
            seckey_xor_kdf(blob, password, err, errlen) != 0) {
            return -1;
        }
    }
    seckey_checksum(blob, chk);
    if (sodium_memcmp(chk, blob + TRUST_SK_OFF_CHK, TRUST_CHK_BYTES) != 0) {
        if (encrypted) {
            trust_set_err(err, errlen, "wrong password or corrupt key");
            goto done;
        }
        /* minisign 0.11's `-G -W` leaves the checksum all zero; the pair check stands in. */
        if (!sodium_is_zero(blob + TRUST_SK_OFF_CHK, TRUST_CHK_BYTES)) {
            trust_set_err(err, errlen, "corrupt key (checksum mismatch)");
            goto done;
        }
    }
    crypto_sign_seed_keypair(pk, sk, blob + TRUST_SK_OFF_SK);
    if (sodium_memcmp(sk, blob + TRUST_SK_OFF_SK, TRUST_SK_BYTES) != 0) {
        trust_set_err(err, errlen, "corrupt key (its secret and public halves differ)");
        goto done;
    }
    rc = 0;
done:
    sodium_memzero(chk, sizeof chk);
    sodium_memzero(sk, sizeof sk);
    return rc;
}

trust_secret_key *trust_secret_key_load(const char *path, const char *password, char *err,
                                        size_t errlen)
{
    char why[TRUST_MESSAGE_MAX];
    char *text = NULL;
    unsigned char *blob = NULL;
    trust_secret_key *key = NULL;
    size_t len = 0;

    if (path == NULL) {
        trust_set_err(err, errlen, "no secret key file given");
        return NULL;
    }
    if (trust_sodium_ready() != 0) {
        trust_set_err(err, errlen, "%s: libsodium failed to initialise", path);
        return NULL;
    }
    text = sodium_malloc(TRUST_FILE_MAX + 1);
    blob = sodium_malloc(TRUST_SECKEY_BYTES);
    key = sodium_malloc(sizeof *key);
    if (text == NULL || blob == NULL || key == NULL) {
        trust_set_err(err, errlen, "%s: out of memory", path);
        goto fail;
    }
    if (trust_read_small_file(path, text, &len, why, sizeof why) != 0 ||
        seckey_decode(text, len, password, blob, why, sizeof why) != 0) {
        trust_set_err(err, errlen, "%s: %s", path, why);
        goto fail;
    }
    struct stat st;
    if (stat(path, &st) == 0 && (st.st_mode & 077) != 0) {
        LOG_WARN("trust", "%s: secret key file is readable by others (mode %03o)", path,
                 (unsigned)(st.st_mode & 0777));
    }
    memcpy(key->keynum, blob + TRUST_SK_OFF_KEYNUM, TRUST_KEYNUM_BYTES);
    memcpy(key->sk, blob + TRUST_SK_OFF_SK, TRUST_SK_BYTES);
    sodium_free(text);
    sodium_free(blob);
    return key;
fail:
    sodium_free(text);
    sodium_free(blob);
    sodium_free(key);
    return NULL;
}

void trust_secret_key_destroy(trust_secret_key *key)
{
    sodium_free(key); /* wipes; NULL is a no-op */
}

void trust_secret_key_key_id(const trust_secret_key *key, char out[TRUST_KEY_ID_SIZE])
{
    trust_key_id_hex(key->keynum, out);
}

static void public_blob(const unsigned char keynum[TRUST_KEYNUM_BYTES],
                        const unsigned char sk[TRUST_SK_BYTES],
                        unsigned char blob[TRUST_PUBKEY_BYTES])
{
    memcpy(blob, TRUST_SIGALG, 2);
    memcpy(blob + 2, keynum, TRUST_KEYNUM_BYTES);
    memcpy(blob + 2 + TRUST_KEYNUM_BYTES, sk + TRUST_SK_BYTES - TRUST_PK_BYTES, TRUST_PK_BYTES);
}

void trust_secret_key_public_base64(const trust_secret_key *key, char out[TRUST_PUBKEY_B64_SIZE])
{
    unsigned char blob[TRUST_PUBKEY_BYTES];
    public_blob(key->keynum, key->sk, blob);
    trust_base64_encode(out, TRUST_PUBKEY_B64_SIZE, blob, sizeof blob);
}

/* ---- Signing ------------------------------------------------------------------------------ */

int trust_sign(const trust_secret_key *key, const void *msg, size_t len,
               const trust_sign_options *opts, char **sig_text_out, char *err, size_t errlen)
{
    static const unsigned char nothing[1];
    unsigned char blob[TRUST_SIGBLOB_BYTES];
    unsigned char global_sig[TRUST_SIG_BYTES];
    unsigned char hash[crypto_generichash_BYTES_MAX];
    unsigned char signed_comment[TRUST_SIG_BYTES + TRUST_COMMENT_MAX];
    char blob_b64[sodium_base64_ENCODED_LEN(TRUST_SIGBLOB_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    char global_b64[sodium_base64_ENCODED_LEN(TRUST_SIG_BYTES, sodium_base64_VARIANT_ORIGINAL)];

    if (sig_text_out == NULL) {
        trust_set_err(err, errlen, "nowhere to put the signature");
        return -1;
    }
    *sig_text_out = NULL;
    if (key == NULL || (msg == NULL && len > 0)) {
        trust_set_err(err, errlen, "no key or message given");
        return -1;
    }
    if (msg == NULL) {
        msg = nothing;
    }
    const char *trusted = opts && opts->trusted_comment ? opts->trusted_comment : "";
    const char *untrusted =
        opts && opts->untrusted_comment ? opts->untrusted_comment : DEFAULT_SIG_COMMENT;
    bool prehashed = !(opts && opts->legacy);
    if (trust_comment_ok(trusted, TRUST_COMMENT_MAX, "trusted comment", err, errlen) != 0 ||
        trust_comment_ok(untrusted, UNTRUSTED_COMMENT_MAX, "untrusted comment", err, errlen) != 0) {
        return -1;
    }

    const unsigned char *signed_msg = msg;
    size_t signed_len = len;
    if (prehashed) {
        crypto_generichash(hash, sizeof hash, msg, len, NULL, 0);
        signed_msg = hash;
        signed_len = sizeof hash;
    }
    memcpy(blob, prehashed ? TRUST_SIGALG_HASHED : TRUST_SIGALG, 2);
    memcpy(blob + 2, key->keynum, TRUST_KEYNUM_BYTES);
    unsigned char *sig = blob + 2 + TRUST_KEYNUM_BYTES;
    crypto_sign_detached(sig, NULL, signed_msg, signed_len, key->sk);

    size_t trusted_len = strlen(trusted);
    memcpy(signed_comment, sig, TRUST_SIG_BYTES);
    memcpy(signed_comment + TRUST_SIG_BYTES, trusted, trusted_len);
    crypto_sign_detached(global_sig, NULL, signed_comment, TRUST_SIG_BYTES + trusted_len, key->sk);

    /* Like minisign's sign(): never hand out a signature the public key would refuse. */
    const unsigned char *pk = key->sk + TRUST_SK_BYTES - TRUST_PK_BYTES;
    if (crypto_sign_verify_detached(sig, signed_msg, signed_len, pk) != 0 ||
        crypto_sign_verify_detached(global_sig, signed_comment, TRUST_SIG_BYTES + trusted_len,
                                    pk) != 0) {
        trust_set_err(err, errlen, "the new signature does not verify (corrupt key in memory?)");
        return -1;
    }

    trust_base64_encode(blob_b64, sizeof blob_b64, blob, sizeof blob);
    trust_base64_encode(global_b64, sizeof global_b64, global_sig, sizeof global_sig);
    size_t size = strlen(TRUST_COMMENT_PREFIX) + strlen(untrusted) + 1 + strlen(blob_b64) + 1 +
                  strlen(TRUST_TRUSTED_COMMENT_PREFIX) + trusted_len + 1 + strlen(global_b64) + 1 +
                  1;
    char *text = malloc(size);
    if (text == NULL) {
        trust_set_err(err, errlen, "out of memory");
        return -1;
    }
    snprintf(text, size, TRUST_COMMENT_PREFIX "%s\n%s\n" TRUST_TRUSTED_COMMENT_PREFIX "%s\n%s\n",
             untrusted, blob_b64, trusted, global_b64);
    *sig_text_out = text;
    return 0;
}

/* ---- Key generation ----------------------------------------------------------------------- */

static int write_key_file(const char *path, const char *data, size_t len, mode_t mode,
                          bool overwrite, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL), mode);
    if (fd < 0) {
        trust_set_err(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    /* An overwritten file keeps its old mode; a secret key must not. */
    if (overwrite && fchmod(fd, mode) != 0) {
        goto fail;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            goto fail;
        }
        done += (size_t)n;
    }
    if (fsync(fd) != 0) {
        goto fail;
    }
    if (close(fd) != 0) {
        trust_set_err(err, errlen, "%s: %s", path, strerror(errno));
        unlink(path);
        return -1;
    }
    return 0;
fail:
    trust_set_err(err, errlen, "%s: %s", path, strerror(errno));
    close(fd);
    unlink(path);
    return -1;
}

/* Encrypts blob in place with the password, choosing the salt and scrypt limits. */
static int seckey_encrypt(unsigned char *blob, const char *password,
                          const trust_keygen_options *opts, char *err, size_t errlen)
{
    bool defaults = opts->kdf_opslimit == 0 && opts->kdf_memlimit == 0;
    uint64_t ops = opts->kdf_opslimit ? opts->kdf_opslimit
                                      : crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_SENSITIVE;
    uint64_t mem = opts->kdf_memlimit ? opts->kdf_memlimit
                                      : crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_SENSITIVE;
    randombytes_buf(blob + TRUST_SK_OFF_SALT, TRUST_SALT_BYTES);
    for (;;) {
        trust_le64_store(blob + TRUST_SK_OFF_OPSLIMIT, ops);
        trust_le64_store(blob + TRUST_SK_OFF_MEMLIMIT, mem);
        if (seckey_xor_kdf(blob, password, err, errlen) == 0) {
            return 0;
        }
        /* minisign's fallback on a small machine: halve both, warn, never go below MIN. */
        ops /= 2;
        mem /= 2;
        if (!defaults || ops < crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_MIN ||
            mem < crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_MIN) {
            return -1;
        }
        LOG_WARN("trust", "key derivation: not enough memory, trying %llu MiB",
                 (unsigned long long)(mem >> 20));
    }
}

static int keygen_paths(const char *base, char *pub, char *sec, size_t size, bool overwrite,
                        char *err, size_t errlen)
{
    if (base == NULL || base[0] == '\0') {
        trust_set_err(err, errlen, "no output name for the key pair");
        return -1;
    }
    int a = snprintf(pub, size, "%s.pub", base);
    int b = snprintf(sec, size, "%s.key", base);
    if (a < 0 || b < 0 || (size_t)a >= size || (size_t)b >= size) {
        trust_set_err(err, errlen, "%s: path too long", base);
        return -1;
    }
    if (!overwrite) {
        const char *exists = access(pub, F_OK) == 0 ? pub : access(sec, F_OK) == 0 ? sec : NULL;
        if (exists != NULL) {
            trust_set_err(err, errlen, "%s already exists (not overwriting a key)", exists);
            return -1;
        }
    }
    return 0;
}

int trust_keygen(const char *out_base, const trust_keygen_options *opts,
                 char key_id_out[TRUST_KEY_ID_SIZE], char *err, size_t errlen)
{
    static const trust_keygen_options no_opts = {0};
    char pub_path[PATH_MAX];
    char sec_path[PATH_MAX];
    char id[TRUST_KEY_ID_SIZE];
    unsigned char pub_blob[TRUST_PUBKEY_BYTES];
    char pub_b64[TRUST_PUBKEY_B64_SIZE];
    char pub_text[256];
    enum {
        SEC_B64 = sodium_base64_ENCODED_LEN(TRUST_SECKEY_BYTES, sodium_base64_VARIANT_ORIGINAL)
    };
    enum { SEC_TEXT = 128 + SEC_B64 };
    unsigned char *blob = NULL;
    char *sec_b64 = NULL;
    char *sec_text = NULL;

    if (opts == NULL) {
        opts = &no_opts;
    }
    if (opts->password != NULL && opts->password[0] == '\0') {
        trust_set_err(err, errlen, "empty password (pass none for an unencrypted key)");
        return -1;
    }
    if (opts->password != NULL && password_ok(opts->password, err, errlen) != 0) {
        return -1;
    }
    if (keygen_paths(out_base, pub_path, sec_path, sizeof pub_path, opts->overwrite, err, errlen) !=
        0) {
        return -1;
    }
    if (trust_sodium_ready() != 0) {
        trust_set_err(err, errlen, "libsodium failed to initialise");
        return -1;
    }
    blob = sodium_malloc(TRUST_SECKEY_BYTES);
    sec_b64 = sodium_malloc(SEC_B64);
    sec_text = sodium_malloc(SEC_TEXT);
    if (blob == NULL || sec_b64 == NULL || sec_text == NULL) {
        trust_set_err(err, errlen, "out of memory");
        goto fail;
    }

    /* The layout minisign's generate() writes: salt and limits zero when unencrypted. */
    memset(blob, 0, TRUST_SECKEY_BYTES);
    memcpy(blob + TRUST_SK_OFF_SIGALG, TRUST_SIGALG, 2);
    memcpy(blob + TRUST_SK_OFF_KDFALG, opts->password ? TRUST_KDFALG : "\0\0", 2);
    memcpy(blob + TRUST_SK_OFF_CHKALG, TRUST_CHKALG, 2);
    randombytes_buf(blob + TRUST_SK_OFF_KEYNUM, TRUST_KEYNUM_BYTES);
    unsigned char pk[TRUST_PK_BYTES];
    crypto_sign_keypair(pk, blob + TRUST_SK_OFF_SK);
    public_blob(blob + TRUST_SK_OFF_KEYNUM, blob + TRUST_SK_OFF_SK, pub_blob);
    trust_key_id_hex(blob + TRUST_SK_OFF_KEYNUM, id);
    seckey_checksum(blob, blob + TRUST_SK_OFF_CHK);
    if (opts->password != NULL && seckey_encrypt(blob, opts->password, opts, err, errlen) != 0) {
        goto fail;
    }

    trust_base64_encode(sec_b64, SEC_B64, blob, TRUST_SECKEY_BYTES);
    int sec_len =
        snprintf(sec_text, SEC_TEXT, TRUST_COMMENT_PREFIX "hiroba-pack secret key %s%s\n%s\n", id,
                 opts->password ? " (password-protected)" : " (unencrypted)", sec_b64);
    trust_base64_encode(pub_b64, sizeof pub_b64, pub_blob, sizeof pub_blob);
    int pub_len = snprintf(pub_text, sizeof pub_text,
                           TRUST_COMMENT_PREFIX "minisign public key %s\n%s\n", id, pub_b64);
    if (write_key_file(sec_path, sec_text, (size_t)sec_len, 0600, opts->overwrite, err, errlen) !=
        0) {
        goto fail;
    }
    if (write_key_file(pub_path, pub_text, (size_t)pub_len, 0644, opts->overwrite, err, errlen) !=
        0) {
        unlink(sec_path);
        goto fail;
    }
    if (key_id_out != NULL) {
        memcpy(key_id_out, id, TRUST_KEY_ID_SIZE);
    }
    sodium_free(blob);
    sodium_free(sec_b64);
    sodium_free(sec_text);
    return 0;
fail:
    sodium_free(blob);
    sodium_free(sec_b64);
    sodium_free(sec_text);
    return -1;
}
