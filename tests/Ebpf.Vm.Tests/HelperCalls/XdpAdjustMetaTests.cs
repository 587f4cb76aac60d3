using Ebpf.Asm;

namespace Ebpf.Vm.Tests.HelperCalls;

/// <summary>bpf_xdp_adjust_meta in the VM (the kernel refuses it to programs without a device, so no differential).</summary>
public sealed class XdpAdjustMetaTests
{
    // r0 = adjust_meta(ctx, delta) when it fails, else data - data_meta.
    private static uint Run(int delta)
    {
        var spec = new CollectionSpec
        {
            ObjectName = "meta",
            License = "GPL",
            Maps = [],
            Programs =
            [
                new ProgramSpec
                {
                    Name = "meta", SectionName = "xdp", Type = ProgramType.Xdp, License = "GPL",
                    Instructions = [.. new ProgramBuilder()
                        .Mov(Register.R6, Register.R1)
                        .Mov(Register.R2, delta).Call(54)
                        .JumpIf(JumpOperation.Jne, Register.R0, 0, "out")
                        .Load(MemorySize.Word, Register.R2, Register.R6, 0)      // data
                        .Load(MemorySize.Word, Register.R3, Register.R6, 8)      // data_meta
                        .Mov(Register.R0, Register.R2).Sub(Register.R0, Register.R3)
                        .Label("out")
                        .Exit().Build()],
                },
            ],
        };
        using var vm = VmCollection.Load(spec);
        return vm.GetProgram("meta").TestRun(new byte[64], new byte[64], out _, out _);
    }

    [Fact]
    public void Metadata_GrowsInWordsUpTo32Bytes_AsTheKernelAllows()
    {
        Assert.Equal(8u, Run(-8));
        Assert.Equal(32u, Run(-32));
        Assert.Equal(unchecked((uint)-13), Run(-36));   // more than 32 bytes: -EACCES
        Assert.Equal(unchecked((uint)-13), Run(-6));    // not a multiple of 4
        Assert.Equal(unchecked((uint)-22), Run(4));     // past data: -EINVAL
    }
}
