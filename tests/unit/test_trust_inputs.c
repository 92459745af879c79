/* test_trust_inputs: tables of broken signature, public key and secret key files, each
 * with the error it must give and a part of the message a person would read. Keys come
 * from trust_keygen, so this test needs no minisign. */
#include "trust_fixture.h"

#define LINE_MAX_LEN 4200

/* Copies tmpl into out, replacing each "%s" with b64. */
static size_t expand(const char *tmpl, const char *b64, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = tmpl; *p != '\0'; p++) {
        if (p[0] == '%' && p[1] == 's') {
            n += (size_t)snprintf(out + n, cap - n, "%s", b64);
            p++;
        } else {
            out[n++] = *p;
        }
        assert_true(n < cap);
    }
    out[n] = '\0';
    return n;
}

/* ---- Broken signatures ---------------------------------------------------------------------- */

typedef enum mutation {
    M_NONE,
    M_MESSAGE_BYTE,
    M_TRUSTED_COMMENT,
    M_UNTRUSTED_COMMENT,
    M_OTHER_KEY,
    M_SAME_ID_OTHER_KEY,
    M_ALG_DOWNGRADE,
    M_WRONG_ALG,
    M_SIG_OF_OTHER_MESSAGE,
    M_GLOBAL_OF_OTHER_COMMENT,
    M_TRUNCATED_BASE64,
    M_BAD_BASE64_CHAR,
    M_TRAILING_SPACE,
    M_SWAPPED_LINES,
    M_TWO_LINES,
    M_EXTRA_LINE,
    M_BLANK_LINE_AFTER,
    M_NO_FINAL_NEWLINE,
    M_CRLF,
    M_EMPTY,
    M_OVERSIZED,
    M_LONG_TRUSTED_COMMENT,
    M_NUL_IN_TRUSTED_COMMENT,
    M_NUL_IN_UNTRUSTED_COMMENT,
    M_CR_IN_TRUSTED_COMMENT,
    M_NO_TRUSTED_PREFIX,
    M_NO_UNTRUSTED_PREFIX,
} mutation;

typedef struct sig_case {
    const char *name;
    mutation mutation;
    trust_error error;
    const char *message; /* a part of the expected message */
} sig_case;

static const sig_case sig_cases[] = {
    {"intact", M_NONE, TRUST_OK, ""},
    {"tampered message", M_MESSAGE_BYTE, TRUST_ERR_BAD_SIGNATURE, "does not match the data"},
    {"tampered trusted comment", M_TRUSTED_COMMENT, TRUST_ERR_BAD_GLOBAL_SIGNATURE,
     "line 3: the trusted comment does not match"},
    {"edited untrusted comment (not signed)", M_UNTRUSTED_COMMENT, TRUST_OK, ""},
    {"signed by another key", M_OTHER_KEY, TRUST_ERR_UNKNOWN_KEY, "which is not trusted"},
    {"right key id, wrong key", M_SAME_ID_OTHER_KEY, TRUST_ERR_BAD_SIGNATURE, "does not match"},
    {"ED relabelled Ed", M_ALG_DOWNGRADE, TRUST_ERR_BAD_SIGNATURE, "legacy signature"},
    {"wrong algorithm bytes", M_WRONG_ALG, TRUST_ERR_FORMAT,
     "line 2: unsupported signature algorithm (bytes 58 64"},
    {"signature of another message", M_SIG_OF_OTHER_MESSAGE, TRUST_ERR_BAD_SIGNATURE,
     "does not match the data"},
    {"global signature of another comment", M_GLOBAL_OF_OTHER_COMMENT,
     TRUST_ERR_BAD_GLOBAL_SIGNATURE, "trusted comment"},
    {"truncated base64", M_TRUNCATED_BASE64, TRUST_ERR_FORMAT, "line 2: the signature is 72 bytes"},
    {"bad base64 character", M_BAD_BASE64_CHAR, TRUST_ERR_FORMAT,
     "line 4: the global signature is not valid base64"},
    {"trailing space", M_TRAILING_SPACE, TRUST_ERR_FORMAT, "line 2: trailing white space"},
    {"lines 2 and 4 swapped", M_SWAPPED_LINES, TRUST_ERR_FORMAT,
     "line 2: the signature is 64 bytes, expected 74"},
    {"two lines only", M_TWO_LINES, TRUST_ERR_FORMAT, "line 3: missing the trusted comment"},
    {"extra line", M_EXTRA_LINE, TRUST_ERR_FORMAT, "line 5: extra line"},
    {"blank line after", M_BLANK_LINE_AFTER, TRUST_ERR_FORMAT, "line 5: extra line"},
    {"no final newline", M_NO_FINAL_NEWLINE, TRUST_OK, ""},
    {"CRLF line endings", M_CRLF, TRUST_OK, ""},
    {"empty file", M_EMPTY, TRUST_ERR_FORMAT, "empty"},
    {"oversized file", M_OVERSIZED, TRUST_ERR_FORMAT, "larger than 4096 bytes"},
    {"trusted comment too long", M_LONG_TRUSTED_COMMENT, TRUST_ERR_FORMAT,
     "line 3: trusted comment longer than 1024 bytes"},
    {"NUL in trusted comment", M_NUL_IN_TRUSTED_COMMENT, TRUST_ERR_FORMAT, "line 3: NUL byte"},
    {"NUL in untrusted comment", M_NUL_IN_UNTRUSTED_COMMENT, TRUST_ERR_FORMAT, "line 1: NUL byte"},
    {"CR inside trusted comment", M_CR_IN_TRUSTED_COMMENT, TRUST_ERR_FORMAT,
     "line 3: carriage return inside the line"},
    {"no trusted comment prefix", M_NO_TRUSTED_PREFIX, TRUST_ERR_FORMAT,
     "line 3: expected \"trusted comment: ...\""},
    {"no untrusted comment prefix", M_NO_UNTRUSTED_PREFIX, TRUST_ERR_FORMAT,
     "line 1: expected \"untrusted comment: ...\""},
};

/* The four lines of a signature text, without their newlines. */
typedef struct sig_lines {
    char line[4][LINE_MAX_LEN];
} sig_lines;

static void split4(const char *text, sig_lines *s)
{
    for (int i = 0; i < 4; i++) {
        const char *nl = strchr(text, '\n');
        assert_non_null(nl);
        memcpy(s->line[i], text, (size_t)(nl - text));
        s->line[i][nl - text] = '\0';
        text = nl + 1;
    }
}

/* Decodes a base64 line, writes n bytes at offset at (or XORs them in), re-encodes. */
static void edit_blob(char *line, size_t at, const void *bytes, size_t n, bool xor)
{
    unsigned char bin[256];
    size_t len = 0;
    assert_int_equal(sodium_base642bin(bin, sizeof bin, line, strlen(line), NULL, &len, NULL,
                                       sodium_base64_VARIANT_ORIGINAL),
                     0);
    assert_true(at + n <= len);
    for (size_t i = 0; i < n; i++) {
        bin[at + i] = xor? bin[at + i] ^ ((const unsigned char *)bytes)[i]
                         : ((const unsigned char *)bytes)[i];
    }
    sodium_bin2base64(line, LINE_MAX_LEN, bin, len, sodium_base64_VARIANT_ORIGINAL);
}

static void patch_blob(char *line, size_t at, const void *bytes, size_t n)
{
    edit_blob(line, at, bytes, n, false);
}

/* Applies m to the text of a signature of MSG by A; may change the message and the keyring. */
static size_t mutate(mutation m, char *buf, size_t cap, char *msg, trust_keyring **kr)
{
    char *base = sign_text(F.a, MSG, TC, false);
    sig_lines s;
    split4(base, &s);
    bool crlf = false, final_newline = true;
    char *other = NULL;
    char err[TRUST_MESSAGE_MAX];
    switch (m) {
    case M_NONE:
        break;
    case M_MESSAGE_BYTE:
        msg[10] ^= 0x01;
        break;
    case M_TRUSTED_COMMENT:
        s.line[2][strlen(s.line[2]) - 1] ^= 0x01;
        break;
    case M_UNTRUSTED_COMMENT:
        strcat(s.line[0], " (edited)");
        break;
    case M_OTHER_KEY:
        other = sign_text(F.b, MSG, TC, false);
        split4(other, &s);
        break;
    case M_SAME_ID_OTHER_KEY: {
        /* A keyring whose only key has A's id and B's public key. */
        char b64[TRUST_PUBKEY_B64_SIZE] = {0}, line[LINE_MAX_LEN];
        unsigned char a_blob[64];
        size_t n = 0;
        trust_secret_key_public_base64(F.a, b64);
        sodium_base642bin(a_blob, sizeof a_blob, b64, strlen(b64), NULL, &n, NULL,
                          sodium_base64_VARIANT_ORIGINAL);
        trust_secret_key_public_base64(F.b, line);
        patch_blob(line, 2, a_blob + 2, 8);
        trust_keyring_destroy(*kr);
        *kr = trust_keyring_create();
        assert_int_equal(trust_keyring_add_base64(*kr, line, err, sizeof err), 0);
        break;
    }
    case M_ALG_DOWNGRADE:
        patch_blob(s.line[1], 0, "Ed", 2);
        break;
    case M_WRONG_ALG:
        patch_blob(s.line[1], 0, "Xd", 2);
        break;
    case M_SIG_OF_OTHER_MESSAGE: {
        other = sign_text(F.a, "another message", TC, false);
        sig_lines o;
        split4(other, &o);
        strcpy(s.line[1], o.line[1]);
        break;
    }
    case M_GLOBAL_OF_OTHER_COMMENT: {
        other = sign_text(F.a, MSG, TC " (other)", false);
        sig_lines o;
        split4(other, &o);
        strcpy(s.line[3], o.line[3]);
        break;
    }
    case M_TRUNCATED_BASE64:
        s.line[1][strlen(s.line[1]) - 4] = '\0';
        break;
    case M_BAD_BASE64_CHAR:
        s.line[3][5] = '*';
        break;
    case M_TRAILING_SPACE:
        strcat(s.line[1], " ");
        break;
    case M_SWAPPED_LINES: {
        char tmp[LINE_MAX_LEN];
        strcpy(tmp, s.line[1]);
        strcpy(s.line[1], s.line[3]);
        strcpy(s.line[3], tmp);
        break;
    }
    case M_TWO_LINES:
        free(base);
        return (size_t)snprintf(buf, cap, "%s\n%s\n", s.line[0], s.line[1]);
    case M_EXTRA_LINE:
    case M_BLANK_LINE_AFTER:
        free(base);
        return (size_t)snprintf(buf, cap, "%s\n%s\n%s\n%s\n%s", s.line[0], s.line[1], s.line[2],
                                s.line[3], m == M_EXTRA_LINE ? "extra\n" : "\n");
    case M_NO_FINAL_NEWLINE:
        final_newline = false;
        break;
    case M_CRLF:
        crlf = true;
        break;
    case M_EMPTY:
        free(base);
        return 0;
    case M_OVERSIZED:
        memset(s.line[0] + strlen(s.line[0]), 'x', 4000);
        s.line[0][4000 + strlen("untrusted comment: ")] = '\0';
        break;
    case M_LONG_TRUSTED_COMMENT:
        memset(s.line[2] + strlen(s.line[2]), 'x', 1100);
        s.line[2][strlen("trusted comment: ") + 1100] = '\0';
        break;
    case M_NUL_IN_TRUSTED_COMMENT:
    case M_NUL_IN_UNTRUSTED_COMMENT:
    case M_CR_IN_TRUSTED_COMMENT:
        break; /* patched in the output below: strings cannot hold a NUL */
    case M_NO_TRUSTED_PREFIX:
        s.line[2][7] = '-';
        break;
    case M_NO_UNTRUSTED_PREFIX:
        s.line[0][9] = '-';
        break;
    }
    free(base);
    free(other);
    const char *eol = crlf ? "\r\n" : "\n";
    size_t n = (size_t)snprintf(buf, cap, "%s%s%s%s%s%s%s%s", s.line[0], eol, s.line[1], eol,
                                s.line[2], eol, s.line[3], final_newline ? eol : "");
    assert_true(n < cap);
    size_t tc_at = strlen(s.line[0]) + 1 + strlen(s.line[1]) + 1 + strlen("trusted comment: ");
    if (m == M_NUL_IN_TRUSTED_COMMENT) {
        buf[tc_at + 3] = '\0';
    } else if (m == M_NUL_IN_UNTRUSTED_COMMENT) {
        buf[strlen("untrusted comment: ") + 2] = '\0';
    } else if (m == M_CR_IN_TRUSTED_COMMENT) {
        buf[tc_at + 3] = '\r';
    }
    return n;
}

static void test_broken_signatures(void **state)
{
    (void)state;
    static char buf[8192];
    for (size_t i = 0; i < sizeof sig_cases / sizeof sig_cases[0]; i++) {
        const sig_case *c = &sig_cases[i];
        char msg[] = MSG;
        trust_keyring *kr = keyring_of("a.pub");
        size_t len = mutate(c->mutation, buf, sizeof buf, msg, &kr);
        trust_result r;
        memset(&r, 0x55, sizeof r); /* verify must fill it all */
        int rc = trust_verify(kr, msg, strlen(msg), buf, len, &r);
        if (rc != (c->error == TRUST_OK ? 0 : -1) || r.error != c->error ||
            strstr(r.message, c->message) == NULL) {
            fail_msg("%s: got %s \"%s\", expected %s \"%s\"", c->name, trust_error_name(r.error),
                     r.message, trust_error_name(c->error), c->message);
        }
        assert_int_equal(r.ok, c->error == TRUST_OK);
        if (c->error == TRUST_OK) {
            assert_string_equal(r.trusted_comment, TC);
            assert_string_equal(r.key_id, F.id_a);
            assert_string_equal(r.message, "");
        } else {
            assert_string_equal(r.trusted_comment, ""); /* nothing unverified leaks out */
            assert_true(r.message[0] != '\0');
        }
        if (c->error == TRUST_ERR_UNKNOWN_KEY) {
            assert_string_equal(r.key_id, F.id_b);
            assert_non_null(strstr(r.message, F.id_b)); /* names the signer */
            assert_non_null(strstr(r.message, F.id_a)); /* and what is trusted */
        }
        trust_keyring_destroy(kr);
    }
}

/* ---- Broken public keys -----------------------------------------------------------------------
 */

typedef struct key_case {
    const char *name;
    const char *text;  /* each "%s" becomes A's base64 public key */
    size_t nul_at;     /* if non-zero, a NUL is put at this offset */
    const char *error; /* part of the message, or NULL for success */
} key_case;

static const key_case pub_cases[] = {
    {"minisign .pub", "untrusted comment: minisign public key X\n%s\n", 0, NULL},
    {"bare line", "%s", 0, NULL},
    {"bare line and newline", "%s\n", 0, NULL},
    {"CRLF", "untrusted comment: minisign public key X\r\n%s\r\n", 0, NULL},
    {"empty", "", 0, "case: empty"},
    {"comment only", "untrusted comment: minisign public key X\n", 0,
     "line 2: missing the base64 public key"},
    {"no comment prefix", "# my key\n%s\n", 0, "line 1: expected \"untrusted comment: ...\""},
    {"extra line", "untrusted comment: k\n%s\n\n", 0, "line 3: extra line"},
    {"truncated", "untrusted comment: k\nRWQ0fdUW6BuSlowWjn1YGzFdy3mwZhgQP8R30W4+tIiP0fe\n", 0,
     "line 2: the public key is not valid base64"},
    {"wrong length",
     "untrusted comment: k\nRWRt0fdUW6BuSlowWjn1YGzFdy3mwZhgQP8R30W4+tIiP0feGWfAuuCEAAAA\n", 0,
     "line 2: the public key is 45 bytes, expected 42"},
    {"wrong algorithm",
     "untrusted comment: k\nRXRt0fdUW6BuSlowWjn1YGzFdy3mwZhgQP8R30W4+tIiP0feGWfAuuCE\n", 0,
     "line 2: unsupported key algorithm (bytes 45 74"},
    {"not a curve point", "RWRt0fdUW6BuSv//////////////////////////////////////////\n", 0,
     "line 1: not a valid Ed25519 public key"},
    {"NUL in comment", "untrusted comment: k\n%s\n", 19, "line 1: NUL byte"},
    {"signature file", "untrusted comment: s\n%s\ntrusted comment: x\n%s\n", 0,
     "line 3: extra line"},
};

static void test_broken_public_keys(void **state)
{
    (void)state;
    char b64[TRUST_PUBKEY_B64_SIZE], text[8192], err[TRUST_MESSAGE_MAX];
    trust_secret_key_public_base64(F.a, b64);
    for (size_t i = 0; i < sizeof pub_cases / sizeof pub_cases[0]; i++) {
        const key_case *c = &pub_cases[i];
        size_t len = expand(c->text, b64, text, sizeof text);
        if (c->nul_at) {
            text[c->nul_at] = '\0';
        }
        trust_keyring *kr = keyring_of(NULL);
        err[0] = '\0';
        int rc = trust_keyring_add_text(kr, text, len, "case", err, sizeof err);
        if (c->error == NULL) {
            assert_int_equal(rc, 0);
            assert_int_equal(trust_keyring_count(kr), 1);
            char id[TRUST_KEY_ID_SIZE];
            assert_int_equal(trust_keyring_key_id(kr, 0, id), 0);
            assert_string_equal(id, F.id_a);
        } else if (rc != -1 || strstr(err, c->error) == NULL || strncmp(err, "case: ", 6) != 0) {
            fail_msg("%s: rc %d \"%s\", expected \"%s\"", c->name, rc, err, c->error);
        } else {
            assert_int_equal(trust_keyring_count(kr), 0);
        }
        trust_keyring_destroy(kr);
    }
    /* Oversized, and through the file reader. */
    trust_keyring *kr = keyring_of(NULL);
    memset(text, 'A', sizeof text);
    assert_int_equal(trust_keyring_add_text(kr, text, TRUST_FILE_MAX + 1, "big", err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "big: larger than 4096 bytes"));
    char path[PATH_MAX];
    write_file(path_in(path, "big.pub"), text, TRUST_FILE_MAX + 1);
    assert_int_equal(trust_keyring_add_file(kr, path, err, sizeof err), -1);
    assert_non_null(strstr(err, "larger than 4096 bytes"));
    assert_non_null(strstr(err, path));
    assert_int_equal(trust_keyring_add_file(kr, path_in(path, "missing.pub"), err, sizeof err), -1);
    assert_non_null(strstr(err, "No such file"));
    assert_int_equal(trust_keyring_add_base64(kr, "untrusted comment: x\nRW", err, sizeof err), -1);
    trust_keyring_destroy(kr);
}

/* ---- Broken secret keys -----------------------------------------------------------------------
 */

typedef enum sk_edit {
    SK_NONE,
    SK_TRUNCATE,
    SK_CHKALG,
    SK_KDFALG,
    SK_FLIP_SECRET,      /* checksum present: caught by it */
    SK_FLIP_SECRET_ZERO, /* checksum zeroed as minisign -W writes it: caught by the pair check */
    SK_HUGE_OPSLIMIT,
    SK_PUBLIC_KEY,
    SK_EMPTY,
    SK_OVERSIZED,
    SK_MISSING,
    SK_NO_PASSWORD,
    SK_PASSWORD_NEWLINE,
} sk_edit;

static const struct {
    const char *name;
    sk_edit edit;
    bool encrypted;
    const char *error;
} sk_cases[] = {
    {"intact, unencrypted", SK_NONE, false, NULL},
    {"intact, encrypted", SK_NONE, true, NULL},
    {"truncated", SK_TRUNCATE, false, "line 2: the secret key is"},
    {"checksum algorithm", SK_CHKALG, false, "unsupported checksum algorithm"},
    {"kdf algorithm", SK_KDFALG, false, "unsupported key derivation"},
    {"flipped secret byte", SK_FLIP_SECRET, false, "corrupt key (checksum mismatch)"},
    {"flipped byte, zero checksum", SK_FLIP_SECRET_ZERO, false, "corrupt key (its secret"},
    {"flipped byte, encrypted", SK_FLIP_SECRET, true, "wrong password or corrupt key"},
    {"absurd scrypt cost", SK_HUGE_OPSLIMIT, true, "key derivation parameters out of range"},
    {"public key file", SK_PUBLIC_KEY, false, "line 2: the secret key is 42 bytes, expected 158"},
    {"empty", SK_EMPTY, false, ": empty"},
    {"oversized", SK_OVERSIZED, false, "larger than 4096 bytes"},
    {"missing", SK_MISSING, false, "No such file"},
    {"no password", SK_NO_PASSWORD, true, "a password is needed"},
    {"password with newline", SK_PASSWORD_NEWLINE, true, "line break"},
};

static void test_broken_secret_keys(void **state)
{
    (void)state;
    char base[PATH_MAX], path[PATH_MAX], text[8192], err[TRUST_MESSAGE_MAX];
    for (size_t i = 0; i < sizeof sk_cases / sizeof sk_cases[0]; i++) {
        trust_keygen_options o = {
            .password = sk_cases[i].encrypted ? PW : NULL,
            .overwrite = true,
            .kdf_opslimit = FAST_OPSLIMIT,
            .kdf_memlimit = FAST_MEMLIMIT,
        };
        assert_int_equal(trust_keygen(path_in(base, "sk"), &o, NULL, err, sizeof err), 0);
        path_in(path, "sk.key");
        read_file(path, text, sizeof text);
        char *b64 = strchr(text, '\n') + 1;
        *strchr(b64, '\n') = '\0';
        const char *password = o.password;
        unsigned char zero[32] = {0}, one = 0x01;
        switch (sk_cases[i].edit) {
        case SK_NONE:
        case SK_MISSING:
            break;
        case SK_TRUNCATE:
            b64[strlen(b64) - 8] = '\0';
            break;
        case SK_CHKALG:
            patch_blob(b64, 4, "B3", 2);
            break;
        case SK_KDFALG:
            patch_blob(b64, 2, "Xx", 2);
            break;
        case SK_FLIP_SECRET:
            edit_blob(b64, 62 + 5, &one, 1, true);
            break;
        case SK_FLIP_SECRET_ZERO:
            patch_blob(b64, 126, zero, 32);
            edit_blob(b64, 62 + 5, &one, 1, true);
            break;
        case SK_HUGE_OPSLIMIT:
            patch_blob(b64, 38, "\0\0\0\0\0\1\0\0", 8);
            break;
        case SK_PUBLIC_KEY:
            path_in(path, "sk.pub");
            break;
        case SK_EMPTY:
            text[0] = '\0';
            break;
        case SK_OVERSIZED:
            memset(text, 'x', 5000);
            text[5000] = '\0';
            break;
        case SK_NO_PASSWORD:
            password = NULL;
            break;
        case SK_PASSWORD_NEWLINE:
            password = PW "\n";
            break;
        }
        if (sk_cases[i].edit == SK_MISSING) {
            unlink(path);
        } else if (sk_cases[i].edit != SK_PUBLIC_KEY) {
            FILE *f = fopen(path, "wb");
            assert_non_null(f);
            if (sk_cases[i].edit == SK_EMPTY || sk_cases[i].edit == SK_OVERSIZED) {
                fputs(text, f);
            } else {
                fprintf(f, "untrusted comment: edited\n%s\n", b64);
            }
            fclose(f);
            chmod(path, 0600);
        }
        err[0] = '\0';
        trust_secret_key *k = trust_secret_key_load(path, password, err, sizeof err);
        if (sk_cases[i].error == NULL) {
            if (k == NULL) {
                fail_msg("%s: %s", sk_cases[i].name, err);
            }
        } else if (k != NULL || strstr(err, sk_cases[i].error) == NULL) {
            fail_msg("%s: got \"%s\", expected \"%s\"", sk_cases[i].name, err, sk_cases[i].error);
        }
        trust_secret_key_destroy(k);
    }
}

static int group_setup(void **state)
{
    *state = &F;
    if (trust_fixture_setup() != 0) {
        trust_fixture_teardown(); /* cmocka skips it when the setup fails */
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    return trust_fixture_teardown();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_broken_signatures),
        cmocka_unit_test(test_broken_public_keys),
        cmocka_unit_test(test_broken_secret_keys),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
