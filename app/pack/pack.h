/* hiroba-pack: the staff tool's subcommands. Each takes argc/argv after the
 * subcommand name and returns the process exit status: 0 done, 1 the content
 * (or what verify checked) has problems, 2 bad usage. */
#ifndef HIROBA_APP_PACK_PACK_H
#define HIROBA_APP_PACK_PACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "app/core/model.h"
#include "app/core/objects.h"
#include "app/core/pack_json.h"

int pack_cmd_lines(int argc, char **argv);
int pack_cmd_alert(int argc, char **argv);
int pack_cmd_keygen(int argc, char **argv);
int pack_cmd_build(int argc, char **argv);
int pack_cmd_sign(int argc, char **argv);
int pack_cmd_verify(int argc, char **argv);
int pack_cmd_preview(int argc, char **argv); /* preview.c (another engineer's) */
int pack_cmd_stats(int argc, char **argv);   /* stats.c: usage counts as CSV */
/* hiroba-pack alert publish | cancel (alert_publish.c), sign-cap (alert_sign.c); alert.c
 * dispatches. */
int pack_alert_publish(int argc, char **argv);
int pack_alert_cancel(int argc, char **argv);
int pack_alert_sign_cap(int argc, char **argv);
/* What they share (alert_sign.c). The key as sign.c loads it (a password from
 * pw_file or $HIROBA_KEY_PASSWORD); NULL with a message on stderr. */
struct trust_secret_key *pack_alert_load_key(const char *cmd, const char *key_path,
                                             const char *pw_file);
/* Signs text[0..len) with comment as the trusted comment and writes path.minisig,
 * then (write_doc) text to path, each atomically. 0, or -1 with a message. */
int pack_alert_sign_write(const char *cmd, const struct trust_secret_key *key, const char *path,
                          const char *text, size_t len, const char *comment, bool write_doc);

/* ---- What the publishing commands share (publish.c) ---------------------------------- */

/* Exit statuses. */
#define PACK_EXIT_OK       0
#define PACK_EXIT_PROBLEMS 1
#define PACK_EXIT_USAGE    2

/* Published layout: PUBLISH/channels/NAME/manifest.json (+ .minisig), PUBLISH/objects/ab/... */
#define PACK_MANIFEST_NAME  "manifest.json"
#define PACK_SIGNATURE_NAME "manifest.json.minisig"
/* Path buffers; longer paths are refused with a message. */
#define PACK_PATH_MAX 4096

/* Reads the regular file at path into a new NUL-terminated buffer (*out, free()). More
 * than max bytes is an error (nothing returned). Returns 0, or -1 with a reason in err
 * (errno kept: ENOENT tells a missing file). */
int pack_read_file(const char *path, size_t max, char **out, size_t *len, char *err, size_t errlen);

/* Replaces path with data so that readers (nginx, a kiosk) see the old file or the new
 * one, never a part: a temp file next to it, fsynced, renamed, the folder fsynced.
 * Returns 0, or -1 with a reason in err (the temp file is removed). */
int pack_write_atomic(const char *path, const void *data, size_t len, mode_t mode, char *err,
                      size_t errlen);

/* Removes path (a file) if it exists and fsyncs its folder. Returns 1 removed, 0 there
 * was none, -1 with a reason in err. */
int pack_remove_file(const char *path, char *err, size_t errlen);

/* mkdir -p (0755), fsyncing the parent of every folder it creates. Returns 0 or -1. */
int pack_make_dirs(const char *path, char *err, size_t errlen);

/* Channel names are pack ids (1..64 of a-z 0-9 _ -, not starting with _ or -): they
 * become folder names, so nothing else may pass. */
bool pack_channel_name_ok(const char *name);
/* "PUBLISH/channels/NAME" (+ "/" + file when file is not NULL) into buf.
 * Returns 0, or -1 when it does not fit. */
int pack_channel_path(const char *publish, const char *channel, const char *file, char *buf,
                      size_t size);

/* Takes an exclusive lock on the channel folder (an flock on the folder itself, so
 * nothing extra is published) so that two builds or a build and a sign never interleave.
 * Returns the descriptor to close (which unlocks), or -1 with a reason in err. */
int pack_channel_lock(const char *channel_dir, char *err, size_t errlen);

/* The password for a secret key: the content of file (one trailing newline stripped) when
 * file is not NULL, else $HIROBA_KEY_PASSWORD when set and non-empty, else none (*out
 * NULL). *out lives in guarded memory: release it with pack_password_free (wipes).
 * Returns 0 or -1 with a reason in err. */
int pack_password_get(const char *file, char **out, char *err, size_t errlen);
void pack_password_free(char *password);

/* --at: ISO 8601 with a zone offset ("2026-11-24T10:00:00+09:00"). Returns 0 or -1. */
int pack_parse_time(const char *s, int64_t *out);
/* RFC 3339 in zone (NULL: UTC): "2026-11-24T10:00:00+09:00". */
void pack_format_time(int64_t t, const tz_zone *zone, char *buf, size_t size);
/* A whole number in lo..hi. Returns 0 or -1. */
int pack_parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out);

/* ---- build's media checks and import (build_media.c) --------------------------------- */

/* Checks every media file of a source pack found under src: a non-empty regular file;
 * images PNG or JPEG by their content (and named so), at most PACK_IMAGE_MAX_SIDE pixels a
 * side and PACK_IMAGE_MAX_BYTES, decodable by SDL2_image; videos opened by libvlc with a
 * video track. Each problem is added to errs at the file's first reference (text[0..len)
 * is pack.json). Returns the number of problems found. */
#define PACK_IMAGE_MAX_SIDE  8192
#define PACK_IMAGE_MAX_BYTES (64u * 1024 * 1024)
size_t pack_media_check(const model_pack *pack, const char *src, const char *text, size_t len,
                        pack_json_errors *errs);

typedef struct pack_import_stats {
    size_t objects, added; /* distinct files named / objects that were not there yet */
    uint64_t bytes, added_bytes;
} pack_import_stats;

/* Copies every media file of pack (under src) into objs, skipping objects already there
 * intact, and describes each in objects_out (name -> {"sha256", "size"}). Returns 0, or -1
 * with a reason in err. */
int pack_media_import(const model_pack *pack, const char *src, objects *objs, json_t *objects_out,
                      pack_import_stats *stats, char *err, size_t errlen);

#endif
