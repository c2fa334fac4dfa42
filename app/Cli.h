#pragma once
// Headless subcommands of the scenelens executable. Each returns the process exit code and prints
// errors to stderr as "scenelens <command>: <message>".

namespace scenelens::cli {

/// `scenelens info --scene DIR [--labels TSV] [--json]`: counts and the object list.
int runInfo(int argc, char** argv);

/// `scenelens render --scene DIR --out FILE.png [--size WxH] [--color-by rgb|instance|class]
/// [--boxes] [--labels TSV]`: renders the scene off-screen (needs an X display, e.g. xvfb-run).
int runRender(int argc, char** argv);

/// Usage of the GUI and every subcommand.
const char* usage();

} // namespace scenelens::cli
