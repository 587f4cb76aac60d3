using System.Runtime.InteropServices;

namespace Ebpf.Cli.Commands;

/// <summary>
/// How a streaming command (<c>map event_pipe</c>, <c>prog tracelog</c>) is told to stop: Ctrl-C, SIGTERM or its
/// <c>--timeout</c> cancel <see cref="Token"/> instead of ending the process, so the command can print its summary
/// and flush what it buffered.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly ConsoleCancelEventHandler _onCancelKey;
    private readonly PosixSignalRegistration _onTerminate;

    /// <summary>Starts listening; <paramref name="timeoutSeconds"/>, when given, stops by itself after that long.</summary>
    public StopSignal(double? timeoutSeconds)
    {
        if (timeoutSeconds is double t) _cts.CancelAfter(TimeSpan.FromSeconds(t));
        _onCancelKey = (_, e) =>
        {
            e.Cancel = true;
            _cts.Cancel();
        };
        Console.CancelKeyPress += _onCancelKey;
        _onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            _cts.Cancel();
        });
    }

    /// <summary>Cancelled once the command should stop.</summary>
    public CancellationToken Token => _cts.Token;

    /// <summary>Stops listening: Ctrl-C and SIGTERM end the process again.</summary>
    public void Dispose()
    {
        Console.CancelKeyPress -= _onCancelKey;
        _onTerminate.Dispose();
        _cts.Dispose();
    }
}
