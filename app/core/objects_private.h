/* objects_private: what objects.c and objects_writer.c share. Not for other
 * modules: everything here works on paths that are already validated. */
#ifndef HIROBA_APP_CORE_OBJECTS_PRIVATE_H
#define HIROBA_APP_CORE_OBJECTS_PRIVATE_H

#include <limits.h>
#include <sys/types.h>

#include <sodium.h>

#include "app/core/objects.h"

#define OBJECTS_COPY_BUF_BYTES 65536
#define OBJECTS_PARTIAL_SUFFIX ".part"
/* Folder paths leave room below them for "/ab/<64 hex>" and "/<64 hex>.part". */
#define OBJECTS_DIR_MAX (PATH_MAX - 128)

struct objects {
    char data_dir[OBJECTS_DIR_MAX - 16]; /* room for "/objects" below it */
    char objects_dir[OBJECTS_DIR_MAX];
    char tmp_dir[OBJECTS_DIR_MAX];
};

int objects_fsync_dir(const char *path);
int objects_write_all(int fd, const void *buf, size_t len);
ssize_t objects_read_some(int fd, void *buf, size_t len);
void objects_hash_final_hex(crypto_hash_sha256_state *h, char out[OBJECTS_HEX_SIZE]);
/* Moves a complete, fsynced temp file to objects/ab/<sha> (never replacing a
 * good object) and fsyncs the directories that changed. */
int objects_install(objects *objs, const char *tmp_path, const char *sha);

#endif
