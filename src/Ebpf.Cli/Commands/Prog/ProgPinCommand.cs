using System.CommandLine;
using Ebpf.Cli.Arguments;
using Ebpf.Linux;

namespace Ebpf.Cli.Commands.Prog;

/// <summary><c>ebpf prog pin PROG FILE</c>.</summary>
internal static class ProgPinCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create() => WordsCommand.Create("pin", "PROG FILE", """
        Pin a loaded program at FILE on a BPF file system. Remove the pin with rm.

        Examples:
          ebpf prog pin id 42 /sys/fs/bpf/my_prog
          ebpf prog pin name xdp_drop_udp53 /sys/fs/bpf/xdp_drop
        """, (args, _) =>
        {
            var words = new Words(args, "prog pin");
            var (handle, info) = KernelLookup.Program(ProgArguments.Reference(words));
            using (handle)
            {
                string path = words.Next("FILE");
                words.End();
                BpfFs.Pin(handle, path);
            }
            return 0;
        });
}
