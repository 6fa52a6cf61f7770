/*
 * Baseline for scripts/bench/fuse.sh: a minimal libfuse3 low-level server serving the same tree as
 * Soci.Fuse.BenchServer, with the same cache timeouts (1 s) and keep-cache opens:
 *   /big.bin        1 GiB, a 1 MiB in-memory block repeated
 *   /small/fNNNNN   10,000 files of 4 KiB (the first 4 KiB of the block)
 * Usage: libfuse_server <mountpoint> -f [-o options]   (multi-threaded unless -s)
 */
#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BLOCK_SIZE (1 << 20)
#define BIG_SIZE (1LL << 30)
#define SMALL_COUNT 10000
#define SMALL_SIZE 4096
#define INO_ROOT 1
#define INO_BIG 2
#define INO_SMALL_DIR 3
#define INO_FIRST_SMALL 4

static unsigned char block[BLOCK_SIZE];
static __thread unsigned char *read_buffer;

static int fill_stat(fuse_ino_t ino, struct stat *st)
{
    memset(st, 0, sizeof(*st));
    st->st_ino = ino;
    st->st_blksize = 4096;
    if (ino == INO_ROOT || ino == INO_SMALL_DIR) {
        st->st_mode = S_IFDIR | 0755;
        st->st_nlink = ino == INO_ROOT ? 3 : 2;
    } else if (ino == INO_BIG) {
        st->st_mode = S_IFREG | 0644;
        st->st_nlink = 1;
        st->st_size = BIG_SIZE;
    } else if (ino >= INO_FIRST_SMALL && ino < INO_FIRST_SMALL + SMALL_COUNT) {
        st->st_mode = S_IFREG | 0644;
        st->st_nlink = 1;
        st->st_size = SMALL_SIZE;
    } else {
        return -1;
    }
    st->st_blocks = (st->st_size + 4095) / 4096 * 8;
    return 0;
}

static void reply_entry(fuse_req_t req, fuse_ino_t ino)
{
    struct fuse_entry_param e;
    memset(&e, 0, sizeof(e));
    e.ino = ino;
    e.attr_timeout = 1.0;
    e.entry_timeout = 1.0;
    fill_stat(ino, &e.attr);
    fuse_reply_entry(req, &e);
}

static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
    if (parent == INO_ROOT && strcmp(name, "big.bin") == 0) {
        reply_entry(req, INO_BIG);
    } else if (parent == INO_ROOT && strcmp(name, "small") == 0) {
        reply_entry(req, INO_SMALL_DIR);
    } else if (parent == INO_SMALL_DIR && name[0] == 'f' && strlen(name) == 6) {
        char *end;
        long n = strtol(name + 1, &end, 10);
        if (*end == '\0' && n >= 0 && n < SMALL_COUNT) {
            reply_entry(req, INO_FIRST_SMALL + n);
        } else {
            fuse_reply_err(req, ENOENT);
        }
    } else {
        fuse_reply_err(req, ENOENT);
    }
}

static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
    struct stat st;
    (void)fi;
    if (fill_stat(ino, &st) != 0) {
        fuse_reply_err(req, ENOENT);
        return;
    }
    fuse_reply_attr(req, &st, 1.0);
}

static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
    if (ino == INO_ROOT || ino == INO_SMALL_DIR) {
        fuse_reply_err(req, EISDIR);
    } else if ((fi->flags & O_ACCMODE) != O_RDONLY) {
        fuse_reply_err(req, EROFS);
    } else {
        fi->keep_cache = 1;
        fuse_reply_open(req, fi);
    }
}

static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi)
{
    long long length = ino == INO_BIG ? BIG_SIZE : SMALL_SIZE;
    size_t done = 0;
    (void)fi;
    if (read_buffer == NULL) {
        read_buffer = malloc(BLOCK_SIZE * 2);
    }
    if (off >= length) {
        fuse_reply_buf(req, NULL, 0);
        return;
    }
    if ((long long)size > length - off) {
        size = length - off;
    }
    while (done < size) {
        size_t at = (off + done) % BLOCK_SIZE;
        size_t n = BLOCK_SIZE - at < size - done ? BLOCK_SIZE - at : size - done;
        memcpy(read_buffer + done, block + at, n);
        done += n;
    }
    fuse_reply_buf(req, (const char *)read_buffer, size);
}

static void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi)
{
    char *buf = malloc(size);
    size_t used = 0;
    long count = ino == INO_ROOT ? 2 : SMALL_COUNT;
    (void)fi;
    for (long i = off; i < count; i++) {
        char name[32];
        struct stat st;
        fuse_ino_t child = ino == INO_ROOT ? (i == 0 ? INO_BIG : INO_SMALL_DIR) : INO_FIRST_SMALL + i;
        if (ino == INO_ROOT) {
            strcpy(name, i == 0 ? "big.bin" : "small");
        } else {
            snprintf(name, sizeof(name), "f%05ld", i);
        }
        fill_stat(child, &st);
        size_t n = fuse_add_direntry(req, buf + used, size - used, name, &st, i + 1);
        if (n > size - used) {
            break;
        }
        used += n;
    }
    fuse_reply_buf(req, buf, used);
    free(buf);
}

static const struct fuse_lowlevel_ops ops = {
    .lookup = op_lookup,
    .getattr = op_getattr,
    .open = op_open,
    .read = op_read,
    .readdir = op_readdir,
};

int main(int argc, char *argv[])
{
    struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
    struct fuse_cmdline_opts opts;
    struct fuse_session *se;
    int ret = 1;

    for (int i = 0; i < BLOCK_SIZE; i++) {
        block[i] = (unsigned char)(i * 31 + (i >> 11));
    }
    if (fuse_parse_cmdline(&args, &opts) != 0 || opts.mountpoint == NULL) {
        fprintf(stderr, "usage: %s <mountpoint> -f [-s] [-o options]\n", argv[0]);
        return 2;
    }
    se = fuse_session_new(&args, &ops, sizeof(ops), NULL);
    if (se == NULL) {
        goto out;
    }
    if (fuse_set_signal_handlers(se) != 0) {
        goto destroy;
    }
    if (fuse_session_mount(se, opts.mountpoint) != 0) {
        goto signals;
    }
    if (opts.singlethread) {
        ret = fuse_session_loop(se);
    } else {
        struct fuse_loop_config *config = fuse_loop_cfg_create();
        fuse_loop_cfg_set_max_threads(config, opts.max_threads);
        ret = fuse_session_loop_mt(se, config);
        fuse_loop_cfg_destroy(config);
    }
    fuse_session_unmount(se);
signals:
    fuse_remove_signal_handlers(se);
destroy:
    fuse_session_destroy(se);
out:
    free(opts.mountpoint);
    fuse_opt_free_args(&args);
    return ret ? 1 : 0;
}
