/* hiroba-pack: the staff tool. Only dispatches to subcommands. */
#include <stdio.h>
#include <string.h>

#include "app/pack/pack.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"keygen", pack_cmd_keygen, "make a signing key pair (minisign-compatible)"},
    {"build", pack_cmd_build, "check a pack source and publish it as a channel"},
    {"sign", pack_cmd_sign, "sign a channel's manifest"},
    {"verify", pack_cmd_verify, "check a published channel as a kiosk would"},
    {"preview", pack_cmd_preview, "render every item of a pack source to PNGs, as the kiosk would"},
    {"alert", pack_cmd_alert, "emergency alerts: publish, cancel, sign-cap, inspect"},
    {"lines", pack_cmd_lines, "lay out text from stdin and print the lines (text engine check)"},
    {"stats", pack_cmd_stats, "export a kiosk's anonymous usage counts as CSV (stats DATA_DIR)"},
};

static void usage(FILE *to)
{
    fprintf(to, "usage: hiroba-pack COMMAND [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(to, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(to, "\nhiroba-pack COMMAND --help shows a command's options.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("hiroba-pack %s\n", HIROBA_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "hiroba-pack: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
