using System.CommandLine;
using Ebpf.Cli.Commands;

return await EbpfCommand.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
