using System.Globalization;
using System.Text;
using System.Text.Json;
using Ebpf.Linux;

namespace Ebpf.Cli.Output;

/// <summary>One program as <c>bpftool prog show</c> prints it, in JSON and in text.</summary>
internal static class ProgramShow
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The fields bpftool prints, gathered once for both forms.</summary>
    public sealed record Row(ProgramInfo Info, long? Memlock, DateTimeOffset LoadedAt);

    /// <summary>Reads what <c>prog show</c> prints about the program behind <paramref name="handle"/>.</summary>
    public static Row Read(SafeBpfHandle handle, ProgramInfo info) =>
        new(info, FdInfo.Read(handle).Memlock, BootClock.ToWallClock(info.LoadTime));

    private static void WriteJson(Utf8JsonWriter w, Row row)
    {
        ProgramInfo i = row.Info;
        BpftoolJson.WriteStart(w, i.Id, KernelEnumNames.Name(i.Type), i.FullName);
        w.WriteString("tag", Tag(i));
        w.WriteBoolean("gpl_compatible", i.GplCompatible);
        if (i.RunTime > TimeSpan.Zero)
        {
            w.WriteNumber("run_time_ns", (long)(i.RunTime.Ticks * 100));
            w.WriteNumber("run_cnt", i.RunCount);
        }
        if (i.RecursionMisses != 0) w.WriteNumber("recursion_misses", i.RecursionMisses);
        w.WriteNumber("loaded_at", row.LoadedAt.ToUnixTimeSeconds());
        w.WriteNumber("uid", i.CreatedByUid);
        w.WriteNumber("bytes_xlated", i.XlatedInstructions.Length * 8);
        bool jited = !i.JitedInstructions.IsEmpty;
        w.WriteBoolean("jited", jited);
        if (jited) w.WriteNumber("bytes_jited", i.JitedInstructions.Length);
        if (row.Memlock is { } memlock) w.WriteNumber("bytes_memlock", memlock);
        if (!i.MapIds.IsEmpty) w.WriteNumbers("map_ids", i.MapIds);
        if (i.BtfId != 0) w.WriteNumber("btf_id", i.BtfId);
        w.WriteEndObject();
    }

    // bpftool's plain text, 4 lines at most.
    private static string Text(Row row)
    {
        ProgramInfo i = row.Info;
        StringBuilder s = BpftoolJson.TextStart(i.Id, KernelEnumNames.Name(i.Type), i.FullName);
        s.Append(C, $"tag {Tag(i)}");
        if (i.GplCompatible) s.Append("  gpl");
        if (i.RunTime > TimeSpan.Zero) s.Append(C, $" run_time_ns {i.RunTime.Ticks * 100} run_cnt {i.RunCount}");
        if (i.RecursionMisses != 0) s.Append(C, $" recursion_misses {i.RecursionMisses}");
        s.Append('\n');
        s.Append(C, $"\tloaded_at {BpftoolJson.Time(row.LoadedAt)}  uid {i.CreatedByUid}\n");
        s.Append(C, $"\txlated {i.XlatedInstructions.Length * 8}B");
        s.Append(i.JitedInstructions.IsEmpty ? "  not jited" : string.Create(C, $"  jited {i.JitedInstructions.Length}B"));
        if (row.Memlock is { } memlock) s.Append(C, $"  memlock {memlock}B");
        if (!i.MapIds.IsEmpty) s.Append("  map_ids ").Append(BpftoolJson.IdList(i.MapIds));
        s.Append('\n');
        if (i.BtfId != 0) s.Append(C, $"\tbtf_id {i.BtfId}\n");
        return s.ToString();
    }

    /// <summary>How <c>prog show</c> prints rows.</summary>
    public static readonly ShowFormat<Row> Format = new("programs", ["ID", "TYPE", "NAME", "TAG", "LOADED", "XLATED", "JITED", "MAPS", "BTF"], WriteJson, Text, Cells);

    private static string[] Cells(Row row)
    {
        ProgramInfo i = row.Info;
        return
        [
            i.Id.ToString(C), KernelEnumNames.Name(i.Type), i.FullName, Tag(i), BpftoolJson.Time(row.LoadedAt),
            (i.XlatedInstructions.Length * 8).ToString(C) + "B", i.JitedInstructions.IsEmpty ? "-" : i.JitedInstructions.Length.ToString(C) + "B",
            BpftoolJson.IdList(i.MapIds), i.BtfId == 0 ? "-" : i.BtfId.ToString(C),
        ];
    }

    /// <summary>The tag as 16 hex digits.</summary>
    public static string Tag(ProgramInfo info) => info.Tag.ToString("x16", C);
}
