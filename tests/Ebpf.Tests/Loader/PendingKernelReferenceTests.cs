using System.Collections.Immutable;
using Ebpf.Asm;
using Ebpf.Btf;
using Ebpf.CoRe;
using Ebpf.Testing;

namespace Ebpf.Tests.Loader;

/// <summary>
/// CO-RE relocations and typed ksyms read without a target and resolved later give the instructions that reading
/// with the target gives: the path KernelCollection.Load takes when the caller passed no TargetBtf.
/// </summary>
public sealed class PendingKernelReferenceTests
{
    private const string Vmlinux = "/sys/kernel/btf/vmlinux";

    [Theory]
    [InlineData("tests/core_task.o")]
    [InlineData("tests/core_task_raw.o")]
    [InlineData("tests/core_flavors.o")]
    [InlineData("trace_openat.o")]
    public void ResolvedLater_EqualsReadWithTheTarget(string relative)
    {
        if (!File.Exists(Vmlinux)) Assert.Skip($"{Vmlinux} does not exist (a kernel without CONFIG_DEBUG_INFO_BTF)");
        BtfSpec kernel = BtfReader.Parse(File.ReadAllBytes(Vmlinux));
        string path = RepoPaths.BpfObject(relative);
        CollectionSpec pending = CollectionSpec.LoadFile(path);
        CollectionSpec direct = CollectionSpec.LoadFile(path, new CollectionLoadOptions { TargetBtf = kernel });
        if (!pending.Programs.Any(p => p.HasPendingCoRe)) Assert.Skip($"{relative} has no CO-RE relocation");

        CollectionSpec resolved = pending.ResolveKernelReferences(kernel);
        Assert.Equal(direct.Programs.Length, resolved.Programs.Length);
        for (int i = 0; i < direct.Programs.Length; i++)
        {
            ProgramSpec expected = direct.Programs[i], actual = resolved.Programs[i];
            Assert.False(actual.HasPendingCoRe);
            Assert.Equal(expected.Instructions, actual.Instructions);
            Assert.Equal(expected.CoReRelocationCount, actual.CoReRelocationCount);
        }
        // The running kernel is the one vmlinux.h came from, so offsets may not move: against a BTF without these
        // types field relocations change their instructions (poisoned), and both paths still agree.
        BtfSpec unrelated = CollectionSpec.LoadFile(RepoPaths.BpfObject("xdp_drop_udp53.o")).Btf!;
        CollectionSpec poisonedLater = pending.ResolveKernelReferences(unrelated);
        CollectionSpec poisonedDirect = CollectionSpec.LoadFile(path, new CollectionLoadOptions { TargetBtf = unrelated });
        int changed = 0;
        for (int i = 0; i < pending.Programs.Length; i++)
        {
            Assert.Equal(poisonedDirect.Programs[i].Instructions, poisonedLater.Programs[i].Instructions);
            changed += pending.Programs[i].PendingCoRe.Count(r => pending.Programs[i].Instructions[r.Instruction] != poisonedLater.Programs[i].Instructions[r.Instruction]);
        }
        Assert.True(changed > 0, "no pending relocation changed its instruction against a BTF without the types");
    }

    [Fact]
    public void SubprogramRelocations_FollowTheSubprogram_IntoEachProgram()
    {
        if (!File.Exists(Vmlinux)) Assert.Skip($"{Vmlinux} does not exist");
        CollectionSpec pending = CollectionSpec.LoadFile(RepoPaths.BpfObject("tests/core_task.o"));
        foreach (ProgramSpec p in pending.Programs)
            foreach (PendingCoReRelocation r in p.PendingCoRe)
                Assert.InRange(r.Instruction, 0, p.Instructions.Length - 1);
    }

    [Fact]
    public void TypedKsyms_ResolveToTheTargetsIds_WeakOnesToZero_OthersFail()
    {
        BtfSpec target = BtfReader.Parse(BtfWriter.Write(
        [
            new BtfInt("int", 4, BtfIntEncoding.Signed, 0, 32),                 // 1
            new BtfVar("my_counter", 1, BtfLinkage.Global),                     // 2
            new BtfFuncProto(1, []),                                            // 3
            new BtfFunc("my_kfunc", 3, BtfLinkage.Global),                      // 4
        ]));
        var (lo, hi) = Instruction.LoadImm64(Register.R1, 0);
        Instruction kfuncCall = Instruction.CallKfunc(0);
        var program = new ProgramSpec
        {
            Name = "p",
            SectionName = "tc",
            Instructions = [lo, hi, kfuncCall, kfuncCall, Instruction.Mov(Register.R0, 0), Instruction.Exit()],
            PendingKernelSymbols =
            [
                new PendingKernelSymbol(0, "my_counter", IsFunction: false, IsWeak: false),
                new PendingKernelSymbol(2, "my_kfunc", IsFunction: true, IsWeak: false),
                new PendingKernelSymbol(3, "not_in_this_kernel", IsFunction: true, IsWeak: true),
            ],
        };
        var spec = new CollectionSpec { ObjectName = "t", Programs = [program], Maps = [] };
        ProgramSpec resolved = spec.ResolveKernelReferences(target).Programs.Single();
        Assert.False(resolved.HasPendingCoRe);
        Assert.Equal(((Register)LoadImmediateSource.BtfId, 2), (resolved.Instructions[0].Source, resolved.Instructions[0].Immediate));
        Assert.Equal(((Register)CallSource.Kfunc, 4), (resolved.Instructions[2].Source, resolved.Instructions[2].Immediate));
        Assert.Equal(0, resolved.Instructions[3].Immediate);

        var missing = spec with { Programs = [program with { PendingKernelSymbols = [new PendingKernelSymbol(2, "gone", true, false)] }] };
        var e = Assert.Throws<ObjectRelocationException>(() => missing.ResolveKernelReferences(target));
        Assert.Contains("gone", e.Message);
    }

    [Fact]
    public void Spec_WithoutPendingReferences_IsReturnedAsItIs()
    {
        CollectionSpec spec = CollectionSpec.LoadFile(RepoPaths.BpfObject("xdp_drop_udp53.o"));
        Assert.Same(spec, spec.ResolveKernelReferences(spec.Btf!));
        Assert.Equal(ImmutableArray<PendingCoReRelocation>.Empty, spec.Programs[0].PendingCoRe);
    }
}
