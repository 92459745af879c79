/* objects: the data folder's content-addressed files, DATA/objects/ab/cdef...
 * named by the sha256 of their content. Files are written to DATA/tmp,
 * hashed while streaming, fsynced and only then renamed into place, so a
 * kill -9 or a power cut never leaves a partial or mis-named object.
 * This module never overwrites an existing object in place and never lets a
 * name that is not 64 lowercase hex digits touch the filesystem. It knows
 * nothing of manifests: which objects are needed is the caller's business.
 *
 * Threads: an objects handle is immutable after objects_open, so any thread
 * may call these functions at once. A writer belongs to one thread. Files in
 * flight carry an flock, so a second handle or process opening the same
 * folder does not clean them away; objects_gc, though, must run where no
 * other writer is committing (see there). */
#ifndef HIROBA_APP_CORE_OBJECTS_H
#define HIROBA_APP_CORE_OBJECTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct objects objects;
typedef struct objects_writer objects_writer;

/* A sha256 in hex: 64 lowercase digits (plus the NUL in buffers). */
#define OBJECTS_HEX_LEN  64
#define OBJECTS_HEX_SIZE (OBJECTS_HEX_LEN + 1)

/* A resumable partial download (DATA/tmp/<sha>.part) older than this is
 * removed by objects_open; anything else in DATA/tmp always is. */
#define OBJECTS_PARTIAL_MAX_AGE_SEC (2 * 24 * 3600)

/* Errors (all negative; 0 is success). Distinct so that sync can say why. */
enum objects_error {
    OBJECTS_ERR_IO = -1,        /* filesystem error (logged with errno) */
    OBJECTS_ERR_INVALID = -2,   /* not a 64-lowercase-hex name, or bad argument */
    OBJECTS_ERR_TOO_LONG = -3,  /* more data than declared */
    OBJECTS_ERR_SHORT = -4,     /* less data than declared at commit */
    OBJECTS_ERR_HASH = -5,      /* content does not hash to the declared sha256 */
    OBJECTS_ERR_NOT_FOUND = -6, /* no such object */
    OBJECTS_ERR_CORRUPT = -7,   /* stored object did not match its name: removed */
    OBJECTS_ERR_BUSY = -8,      /* another writer holds this hash's partial file */
    OBJECTS_ERR_NOMEM = -9,
};

/* A short English phrase for an objects_error ("more data than declared"). */
const char *objects_strerror(int err);

/* True when s is exactly 64 lowercase hex digits followed by NUL. */
bool objects_valid_hex(const char *s);

/* Opens DATA/objects and DATA/tmp, creating them (0755, and DATA itself if
 * missing) and fsyncing DATA and DATA/objects (a crashed run may have created
 * entries there without fsyncing them). Removes what a crash left in
 * DATA/tmp, except resumable partials younger than
 * OBJECTS_PARTIAL_MAX_AGE_SEC and files a live writer or import holds (they
 * carry an flock). Copies data_dir. NULL (logged) on failure. */
objects *objects_open(const char *data_dir);
void objects_close(objects *objs);

/* ---- Streaming writer (downloads, imports of known content) ----
 * begin -> write... -> commit | abort | pause. commit, abort and pause all
 * free the writer, whatever they return. */

/* Starts a fresh DATA/tmp/<sha>.part (any earlier partial is discarded) for
 * an object that must hash to sha_hex and be exactly size bytes. NULL
 * (logged) on a bad name, an I/O error, or another writer on the same hash.
 * Does not check whether the object already exists: see objects_has. */
objects_writer *objects_writer_begin(objects *objs, const char *sha_hex, uint64_t size);

/* Like begin, but keeps the bytes an earlier, paused or killed, writer left
 * in DATA/tmp/<sha>.part: re-hashes them and continues after them.
 * *offset receives how many bytes are already there (0 if none, or if the
 * partial was longer than size and had to be discarded), i.e. where an HTTP
 * Range request should start. *offset == size means only commit is left.
 * If the server ignores the Range and sends the whole body, call
 * objects_writer_rewind first. */
objects_writer *objects_writer_resume(objects *objs, const char *sha_hex, uint64_t size,
                                      uint64_t *offset);

/* Appends len bytes (copied to disk, hashed on the way). Refuses, writing
 * nothing, when the total would exceed the declared size
 * (OBJECTS_ERR_TOO_LONG, "more data than declared"); after any error the
 * writer is poisoned: further writes fail and commit deletes the file. */
int objects_writer_write(objects_writer *w, const void *buf, size_t len);

/* Bytes written so far (including resumed ones). */
uint64_t objects_writer_offset(const objects_writer *w);

/* Discards everything written so far and starts again at offset 0; also
 * clears a poisoned state. Returns 0 or OBJECTS_ERR_IO. */
int objects_writer_rewind(objects_writer *w);

/* Checks size (OBJECTS_ERR_SHORT) and hash (OBJECTS_ERR_HASH); on a mismatch
 * or an earlier error the partial file is deleted and that error returned.
 * On success the file is fsynced, renamed to objects/ab/<sha> (never
 * replacing a good existing object; a corrupt one is replaced) and the
 * directory fsynced: when this returns 0 the object survives a power cut. */
int objects_writer_commit(objects_writer *w);

/* Deletes the partial file. w may be NULL. */
void objects_writer_abort(objects_writer *w);

/* Closes the writer but keeps the partial file for objects_writer_resume
 * (a transfer that broke off). A poisoned writer's file is deleted instead.
 * w may be NULL. */
void objects_writer_pause(objects_writer *w);

/* ---- Whole objects ---- */

/* Copies the regular file at path into the store, hashing it on the way.
 * out_sha_hex (OBJECTS_HEX_SIZE bytes) receives its name, out_size (may be
 * NULL) its size. Same durability as commit. Returns 0 or an error. */
int objects_import_file(objects *objs, const char *path, char out_sha_hex[OBJECTS_HEX_SIZE],
                        uint64_t *out_size);

/* True when the object exists as a regular file of exactly size bytes. Cheap
 * (one stat); does not read the content: see objects_verify. */
bool objects_has(objects *objs, const char *sha_hex, uint64_t size);

/* Re-hashes the stored object. 0 when its content matches its name;
 * OBJECTS_ERR_CORRUPT when not, after removing it so that sync fetches it
 * again; OBJECTS_ERR_NOT_FOUND, OBJECTS_ERR_INVALID, OBJECTS_ERR_IO. */
int objects_verify(objects *objs, const char *sha_hex);

/* Writes the object's path (whether or not it exists) into buf. Returns 0,
 * OBJECTS_ERR_INVALID for a bad name or when cap is too small. */
int objects_path(const objects *objs, const char *sha_hex, char *buf, size_t cap);

/* Deletes every object whose name is not among keep[0..n_keep) (the hashes
 * of the active and previous versions of every channel), and any stray file
 * in objects/ab/. Call on the thread that writes objects, after activation.
 * Refuses (OBJECTS_ERR_INVALID, nothing deleted) if a keep entry is not a
 * valid name: a bug there must not empty the store. *removed (may be NULL)
 * receives the count deleted. */
int objects_gc(objects *objs, const char *const *keep, size_t n_keep, size_t *removed);

#endif
