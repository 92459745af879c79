/* trust_private: what trust.c (public side) and trust_keys.c (secret side) share: the
 * minisign byte layouts, the strict line splitter and base64 decoder every file goes
 * through, and bounded file reading. Not for other modules. */
#ifndef HIROBA_APP_CORE_TRUST_PRIVATE_H
#define HIROBA_APP_CORE_TRUST_PRIVATE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/core/trust.h"

/* minisign's layouts (src/minisign.h): every field a byte array, so no padding. */
#define TRUST_KEYNUM_BYTES 8
#define TRUST_PK_BYTES     32
#define TRUST_SK_BYTES     64 /* seed || public key, as libsodium keeps it */
#define TRUST_SIG_BYTES    64
#define TRUST_CHK_BYTES    32 /* BLAKE2b-256 */
#define TRUST_SALT_BYTES   32
/* 42, 74, 104 and 158 bytes: */
#define TRUST_PUBKEY_BYTES    (2 + TRUST_KEYNUM_BYTES + TRUST_PK_BYTES)
#define TRUST_SIGBLOB_BYTES   (2 + TRUST_KEYNUM_BYTES + TRUST_SIG_BYTES)
#define TRUST_KEYNUM_SK_BYTES (TRUST_KEYNUM_BYTES + TRUST_SK_BYTES + TRUST_CHK_BYTES)
#define TRUST_SECKEY_BYTES    (2 + 2 + 2 + TRUST_SALT_BYTES + 8 + 8 + TRUST_KEYNUM_SK_BYTES)

#define TRUST_SIGALG                 "Ed" /* legacy: Ed25519 over the message */
#define TRUST_SIGALG_HASHED          "ED" /* Ed25519 over BLAKE2b-512(message) */
#define TRUST_KDFALG                 "Sc" /* scryptsalsa208sha256; "\0\0" = none */
#define TRUST_CHKALG                 "B2"
#define TRUST_COMMENT_PREFIX         "untrusted comment: "
#define TRUST_TRUSTED_COMMENT_PREFIX "trusted comment: "

/* Offsets in the 158-byte secret key blob. */
enum {
    TRUST_SK_OFF_SIGALG = 0,
    TRUST_SK_OFF_KDFALG = 2,
    TRUST_SK_OFF_CHKALG = 4,
    TRUST_SK_OFF_SALT = 6,
    TRUST_SK_OFF_OPSLIMIT = 38,
    TRUST_SK_OFF_MEMLIMIT = 46,
    TRUST_SK_OFF_KEYNUM = 54,
    TRUST_SK_OFF_SK = 62,
    TRUST_SK_OFF_CHK = 126,
};

/* A text file cut into lines: CRLF or LF, the final newline optional. */
#define TRUST_LINES_MAX 4
typedef struct trust_lines {
    const char *at[TRUST_LINES_MAX];
    size_t len[TRUST_LINES_MAX];
    size_t count;
} trust_lines;

/* Rejects empty or oversized text, NUL bytes, a CR anywhere but before LF, and more than
 * max_lines lines. Borrows text. Returns 0 or -1 with "line N: ..." in err. */
int trust_split_lines(const char *text, size_t len, size_t max_lines, trust_lines *out, char *err,
                      size_t errlen);

/* Strict standard base64 (padding required, canonical, nothing else on the line) that must
 * decode to exactly want bytes. Returns 0, or -1 with a reason naming line_no in err. */
int trust_base64_decode_exact(const char *b64, size_t b64_len, unsigned char *bin, size_t want,
                              size_t line_no, const char *what, char *err, size_t errlen);
/* Encodes bin as standard padded base64 into out (NUL-terminated). out must hold
 * sodium_base64_ENCODED_LEN(bin_len, ORIGINAL) bytes. */
void trust_base64_encode(char *out, size_t out_size, const unsigned char *bin, size_t bin_len);

/* The id as minisign prints it: the 8 stored bytes read little-endian, %016llX. */
void trust_key_id_hex(const unsigned char keynum[TRUST_KEYNUM_BYTES], char out[TRUST_KEY_ID_SIZE]);

uint64_t trust_le64_load(const unsigned char *p);
void trust_le64_store(unsigned char *p, uint64_t v);

/* Reads at most TRUST_FILE_MAX bytes of path into buf (TRUST_FILE_MAX + 1 bytes);
 * a larger file is an error. Returns 0 or -1 with "PATH: reason" in err. */
int trust_read_small_file(const char *path, char *buf, size_t *len, char *err, size_t errlen);

/* snprintf into err when there is room; never fails. */
void trust_set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Whether the len bytes at s (not NUL-terminated) start with prefix. */
bool trust_has_prefix(const char *s, size_t len, const char *prefix);

/* sodium_init() once; 0 or -1. */
int trust_sodium_ready(void);

/* A comment the writer may put on one line: no CR, LF (NUL ends the C string anyway). */
int trust_comment_ok(const char *comment, size_t max, const char *what, char *err, size_t errlen);

#endif
