namespace Ebpf.Cli.Tests.Compatibility;

/// <summary>
/// Tests that attach tracepoints from this test process and then list this process's attachments (`perf list`):
/// run one at a time, or each sees the other's attachment.
/// </summary>
[CollectionDefinition(nameof(ProcessAttachmentsCollection))]
public sealed class ProcessAttachmentsCollection;
