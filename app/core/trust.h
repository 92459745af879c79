/* trust: minisign-compatible Ed25519 signatures (libsodium). The kiosk verifies
 * manifests and alerts against a keyring of trusted public keys (several, for
 * rotation); hiroba-pack generates key pairs and signs. Files written here are
 * read by the stock `minisign` 0.11 and files it writes are read here.
 * Signature and key files are untrusted input: parsed once, with size limits,
 * and nothing but a verified result leaves this module. It never logs a secret,
 * never keeps one in memory it does not wipe, and never prompts for anything. */
#ifndef HIROBA_APP_CORE_TRUST_H
#define HIROBA_APP_CORE_TRUST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Signature and key files larger than this are rejected unread. */
#define TRUST_FILE_MAX 4096
/* Longest trusted or untrusted comment, in bytes (minisign allows more; we do not). */
#define TRUST_COMMENT_MAX 1024
/* Longest password; minisign silently truncates longer ones, so we refuse them. */
#define TRUST_PASSWORD_MAX 1023
/* A key id as minisign prints it: 16 upper-case hex digits and a NUL. */
#define TRUST_KEY_ID_SIZE 17
/* A bare public key line (as in `minisign -P`): 56 base64 characters and a NUL. */
#define TRUST_PUBKEY_B64_SIZE 57
#define TRUST_KEYRING_MAX     16
#define TRUST_MESSAGE_MAX     320

typedef enum trust_error {
    TRUST_OK = 0,
    TRUST_ERR_FORMAT,               /* malformed signature file (or unsupported algorithm) */
    TRUST_ERR_UNKNOWN_KEY,          /* signed by a key id that is not in the keyring */
    TRUST_ERR_BAD_SIGNATURE,        /* the message (or the key) is not what was signed */
    TRUST_ERR_BAD_GLOBAL_SIGNATURE, /* the trusted comment was altered */
    TRUST_ERR_IO,                   /* the signature file could not be read */
    TRUST_ERR_INTERNAL,             /* bad arguments */
} trust_error;

/* "ok", "format", "unknown-key", "bad-signature", "bad-global-signature", "io", "internal". */
const char *trust_error_name(trust_error error);

/* ---- Verifying (kiosk) ------------------------------------------------------------------ */

typedef struct trust_keyring trust_keyring;

/* Calls sodium_init(). Returns NULL (and logs) on failure. */
trust_keyring *trust_keyring_create(void);
void trust_keyring_destroy(trust_keyring *kr);

/* Adds a public key from the text of a minisign .pub file ("untrusted comment: ..." then
 * the base64 line) or from the bare base64 line alone. LF or CRLF line endings. Adding a
 * key that is already there is a no-op; a different key under an id already present is
 * an error. where names the source in messages ("trust.pub", "config key 2"; NULL:
 * "public key"). Returns 0, or -1 with a one-line reason in err (if errlen > 0). */
int trust_keyring_add_text(trust_keyring *kr, const char *text, size_t len, const char *where,
                           char *err, size_t errlen);
/* Reads a .pub file (at most TRUST_FILE_MAX bytes) and adds it as above. */
int trust_keyring_add_file(trust_keyring *kr, const char *path, char *err, size_t errlen);
/* Adds the bare base64 line (`minisign -P` form), a NUL-terminated string. */
int trust_keyring_add_base64(trust_keyring *kr, const char *b64, char *err, size_t errlen);
size_t trust_keyring_count(const trust_keyring *kr);
/* A keyring from public key files (the kiosk's configured --trust keys). A
 * file that cannot be used is logged under module and skipped; check
 * trust_keyring_count. NULL only when out of memory. */
trust_keyring *trust_keyring_from_files(const char *const *paths, size_t n, const char *module);
/* Copies the id of key number index (0 .. count-1). Returns 0 or -1. */
int trust_keyring_key_id(const trust_keyring *kr, size_t index, char out[TRUST_KEY_ID_SIZE]);

typedef struct trust_result {
    bool ok;
    trust_error error;
    bool prehashed;                 /* "ED" (BLAKE2b-512 of the message) rather than "Ed" */
    char key_id[TRUST_KEY_ID_SIZE]; /* the signer's id once line 2 parsed, else "" */
    char trusted_comment[TRUST_COMMENT_MAX + 1]; /* only when ok; bytes as signed, no NUL,
                                                    CR or LF inside, not checked as UTF-8 */
    char message[TRUST_MESSAGE_MAX];             /* why it failed: "line 3: ...", without the file
                                                    name (the caller knows it); "" when ok */
} trust_result;

/* Verifies sig_text (the contents of a .minisig file, at most TRUST_FILE_MAX bytes, LF or
 * CRLF) over msg under the key of the keyring whose id the signature names. Both "ED"
 * (minisign 0.11's default) and legacy "Ed" signatures are accepted; out->prehashed says
 * which it was. Borrows everything; allocates nothing. out is always filled.
 * Returns 0 (out->ok) or -1 (out->error and out->message say why). */
int trust_verify(const trust_keyring *kr, const void *msg, size_t len, const char *sig_text,
                 size_t sig_len, trust_result *out);
/* Reads the signature file at sig_path (TRUST_ERR_IO if that fails) and verifies it. */
int trust_verify_file(const trust_keyring *kr, const void *msg, size_t len, const char *sig_path,
                      trust_result *out);

/* ---- Signing (hiroba-pack, staff PC) ---------------------------------------------------- */

typedef struct trust_secret_key trust_secret_key;

/* Loads a minisign secret key file: unencrypted (`minisign -G -W`) or scrypt-encrypted with
 * password (NUL-terminated, at most TRUST_PASSWORD_MAX bytes, no trailing newline: the
 * caller strips the one that ends a password file). password may be NULL for an
 * unencrypted key. The checksum and the key pair's consistency are checked; a wrong
 * password says "wrong password or corrupt key". Does not log. Returns NULL and a
 * reason in err on failure. The key lives in guarded memory, wiped by destroy. */
trust_secret_key *trust_secret_key_load(const char *path, const char *password, char *err,
                                        size_t errlen);
void trust_secret_key_destroy(trust_secret_key *key);
void trust_secret_key_key_id(const trust_secret_key *key, char out[TRUST_KEY_ID_SIZE]);
/* The matching public key as a bare base64 line (for trust_keyring_add_base64 or minisign -P). */
void trust_secret_key_public_base64(const trust_secret_key *key, char out[TRUST_PUBKEY_B64_SIZE]);

typedef struct trust_sign_options {
    const char *trusted_comment;   /* signed; NULL means "". One line, <= TRUST_COMMENT_MAX */
    const char *untrusted_comment; /* not signed; NULL: a default. One line, <= 1000 bytes */
    bool legacy;                   /* "Ed": sign the raw message (minisign -l); default "ED" */
} trust_sign_options;

/* Signs msg and returns the text of a .minisig file in *sig_text_out (NUL-terminated,
 * the caller frees it with free()). opts may be NULL. The signature is verified with the
 * key's own public half before it is returned. Returns 0 or -1 with a reason in err. */
int trust_sign(const trust_secret_key *key, const void *msg, size_t len,
               const trust_sign_options *opts, char **sig_text_out, char *err, size_t errlen);

typedef struct trust_keygen_options {
    const char *password;  /* NULL: unencrypted key (like minisign -G -W); else non-empty */
    bool overwrite;        /* false: fail if BASE.pub or BASE.key exists (like minisign -G) */
    uint64_t kdf_opslimit; /* scrypt cost; 0: minisign's (OPSLIMIT_SENSITIVE) */
    uint64_t kdf_memlimit; /* scrypt memory in bytes; 0: minisign's (1 GiB) */
} trust_keygen_options;

/* Generates a key pair and writes out_base.pub (0644) and out_base.key (0600), both
 * fsynced, in minisign's formats. opts may be NULL (unencrypted, no overwrite). On
 * failure nothing is left behind. key_id_out may be NULL. Returns 0 or -1 with err. */
int trust_keygen(const char *out_base, const trust_keygen_options *opts,
                 char key_id_out[TRUST_KEY_ID_SIZE], char *err, size_t errlen);

#endif
