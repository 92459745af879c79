/* objects: content-addressed files under DATA/objects. The one rule: a name in
 * objects/ is only ever created by an atomic rename of a complete, hashed,
 * fsynced file, followed by an fsync of its directory. Partial data lives in
 * DATA/tmp only. Never overwrite a good object, never follow a name that is
 * not 64 lowercase hex digits. */
#define _GNU_SOURCE /* renameat2, RENAME_NOREPLACE */
#include "app/core/objects.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "app/core/log.h"
#include "app/core/objects_private.h"

#define MOD "objects"

const char *objects_strerror(int err)
{
    switch (err) {
    case 0:
        return "ok";
    case OBJECTS_ERR_IO:
        return "i/o error";
    case OBJECTS_ERR_INVALID:
        return "invalid object name";
    case OBJECTS_ERR_TOO_LONG:
        return "more data than declared";
    case OBJECTS_ERR_SHORT:
        return "less data than declared";
    case OBJECTS_ERR_HASH:
        return "content does not match its sha256";
    case OBJECTS_ERR_NOT_FOUND:
        return "no such object";
    case OBJECTS_ERR_CORRUPT:
        return "stored object was corrupt and has been removed";
    case OBJECTS_ERR_BUSY:
        return "object is being written by another writer";
    case OBJECTS_ERR_NOMEM:
        return "out of memory";
    default:
        return "unknown error";
    }
}

bool objects_valid_hex(const char *s)
{
    if (!s)
        return false;
    for (int i = 0; i < OBJECTS_HEX_LEN; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return s[OBJECTS_HEX_LEN] == '\0';
}

/* ---- small file-system helpers ---- */

int objects_fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        LOG_WARN(MOD, "cannot open %s to fsync it: %s", path, strerror(errno));
        return OBJECTS_ERR_IO;
    }
    int r = 0;
    if (fsync(fd) != 0) {
        LOG_WARN(MOD, "fsync %s: %s", path, strerror(errno));
        r = OBJECTS_ERR_IO;
    }
    close(fd);
    return r;
}

/* mkdir that tolerates an existing directory; *created tells which. */
static int ensure_dir(const char *path, bool *created)
{
    *created = false;
    if (mkdir(path, 0755) == 0) {
        *created = true;
        return 0;
    }
    struct stat st;
    if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    LOG_ERROR(MOD, "cannot create directory %s: %s", path, strerror(errno));
    return OBJECTS_ERR_IO;
}

int objects_write_all(int fd, const void *buf, size_t len)
{
    const unsigned char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

ssize_t objects_read_some(int fd, void *buf, size_t len)
{
    for (;;) {
        ssize_t n = read(fd, buf, len);
        if (n >= 0 || errno != EINTR)
            return n;
    }
}

void objects_hash_final_hex(crypto_hash_sha256_state *h, char out[OBJECTS_HEX_SIZE])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(h, digest);
    sodium_bin2hex(out, OBJECTS_HEX_SIZE, digest, sizeof digest);
}

/* Hashes fd from its current position to the end. */
static int hash_fd(int fd, char out[OBJECTS_HEX_SIZE], uint64_t *out_size)
{
    static const size_t cap = OBJECTS_COPY_BUF_BYTES;
    unsigned char *buf = malloc(cap);
    if (!buf)
        return OBJECTS_ERR_NOMEM;
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    uint64_t total = 0;
    int r = 0;
    for (;;) {
        ssize_t n = objects_read_some(fd, buf, cap);
        if (n < 0) {
            r = OBJECTS_ERR_IO;
            break;
        }
        if (n == 0)
            break;
        crypto_hash_sha256_update(&h, buf, (unsigned long long)n);
        total += (uint64_t)n;
    }
    free(buf);
    if (r == 0) {
        objects_hash_final_hex(&h, out);
        if (out_size)
            *out_size = total;
    }
    return r;
}

/* rename that never replaces: renameat2(RENAME_NOREPLACE), or link+unlink on
 * file systems without it. Fails with errno EEXIST when dst exists. */
static int rename_noreplace(const char *src, const char *dst)
{
    if (renameat2(AT_FDCWD, src, AT_FDCWD, dst, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    if (link(src, dst) != 0)
        return -1;
    unlink(src); /* a leftover link in tmp/ is cleaned at the next open */
    return 0;
}

int objects_path(const objects *objs, const char *sha_hex, char *buf, size_t cap)
{
    if (!objs || !buf || !objects_valid_hex(sha_hex))
        return OBJECTS_ERR_INVALID;
    int n = snprintf(buf, cap, "%s/%.2s/%s", objs->objects_dir, sha_hex, sha_hex);
    if (n < 0 || (size_t)n >= cap) {
        if (cap > 0)
            buf[0] = '\0';
        return OBJECTS_ERR_INVALID;
    }
    return 0;
}

/* Moves the complete, fsynced file at tmp_path to objects/ab/<sha> and
 * fsyncs the directories that changed. An existing good object wins (the
 * temp file is dropped); an existing corrupt one is replaced. */
int objects_install(objects *objs, const char *tmp_path, const char *sha)
{
    char dir[PATH_MAX], final[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/%.2s", objs->objects_dir, sha);
    if (objects_path(objs, sha, final, sizeof final) != 0)
        return OBJECTS_ERR_INVALID;
    bool created;
    if (ensure_dir(dir, &created) != 0)
        return OBJECTS_ERR_IO;
    if (created && objects_fsync_dir(objs->objects_dir) != 0)
        return OBJECTS_ERR_IO;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (rename_noreplace(tmp_path, final) == 0)
            return objects_fsync_dir(dir);
        if (errno != EEXIST) {
            LOG_ERROR(MOD, "cannot rename %s into place: %s", tmp_path, strerror(errno));
            return OBJECTS_ERR_IO;
        }
        int r = objects_verify(objs, sha);
        if (r == 0) {
            unlink(tmp_path);
            return objects_fsync_dir(dir); /* the good one may predate a lost dir fsync */
        }
        if (r != OBJECTS_ERR_CORRUPT && r != OBJECTS_ERR_NOT_FOUND)
            return r;
    }
    LOG_ERROR(MOD, "object %.12s keeps reappearing corrupt", sha);
    return OBJECTS_ERR_IO;
}

/* ---- open / close ---- */

static bool is_partial_name(const char *name)
{
    char hex[OBJECTS_HEX_SIZE];
    if (strlen(name) != OBJECTS_HEX_LEN + strlen(OBJECTS_PARTIAL_SUFFIX))
        return false;
    if (strcmp(name + OBJECTS_HEX_LEN, OBJECTS_PARTIAL_SUFFIX) != 0)
        return false;
    memcpy(hex, name, OBJECTS_HEX_LEN);
    hex[OBJECTS_HEX_LEN] = '\0';
    return objects_valid_hex(hex);
}

/* Removes what a crash left in tmp/: import temps, stray links, and partial
 * downloads too old to be worth resuming. */
static void clean_tmp(objects *objs)
{
    DIR *d = opendir(objs->tmp_dir);
    if (!d) {
        LOG_WARN(MOD, "cannot read %s: %s", objs->tmp_dir, strerror(errno));
        return;
    }
    time_t now = time(NULL);
    size_t removed = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        struct stat st;
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            LOG_WARN(MOD, "unexpected directory %s/%s left alone", objs->tmp_dir, e->d_name);
            continue;
        }
        /* The Pi has no RTC: an age of either sign beyond the limit is stale. */
        long long age = (long long)now - (long long)st.st_mtime;
        if (S_ISREG(st.st_mode) && is_partial_name(e->d_name) &&
            llabs(age) < OBJECTS_PARTIAL_MAX_AGE_SEC)
            continue;
        /* Live writers and imports hold an flock on their file: leave those
         * (another handle or process on this folder is still working). */
        int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) != 0) {
            close(fd);
            continue;
        }
        if (unlinkat(dirfd(d), e->d_name, 0) == 0)
            removed++;
        else
            LOG_WARN(MOD, "cannot remove %s/%s: %s", objs->tmp_dir, e->d_name, strerror(errno));
        if (fd >= 0)
            close(fd);
    }
    closedir(d);
    if (removed)
        LOG_INFO(MOD, "removed %zu stale temporary file(s) from %s", removed, objs->tmp_dir);
}

objects *objects_open(const char *data_dir)
{
    objects *objs = NULL;
    if (!data_dir || !*data_dir) {
        LOG_ERROR(MOD, "no data folder given");
        goto fail;
    }
    if (sodium_init() < 0) {
        LOG_ERROR(MOD, "libsodium failed to initialise");
        goto fail;
    }
    objs = calloc(1, sizeof *objs);
    if (!objs) {
        LOG_ERROR(MOD, "out of memory");
        goto fail;
    }
    size_t len = strlen(data_dir);
    if (len >= sizeof objs->data_dir) {
        LOG_ERROR(MOD, "data folder path too long: %.80s...", data_dir);
        goto fail;
    }
    memcpy(objs->data_dir, data_dir, len + 1);
    snprintf(objs->objects_dir, sizeof objs->objects_dir, "%s/objects", objs->data_dir);
    snprintf(objs->tmp_dir, sizeof objs->tmp_dir, "%s/tmp", objs->data_dir);

    bool created;
    if (ensure_dir(objs->data_dir, &created) != 0 || ensure_dir(objs->objects_dir, &created) != 0 ||
        ensure_dir(objs->tmp_dir, &created) != 0)
        goto fail;
    /* Always, not only when created: a crashed run may have created folders
     * (objects/ab, tmp) without living to fsync their parents. */
    if (objects_fsync_dir(objs->data_dir) != 0 || objects_fsync_dir(objs->objects_dir) != 0)
        goto fail;
    clean_tmp(objs);
    return objs;
fail:
    free(objs);
    return NULL;
}

void objects_close(objects *objs)
{
    free(objs);
}

/* ---- whole objects ---- */

int objects_import_file(objects *objs, const char *path, char out_sha_hex[OBJECTS_HEX_SIZE],
                        uint64_t *out_size)
{
    int r = OBJECTS_ERR_IO;
    int src = -1, dst = -1;
    unsigned char *buf = NULL;
    char tmp_path[PATH_MAX];
    tmp_path[0] = '\0';
    if (!objs || !path || !out_sha_hex)
        return OBJECTS_ERR_INVALID;

    src = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (src < 0 || fstat(src, &st) != 0) {
        LOG_WARN(MOD, "cannot read %s: %s", path, strerror(errno));
        r = errno == ENOENT ? OBJECTS_ERR_NOT_FOUND : OBJECTS_ERR_IO;
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        LOG_WARN(MOD, "%s is not a regular file", path);
        r = OBJECTS_ERR_INVALID;
        goto fail;
    }
    snprintf(tmp_path, sizeof tmp_path, "%s/import-XXXXXX", objs->tmp_dir);
    dst = mkstemp(tmp_path);
    if (dst < 0) {
        LOG_ERROR(MOD, "cannot create a file in %s: %s", objs->tmp_dir, strerror(errno));
        tmp_path[0] = '\0';
        goto fail;
    }
    (void)fcntl(dst, F_SETFD, FD_CLOEXEC);
    /* The lock tells a concurrent objects_open that this file is alive. */
    if (fchmod(dst, 0644) != 0 || flock(dst, LOCK_EX | LOCK_NB) != 0)
        goto fail;
    buf = malloc(OBJECTS_COPY_BUF_BYTES);
    if (!buf) {
        r = OBJECTS_ERR_NOMEM;
        goto fail;
    }
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    uint64_t total = 0;
    for (;;) {
        ssize_t n = objects_read_some(src, buf, OBJECTS_COPY_BUF_BYTES);
        if (n < 0) {
            LOG_WARN(MOD, "read %s: %s", path, strerror(errno));
            goto fail;
        }
        if (n == 0)
            break;
        if (objects_write_all(dst, buf, (size_t)n) != 0) {
            LOG_ERROR(MOD, "write %s: %s", tmp_path, strerror(errno));
            goto fail;
        }
        crypto_hash_sha256_update(&h, buf, (unsigned long long)n);
        total += (uint64_t)n;
    }
    char sha[OBJECTS_HEX_SIZE];
    objects_hash_final_hex(&h, sha);
    if (fsync(dst) != 0) {
        LOG_ERROR(MOD, "fsync %s: %s", tmp_path, strerror(errno));
        goto fail;
    }
    r = objects_install(objs, tmp_path, sha);
    if (r != 0)
        goto fail;
    memcpy(out_sha_hex, sha, OBJECTS_HEX_SIZE);
    if (out_size)
        *out_size = total;
    close(dst);
    close(src);
    free(buf);
    return 0;
fail:
    if (tmp_path[0])
        unlink(tmp_path);
    if (dst >= 0)
        close(dst);
    if (src >= 0)
        close(src);
    free(buf);
    return r;
}

bool objects_has(objects *objs, const char *sha_hex, uint64_t size)
{
    char path[PATH_MAX];
    struct stat st;
    if (objects_path(objs, sha_hex, path, sizeof path) != 0)
        return false;
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    return (uint64_t)st.st_size == size;
}

int objects_verify(objects *objs, const char *sha_hex)
{
    char path[PATH_MAX];
    if (objects_path(objs, sha_hex, path, sizeof path) != 0)
        return OBJECTS_ERR_INVALID;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT)
            return OBJECTS_ERR_NOT_FOUND;
        if (errno != ELOOP) {
            LOG_WARN(MOD, "cannot read %s: %s", path, strerror(errno));
            return OBJECTS_ERR_IO;
        }
        /* A symlink in objects/ is not an object: treat it as corrupt below. */
    }
    char got[OBJECTS_HEX_SIZE] = "";
    struct stat st;
    int r = 0;
    if (fd >= 0) {
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
            r = OBJECTS_ERR_CORRUPT;
        else
            r = hash_fd(fd, got, NULL);
        close(fd);
        if (r == OBJECTS_ERR_IO || r == OBJECTS_ERR_NOMEM) {
            LOG_WARN(MOD, "cannot hash %s", path);
            return r;
        }
        if (r == 0 && strcmp(got, sha_hex) == 0)
            return 0;
    }
    LOG_WARN(MOD, "object %.12s is corrupt (content hashes to %.12s): removed", sha_hex,
             got[0] ? got : "-");
    if (unlink(path) != 0 && errno != ENOENT) {
        LOG_ERROR(MOD, "cannot remove corrupt object %s: %s", path, strerror(errno));
        return OBJECTS_ERR_IO;
    }
    return OBJECTS_ERR_CORRUPT;
}

static int cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_fanout_name(const char *name)
{
    for (int i = 0; i < 2; i++) {
        char c = name[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return name[2] == '\0';
}

/* Deletes the unkept files of one objects/ab folder. */
static int gc_fanout(DIR *top, const char *fan, const char **keep, size_t n_keep, size_t *removed,
                     uint64_t *bytes)
{
    int fd = openat(dirfd(top), fan, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return OBJECTS_ERR_IO;
    }
    int r = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *name = e->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        const char *key = name;
        if (objects_valid_hex(name) && name[0] == fan[0] && name[1] == fan[1] &&
            bsearch(&key, keep, n_keep, sizeof *keep, cmp_str_ptr))
            continue;
        struct stat st;
        if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) != 0 || S_ISDIR(st.st_mode))
            continue;
        if (unlinkat(dirfd(d), name, 0) != 0) {
            LOG_WARN(MOD, "gc: cannot remove %s/%s: %s", fan, name, strerror(errno));
            r = OBJECTS_ERR_IO;
            continue;
        }
        (*removed)++;
        *bytes += (uint64_t)st.st_size;
    }
    closedir(d);
    return r;
}

int objects_gc(objects *objs, const char *const *keep, size_t n_keep, size_t *removed)
{
    size_t n_removed = 0;
    uint64_t bytes = 0;
    const char **sorted = NULL;
    DIR *top = NULL;
    int r = 0;
    if (removed)
        *removed = 0;
    if (!objs || (n_keep && !keep))
        return OBJECTS_ERR_INVALID;
    for (size_t i = 0; i < n_keep; i++) {
        if (!objects_valid_hex(keep[i])) {
            LOG_ERROR(MOD, "gc refused: keep[%zu] is not an object name", i);
            return OBJECTS_ERR_INVALID;
        }
    }
    sorted = malloc((n_keep ? n_keep : 1) * sizeof *sorted);
    if (!sorted)
        return OBJECTS_ERR_NOMEM;
    if (n_keep)
        memcpy(sorted, keep, n_keep * sizeof *sorted);
    qsort(sorted, n_keep, sizeof *sorted, cmp_str_ptr);

    top = opendir(objs->objects_dir);
    if (!top) {
        LOG_ERROR(MOD, "gc: cannot read %s: %s", objs->objects_dir, strerror(errno));
        r = OBJECTS_ERR_IO;
        goto done;
    }
    struct dirent *e;
    while ((e = readdir(top)) != NULL) {
        /* Never delete what we do not understand at the top level. */
        if (!is_fanout_name(e->d_name))
            continue;
        int fr = gc_fanout(top, e->d_name, sorted, n_keep, &n_removed, &bytes);
        if (fr != 0)
            r = fr;
    }
    closedir(top);
    if (n_removed)
        LOG_INFO(MOD, "gc: removed %zu object(s), %llu bytes", n_removed,
                 (unsigned long long)bytes);
done:
    free(sorted);
    if (removed)
        *removed = n_removed;
    return r;
}
