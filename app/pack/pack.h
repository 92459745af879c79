/* hiroba-pack: the staff tool's subcommands. Each takes argc/argv after the
 * subcommand name and returns the process exit status. */
#ifndef HIROBA_APP_PACK_PACK_H
#define HIROBA_APP_PACK_PACK_H

int pack_cmd_lines(int argc, char **argv);

#endif
