using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ebpf.Btf;
using Ebpf.Cli.Arguments;
using Ebpf.Cli.Output;
using Ebpf.Linux;
using Ebpf.Linux.Events;

namespace Ebpf.Cli.Commands;

/// <summary>
/// <c>ebpf map event_pipe MAP [cpu N index M]</c>: streams the records of a perf event array or a ring buffer, one per
/// line, until Ctrl-C (or <c>--count</c>/<c>--timeout</c>), then prints how many were received and lost.
/// </summary>
internal static class MapEventPipeCommand
{
    /// <summary>Creates the <c>event_pipe</c> command (registered under <c>map</c>).</summary>
    public static Command Create()
    {
        var spec = new Argument<string[]>("MAP") { Description = "id ID | pinned FILE | name NAME, then optionally: cpu N index M (perf event arrays)", Arity = ArgumentArity.OneOrMore };
        var count = new Option<long?>("--count") { Description = "Stop after this many records" };
        var timeout = new Option<double?>("--timeout") { Description = "Stop after this many seconds" };
        var structName = new Option<string?>("--struct") { Description = "Decode records as this struct of the program's BTF (default: the one named struct of the record's size, if any)" };
        var command = new Command("event_pipe", """
            Print the records a BPF program sends through a perf event array (bpf_perf_event_output) or a ring buffer
            (bpf_ringbuf_output/submit), one per line: hex bytes, or JSON with -j; when the program's BTF describes the
            record, its fields too. Runs until Ctrl-C, then prints the received and lost counts. For a perf event array
            a ring is opened on every online CPU, or only on CPU N stored at index M with "cpu N index M".

            Examples:
              ebpf map event_pipe name events
              ebpf map event_pipe pinned /sys/fs/bpf/events cpu 0 index 0 -j
            """) { spec, count, timeout, structName };
        command.SetGuardedAction(parse =>
        {
            string[] args = parse.GetValue(spec) ?? [];
            int index = 0;
            ObjectReference reference = ObjectReference.Parse(args, ref index, "MAP", ObjectReferenceKind.Id, ObjectReferenceKind.Pinned, ObjectReferenceKind.Name);
            (int? cpu, int? mapIndex) = ParseCpuIndex(args, index);
            bool json = parse.GetValue(GlobalOptions.Json) || parse.GetValue(GlobalOptions.Pretty);
            using KernelMap map = Open(reference);
            var pipe = new Pipe(map, json, parse.GetValue(count) ?? long.MaxValue, parse.GetValue(structName));
            return pipe.Run(cpu, mapIndex, parse.GetValue(timeout));
        });
        return command;
    }

    private static (int? Cpu, int? Index) ParseCpuIndex(string[] args, int i)
    {
        int? cpu = null, index = null;
        while (i < args.Length)
        {
            string keyword = args[i];
            if (keyword is not ("cpu" or "index")) throw new CliError($"event_pipe: unexpected '{keyword}' (expected: cpu N index M)");
            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int value))
                throw new CliError($"event_pipe: '{keyword}' needs a decimal number");
            if (keyword == "cpu") cpu = value;
            else index = value;
            i += 2;
        }
        if (cpu is null != index is null) throw new CliError("event_pipe: cpu and index go together (cpu N index M)");
        return (cpu, index);
    }

    /// <summary>Opens the map a bpftool-style reference names (a name must match exactly one map).</summary>
    private static KernelMap Open(ObjectReference reference) => KernelMap.FromHandle(KernelLookup.Map(reference).Handle);

    private sealed class Pipe(KernelMap map, bool json, long limit, string? structName)
    {
        private readonly TextWriter _out = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
        private readonly MemoryStream _jsonBuffer = new();
        private BtfSpec? _btf;
        private uint _recordType;           // 0: print hex only
        private bool _typeResolved;
        private long _received;

        public int Run(int? cpu, int? index, double? timeoutSeconds)
        {
            using var stop = new StopSignal(timeoutSeconds);
            long lost = map.Type switch
            {
                MapType.PerfEventArray => RunPerf(cpu, index, stop.Token),
                MapType.RingBuffer => RunRing(cpu, stop.Token),
                _ => throw new CliError($"event_pipe: map '{map.Name}' is a {KernelEnumNames.Name(map.Type)}: expected a perf_event_array or a ringbuf"),
            };
            if (json) JsonOutput.Write(_out, false, w => { w.WriteStartObject(); w.WriteNumber("received", _received); w.WriteNumber("lost", lost); w.WriteEndObject(); });
            else _out.WriteLine($"received {_received}, lost {lost}");
            _out.Flush();
            return 0;
        }

        private long RunPerf(int? cpu, int? index, CancellationToken token)
        {
            using var reader = new PerfBufferReader(map, new PerfBufferOptions { Cpu = cpu, Index = index });
            PerfRecordHandler handler = (c, data) => Print(c, data);
            PollUntilStopped(reader, wait => reader.Poll(handler, wait), token);
            return reader.LostCount;
        }

        private long RunRing(int? cpu, CancellationToken token)
        {
            if (cpu is not null) throw new CliError("event_pipe: cpu/index apply to perf event arrays, not to a ring buffer");
            using var reader = new RingBufferReader(map);
            RecordHandler handler = data => Print(null, data);
            PollUntilStopped(reader, wait => reader.Poll(handler, wait), token);
            return 0;   // a ring buffer drops in the program (bpf_ringbuf_reserve fails): the reader never sees a loss
        }

        // Polls in short waits, flushing the output between them, until stopped or enough records came.
        private void PollUntilStopped(IDisposable reader, Action<TimeSpan> poll, CancellationToken token)
        {
            using var wake = token.Register(reader.Dispose);   // wakes a blocked poll
            while (!token.IsCancellationRequested && _received < limit)
            {
                poll(TimeSpan.FromMilliseconds(200));
                _out.Flush();
            }
        }

        private void Print(int? cpu, ReadOnlySpan<byte> data)
        {
            if (_received >= limit) return;
            _received++;
            if (!_typeResolved) ResolveType(data.Length, cpu is not null);
            if (json)
            {
                _jsonBuffer.SetLength(0);
                using (var w = new Utf8JsonWriter(_jsonBuffer))
                {
                    w.WriteStartObject();
                    if (cpu is int c) w.WriteNumber("cpu", c);
                    w.WriteNumber("size", data.Length);
                    BpftoolJson.WriteHexArray(w, "data", data);
                    if (_recordType != 0)
                    {
                        w.WritePropertyName("formatted");
                        BtfRecordJson.Write(w, _btf!, _recordType, data);
                    }
                    w.WriteEndObject();
                }
                _out.WriteLine(Encoding.UTF8.GetString(_jsonBuffer.GetBuffer(), 0, (int)_jsonBuffer.Length));
                return;
            }
            var line = new StringBuilder(data.Length * 3 + 32);
            if (cpu is int cpuNumber) line.Append(CultureInfo.InvariantCulture, $"cpu {cpuNumber}: ");
            for (int i = 0; i < data.Length; i++)
            {
                if (i > 0) line.Append(' ');
                line.Append(data[i].ToString("x2", CultureInfo.InvariantCulture));
            }
            if (_recordType != 0)
            {
                _jsonBuffer.SetLength(0);
                using (var w = new Utf8JsonWriter(_jsonBuffer)) BtfRecordJson.Write(w, _btf!, _recordType, data);
                line.Append("  ").Append(Encoding.UTF8.GetString(_jsonBuffer.GetBuffer(), 0, (int)_jsonBuffer.Length));
            }
            _out.WriteLine(line.ToString());
        }

        /// <summary>
        /// Finds the record's struct once: the one named with --struct, else the one named struct of the program's BTF
        /// whose size fits the record (perf samples are padded by up to 7 bytes).
        /// </summary>
        private void ResolveType(int length, bool padded)
        {
            _typeResolved = true;
            try
            {
                _btf = MapBtf.TryLoad(map);
            }
            catch (BpfException)
            {
                _btf = null;
            }
            if (_btf is null)
            {
                if (structName is not null) throw new CliError($"event_pipe: map '{map.Name}' and its programs have no BTF: --struct {structName} cannot apply");
                return;
            }
            if (structName is not null)
            {
                _recordType = _btf.TryFind(structName, BtfKind.Struct, out uint id) ? id
                    : throw new CliError($"event_pipe: the program's BTF has no struct named '{structName}'");
                return;
            }
            var fits = new List<uint>();
            for (uint id = _btf.FirstTypeId; id < _btf.TypeCount; id++)
                if (_btf[id] is BtfStruct s && s.Name.Length > 0 && s.Size <= length && length - s.Size < (padded ? 8 : 1)) fits.Add(id);
            if (fits.Count == 1) _recordType = fits[0];
        }
    }
}
