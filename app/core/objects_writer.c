/* objects_writer: streams one object into DATA/tmp/<sha>.part, hashing on
 * the way, and installs it only when size and sha256 both match. The partial
 * file carries an exclusive flock for the writer's whole life, so two writers
 * can never interleave bytes of the same object. Never writes past the
 * declared size and never touches objects/ except through objects_install. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/core/log.h"
#include "app/core/objects_private.h"

#define MOD "objects"

struct objects_writer {
    objects *objs;
    int fd; /* holds an exclusive flock on the partial file */
    uint64_t size;
    uint64_t written;
    int error; /* sticky: the first failure poisons the writer */
    crypto_hash_sha256_state hash;
    char sha[OBJECTS_HEX_SIZE];
    char tmp_path[PATH_MAX];
};

static objects_writer *writer_open(objects *objs, const char *sha_hex, uint64_t size, bool keep,
                                   uint64_t *offset)
{
    objects_writer *w = NULL;
    if (offset)
        *offset = 0;
    if (!objs || !objects_valid_hex(sha_hex)) {
        LOG_WARN(MOD, "writer: invalid object name");
        return NULL;
    }
    w = calloc(1, sizeof *w);
    if (!w) {
        LOG_ERROR(MOD, "out of memory");
        return NULL;
    }
    w->objs = objs;
    w->size = size;
    w->fd = -1;
    memcpy(w->sha, sha_hex, OBJECTS_HEX_SIZE);
    snprintf(w->tmp_path, sizeof w->tmp_path, "%s/%s" OBJECTS_PARTIAL_SUFFIX, objs->tmp_dir,
             w->sha);
    crypto_hash_sha256_init(&w->hash);

    /* No O_TRUNC: the file may belong to a live writer until flock says not. */
    w->fd = open(w->tmp_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (w->fd < 0) {
        LOG_ERROR(MOD, "cannot open %s: %s", w->tmp_path, strerror(errno));
        goto fail;
    }
    if (flock(w->fd, LOCK_EX | LOCK_NB) != 0) {
        LOG_WARN(MOD, "object %.12s is already being written", sha_hex);
        goto fail;
    }
    struct stat st;
    if (fstat(w->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        LOG_ERROR(MOD, "%s is not a regular file", w->tmp_path);
        goto fail;
    }
    if (keep && st.st_size > 0 && (uint64_t)st.st_size <= size) {
        /* Re-hash what is there by feeding it through the writer's state. */
        unsigned char *buf = malloc(OBJECTS_COPY_BUF_BYTES);
        if (!buf)
            goto fail;
        uint64_t have = 0;
        for (;;) {
            ssize_t n = objects_read_some(w->fd, buf, OBJECTS_COPY_BUF_BYTES);
            if (n <= 0) {
                if (n < 0)
                    have = 0; /* unreadable: start over */
                break;
            }
            crypto_hash_sha256_update(&w->hash, buf, (unsigned long long)n);
            have += (uint64_t)n;
        }
        free(buf);
        if (have == (uint64_t)st.st_size) {
            w->written = have;
        } else {
            crypto_hash_sha256_init(&w->hash);
            w->written = 0;
        }
    }
    if (w->written == 0 && ftruncate(w->fd, 0) != 0) {
        LOG_ERROR(MOD, "cannot truncate %s: %s", w->tmp_path, strerror(errno));
        goto fail;
    }
    if (lseek(w->fd, (off_t)w->written, SEEK_SET) < 0)
        goto fail;
    if (offset)
        *offset = w->written;
    return w;
fail:
    if (w->fd >= 0)
        close(w->fd);
    free(w);
    return NULL;
}

objects_writer *objects_writer_begin(objects *objs, const char *sha_hex, uint64_t size)
{
    return writer_open(objs, sha_hex, size, false, NULL);
}

objects_writer *objects_writer_resume(objects *objs, const char *sha_hex, uint64_t size,
                                      uint64_t *offset)
{
    return writer_open(objs, sha_hex, size, true, offset);
}

int objects_writer_write(objects_writer *w, const void *buf, size_t len)
{
    if (!w)
        return OBJECTS_ERR_INVALID;
    if (w->error)
        return w->error;
    if (len == 0)
        return 0;
    if (!buf)
        return OBJECTS_ERR_INVALID;
    if ((uint64_t)len > w->size - w->written) {
        w->error = OBJECTS_ERR_TOO_LONG;
        return w->error;
    }
    if (objects_write_all(w->fd, buf, len) != 0) {
        LOG_ERROR(MOD, "write %s: %s", w->tmp_path, strerror(errno));
        w->error = OBJECTS_ERR_IO;
        return w->error;
    }
    crypto_hash_sha256_update(&w->hash, buf, (unsigned long long)len);
    w->written += len;
    return 0;
}

uint64_t objects_writer_offset(const objects_writer *w)
{
    return w ? w->written : 0;
}

int objects_writer_rewind(objects_writer *w)
{
    if (!w)
        return OBJECTS_ERR_INVALID;
    if (ftruncate(w->fd, 0) != 0 || lseek(w->fd, 0, SEEK_SET) < 0) {
        LOG_ERROR(MOD, "cannot rewind %s: %s", w->tmp_path, strerror(errno));
        w->error = OBJECTS_ERR_IO;
        return w->error;
    }
    crypto_hash_sha256_init(&w->hash);
    w->written = 0;
    w->error = 0;
    return 0;
}

/* Unlinks while still holding the flock, so a writer that opens the name
 * afterwards gets a fresh file rather than losing its own to our unlink. */
static void writer_discard(objects_writer *w)
{
    if (unlink(w->tmp_path) != 0 && errno != ENOENT)
        LOG_WARN(MOD, "cannot remove %s: %s", w->tmp_path, strerror(errno));
    close(w->fd);
    free(w);
}

int objects_writer_commit(objects_writer *w)
{
    if (!w)
        return OBJECTS_ERR_INVALID;
    int r = w->error;
    if (r == 0 && w->written != w->size)
        r = OBJECTS_ERR_SHORT;
    if (r == 0) {
        char got[OBJECTS_HEX_SIZE];
        objects_hash_final_hex(&w->hash, got);
        if (strcmp(got, w->sha) != 0) {
            LOG_DEBUG(MOD, "object %.12s: content hashes to %.12s", w->sha, got);
            r = OBJECTS_ERR_HASH;
        }
    }
    if (r == 0 && fsync(w->fd) != 0) {
        LOG_ERROR(MOD, "fsync %s: %s", w->tmp_path, strerror(errno));
        r = OBJECTS_ERR_IO;
    }
    if (r == 0)
        r = objects_install(w->objs, w->tmp_path, w->sha);
    if (r != 0) {
        writer_discard(w);
        return r;
    }
    close(w->fd);
    free(w);
    return 0;
}

void objects_writer_abort(objects_writer *w)
{
    if (w)
        writer_discard(w);
}

void objects_writer_pause(objects_writer *w)
{
    if (!w)
        return;
    if (w->error) {
        writer_discard(w);
        return;
    }
    close(w->fd);
    free(w);
}
