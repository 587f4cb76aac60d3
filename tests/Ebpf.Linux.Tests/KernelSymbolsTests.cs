using Ebpf.Testing;

namespace Ebpf.Linux.Tests;

public sealed class KernelSymbolsTests
{
    private const string Sample = """
        ffffffff81000000 T _stext
        ffffffff81100000 T __bpf_call_base
        ffffffff81100040 t bpf_map_lookup_elem_alias
        ffffffff81100040 T bpf_map_lookup_elem
        ffffffff81200000 D some_data
        ffffffff82254420 T srso_return_thunk
        ffffffffc0026f1c t bpf_prog_c1586cf6f3c25b4d_verdict	[bpf]
        garbage line
        """;

    [Fact]
    public void Parse_ResolvesFunctionsWithOffsets_AndSkipsDataAndGarbage()
    {
        KernelSymbols symbols = KernelSymbols.Parse(new StringReader(Sample));
        Assert.Equal(6, symbols.Count);
        Assert.True(symbols.HasAddresses);
        Assert.Equal("srso_return_thunk", symbols.Describe(0xffffffff82254420));
        Assert.Equal("srso_return_thunk+0x10", symbols.Describe(0xffffffff82254430));
        // Aliases at one address: the first listed wins.
        Assert.Equal("bpf_map_lookup_elem_alias", symbols.Describe(0xffffffff81100040));
        Assert.True(symbols.TryResolve(0xffffffffc0026f20, out KernelSymbol program, out ulong offset));
        Assert.Equal(("bpf_prog_c1586cf6f3c25b4d_verdict", "bpf", 4ul), (program.Name, program.Module, offset));
        Assert.Null(symbols.Describe(0xffffffff80000000));   // below the first symbol
        // D (data) is not a function: the address resolves into the previous function instead.
        Assert.False(symbols.TryGetAddress("some_data", out _));
        Assert.Equal("bpf_map_lookup_elem_alias", symbols.HelperCall(0x40));
        Assert.Null(symbols.HelperCall(0x41));   // calls land on function starts only
    }

    [Fact]
    public void Parse_HiddenAddresses_ResolveNothing()
    {
        KernelSymbols symbols = KernelSymbols.Parse(new StringReader("0000000000000000 T _stext\n0000000000000000 T __bpf_call_base\n"));
        Assert.False(symbols.HasAddresses);
        Assert.Equal(2, symbols.HiddenAddressCount);
        Assert.Null(symbols.HelperCall(0));
        Assert.False(symbols.TryResolve(0xffffffff81000000, out _, out _));
    }

    [Fact]
    public void Read_MissingFile_IsEmpty()
    {
        KernelSymbols symbols = KernelSymbols.Read("/nonexistent/kallsyms");
        Assert.Equal(0, symbols.Count);
        Assert.False(symbols.HasAddresses);
    }

    [Fact]
    public void Read_TheRunningKernel_ResolvesTheHelperTheVerifierCalls()
    {
        KernelAssert.RequireRoot();
        KernelSymbols symbols = KernelSymbols.Read();
        if (!symbols.HasAddresses) Assert.Skip($"/proc/kallsyms shows no addresses ({HostSysctl.Describe("kernel.kptr_restrict")}, {symbols.Count} symbols read)");
        Assert.True(symbols.TryGetAddress("bpf_map_lookup_elem", out ulong lookup));
        Assert.True(symbols.TryGetAddress("__bpf_call_base", out ulong callBase));
        Assert.Equal(lookup, symbols.TryResolve(lookup, out KernelSymbol s, out ulong offset) && offset == 0 ? s.Address : 0);
        Assert.NotNull(symbols.HelperCall(checked((int)(long)(lookup - callBase))));
    }
}
