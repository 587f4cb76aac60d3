using System.CommandLine;

namespace Ebpf.Cli.Commands.Prog;

/// <summary><c>ebpf prog load</c> and <c>ebpf prog loadall</c>.</summary>
internal static class ProgLoadCommands
{
    private const string Syntax = "OBJ PATH [type TYPE] [map {idx IDX | name NAME} MAP] [pinmaps MAP_DIR] [autoattach]";

    /// <summary><c>prog load</c>: the first program of OBJ, pinned at PATH.</summary>
    public static Command Load() => WordsCommand.Create("load", Syntax, """
        Load the first program of a BPF object and pin it at PATH (maps are created; 'pinmaps DIR' pins them too).
        'map name NAME MAP' (or 'map idx N MAP') reuses an existing map instead of creating that one.
        'autoattach' attaches the program by its section name (tracepoints) and pins the link at PATH_link.
        A rejected program prints the verifier's complete log.

        Examples:
          ebpf prog load xdp_drop_udp53.o /sys/fs/bpf/xdp_drop
          ebpf prog load prog.o /sys/fs/bpf/p type xdp pinmaps /sys/fs/bpf/p_maps
          ebpf prog load prog.o /sys/fs/bpf/p map name counters pinned /sys/fs/bpf/counters
          ebpf prog load trace_openat.o /sys/fs/bpf/openat autoattach
        """, (args, _) => ProgLoader.Run(args, all: false));

    /// <summary><c>prog loadall</c>: every program of OBJ, pinned under the directory PATH.</summary>
    public static Command LoadAll() => WordsCommand.Create("loadall", Syntax, """
        Load every program of a BPF object and pin each at PATH/NAME ('pinmaps DIR' pins the maps at DIR/NAME).
        With 'autoattach', every tracing program is attached by its section name and its link pinned at PATH/NAME_link.

        Examples:
          ebpf prog loadall prog.o /sys/fs/bpf/progs
          ebpf prog loadall prog.o /sys/fs/bpf/progs pinmaps /sys/fs/bpf/maps autoattach
        """, (args, _) => ProgLoader.Run(args, all: true));
}
