using System.Collections.Immutable;
using Ebpf.Asm;
using Ebpf.Btf;
using Ebpf.CoRe;

namespace Ebpf;

internal sealed partial class ObjectReader
{
    /// <summary>A main program being linked: its growing instruction list, relocations and .BTF.ext records.</summary>
    private sealed class MainProgram(LinkProgram program)
    {
        public LinkProgram Program { get; } = program;
        public List<Instruction> Code { get; } = [.. program.Instructions];
        public List<Relocation> Relocations { get; } = [.. program.Relocations];
        public List<ProgramFuncInfo>? FuncInfo { get; set; }
        public List<ProgramLineInfo>? LineInfo { get; set; }
        public bool FuncInfoFailed { get; set; }
        public bool LineInfoFailed { get; set; }
        public List<MapReference> MapReferences { get; } = [];
        public int CoReCount { get; set; }
        public List<PendingCoReRelocation> PendingCoRe { get; } = [.. program.PendingCoRe];
        public List<PendingKernelSymbol> PendingKernelSymbols { get; } = [];
    }

    // bpf_object__relocate (after CO-RE): mark callbacks, link each entry point, then patch data references.
    private ImmutableArray<ProgramSpec> LinkAll()
    {
        foreach (LinkProgram p in _programs)
            foreach (Relocation r in p.Relocations)
                if (r.Kind == RelocationKind.SubprogramAddress)
                    p.Instructions[r.Instruction] = p.Instructions[r.Instruction].WithSource((Register)LoadImmediateSource.Func);

        var result = ImmutableArray.CreateBuilder<ProgramSpec>();
        foreach (LinkProgram p in _programs)
        {
            if (p.IsSubprogram) continue;
            foreach (LinkProgram s in _programs)
                if (s.IsSubprogram) s.SubInstructionOffset = 0;
            var main = new MainProgram(p);
            LinkCode(main, p);
            RelocateData(main);
            result.Add(BuildSpec(main));
        }
        return result.ToImmutable();
    }

    // bpf_object__reloc_code: resolve calls and callback addresses of `program` (the main program or a subprogram
    // already appended to it), appending each subprogram the first time it is used, depth first.
    private void LinkCode(MainProgram main, LinkProgram program)
    {
        RelocateExtInfo(main, program);
        int baseIndex = program == main.Program ? 0 : program.SubInstructionOffset;
        for (int i = 0; i < program.SectionInstructionCount; i++)
        {
            Instruction insn = main.Code[baseIndex + i];
            bool isCall = IsSubprogramCall(insn);
            bool isFunc = insn.IsLoadImm64 && insn.Source == (Register)LoadImmediateSource.Func;
            if (!isCall && !isFunc) continue;

            Relocation? relo = FindRelocation(program, i);
            long at = (long)(program.SectionInstructionOffset + i) * Instruction.Size;
            if (relo is { Kind: RelocationKind.ExternFunction }) continue;
            if (relo is { } r && r.Kind is not (RelocationKind.Call or RelocationKind.SubprogramAddress))
                throw new ObjectRelocationException($"unexpected {r.Kind} relocation on a call", program.Section.Name, at, r.Symbol);

            long target;
            if (relo is { Kind: RelocationKind.Call } call) target = (call.SymbolOffset / Instruction.Size) + insn.Immediate + 1L;
            else if (relo is { } addr) target = (addr.SymbolOffset + insn.Immediate) / Instruction.Size;
            else if (isFunc) throw new ObjectRelocationException("callback address without a relocation", program.Section.Name, at);
            else target = program.SectionInstructionOffset + i + (long)insn.Immediate + 1;

            LinkProgram? sub = target is >= 0 and <= int.MaxValue ? FindProgram(_textIndex, (int)target) : null;
            if (sub is null || _textIndex == 0)
                throw new ObjectRelocationException($"call to instruction {target} of .text, which is no function", program.Section.Name, at, relo?.Symbol);
            if (sub.SubInstructionOffset == 0)
            {
                if (sub == main.Program)
                    throw new ObjectRelocationException("a subprogram calls the entry point of its own program", program.Section.Name, at, relo?.Symbol);
                sub.SubInstructionOffset = main.Code.Count;
                main.Code.AddRange(sub.Instructions);
                foreach (Relocation sr in sub.Relocations) main.Relocations.Add(sr.Shifted(sub.SubInstructionOffset));
                foreach (PendingCoReRelocation pc in sub.PendingCoRe) main.PendingCoRe.Add(pc with { Instruction = pc.Instruction + sub.SubInstructionOffset });
                LinkCode(main, sub);
            }
            int self = baseIndex + i;
            main.Code[self] = main.Code[self].WithImmediate(sub.SubInstructionOffset - self - 1);
        }
    }

    private static bool IsSubprogramCall(Instruction insn) =>
        insn.OpCode.Value == 0x85 && insn.Source == (Register)CallSource.Local && insn.Destination == Register.R0 && insn.Offset == 0;

    private static Relocation? FindRelocation(LinkProgram program, int instruction)
    {
        foreach (Relocation r in program.Relocations)
            if (r.Instruction == instruction && r.Kind != RelocationKind.CoRe) return r;
        return null;
    }

    // bpf_object__relocate_data: maps get their pseudo-source (the fd goes in at load), global data the offset too.
    private void RelocateData(MainProgram main)
    {
        foreach (Relocation r in main.Relocations)
        {
            int i = r.Instruction;
            switch (r.Kind)
            {
                case RelocationKind.Map:
                    main.Code[i] = main.Code[i].WithSource((Register)LoadImmediateSource.MapFd).WithImmediate(0);
                    main.MapReferences.Add(new MapReference(i, _maps[r.MapIndex].Spec.Name, LoadImmediateSource.MapFd, 0));
                    break;
                case RelocationKind.Data:
                {
                    int offset = unchecked(main.Code[i].Immediate + (int)r.SymbolOffset);
                    main.Code[i + 1] = main.Code[i + 1].WithImmediate(offset);
                    main.Code[i] = main.Code[i].WithSource((Register)LoadImmediateSource.MapValue).WithImmediate(0);
                    main.MapReferences.Add(new MapReference(i, _maps[r.MapIndex].Spec.Name, LoadImmediateSource.MapValue, offset));
                    break;
                }
                case RelocationKind.ExternVariable:
                    RelocateExternVariable(main, r);
                    break;
                case RelocationKind.ExternFunction:
                    RelocateExternFunction(main, r);
                    break;
                case RelocationKind.SubprogramAddress:
                    if (main.Code[i].Source != (Register)LoadImmediateSource.Func)
                        throw new ObjectRelocationException("callback relocation on an instruction that is not a function address load", main.Program.Section.Name, null, r.Symbol);
                    break;
            }
        }
    }

    private void RelocateExternVariable(MainProgram main, Relocation r)
    {
        Extern e = _externs[(int)r.SymbolOffset];
        int i = r.Instruction;
        if (e.Kind == ExternKind.Kconfig)
        {
            int map = _maps.FindIndex(m => m.Spec.Kind == MapKind.KernelConfig);
            main.Code[i] = main.Code[i].WithSource((Register)LoadImmediateSource.MapValue).WithImmediate(0);
            main.Code[i + 1] = main.Code[i + 1].WithImmediate(e.DataOffset);
            main.MapReferences.Add(new MapReference(i, _maps[map].Spec.Name, LoadImmediateSource.MapValue, e.DataOffset));
            return;
        }
        // Typed ksyms resolve to a BTF id of the kernel's VAR; typeless ones need /proc/kallsyms (left 0 here).
        uint id = e.TypeId != 0 ? FindKernelSymbol(main, e, BtfKind.Var, i) : 0;
        if (id != 0)
            main.Code[i] = main.Code[i].WithSource((Register)LoadImmediateSource.BtfId).WithImmediate((int)id);
        else
            main.Code[i] = main.Code[i].WithImmediate(0);
        main.Code[i + 1] = main.Code[i + 1].WithImmediate(0);
    }

    private void RelocateExternFunction(MainProgram main, Relocation r)
    {
        Extern e = _externs[(int)r.SymbolOffset];
        uint id = FindKernelSymbol(main, e, BtfKind.Func, r.Instruction);
        int i = r.Instruction;
        main.Code[i] = main.Code[i].WithSource((Register)CallSource.Kfunc).WithImmediate((int)id).WithOffset(0);
    }

    private uint FindKernelSymbol(MainProgram main, Extern e, BtfKind kind, int instruction)
    {
        BtfSpec? kernel = _options.TargetBtf;
        if (kernel is null)
        {
            main.PendingKernelSymbols.Add(new PendingKernelSymbol(instruction, e.Name, kind == BtfKind.Func, e.IsWeak));
            return 0;
        }
        if (kernel.TryFind(e.Name, kind, out uint id)) return id;
        if (e.IsWeak) return 0;
        throw new ObjectRelocationException($"kernel {kind} not found in the target BTF", ".ksyms", symbol: e.Name);
    }

    // reloc_prog_func_and_line_info / adjust_prog_btf_ext_info: copy the records of `program` into the main
    // program, converting byte offsets to instruction indices in the final stream.
    private void RelocateExtInfo(MainProgram main, LinkProgram program)
    {
        if (_extInfo is null) return;
        int adjust = (program == main.Program ? 0 : program.SubInstructionOffset) - program.SectionInstructionOffset;
        if (!(program != main.Program && main.FuncInfo is null) && !main.FuncInfoFailed)
        {
            var records = Slice(_extInfo.Functions, program, f => f.Offset);
            if (records is null)
            {
                if (main.FuncInfo is not null)
                    throw new ObjectRelocationException($"function '{program.Name}' has no .BTF.ext function info", ".BTF.ext", symbol: program.Name);
                main.FuncInfoFailed = true;
            }
            else
            {
                main.FuncInfo ??= [];
                foreach (ExtInfo.FuncRecord f in records) main.FuncInfo.Add(new ProgramFuncInfo((int)(f.Offset / Instruction.Size) + adjust, f.TypeId));
            }
        }
        if (program != main.Program && main.LineInfo is null) return;
        if (main.LineInfoFailed) return;
        var lines = Slice(_extInfo.Lines, program, l => l.Offset);
        if (lines is null)
        {
            if (main.LineInfo is not null)
                throw new ObjectRelocationException($"function '{program.Name}' has no .BTF.ext line info", ".BTF.ext", symbol: program.Name);
            main.LineInfoFailed = true;
            return;
        }
        main.LineInfo ??= [];
        foreach (ExtInfo.LineRecord l in lines)
            main.LineInfo.Add(new ProgramLineInfo((int)(l.Offset / Instruction.Size) + adjust, l.FileNameOffset, l.LineOffset,
                l.LineColumn >> 10, l.LineColumn & 0x3ff, SafeString(l.FileNameOffset), SafeString(l.LineOffset)));
    }

    private string SafeString(uint offset) => _btf is not null && offset < BtfStrings.Length(_btf) ? BtfStrings.Read(_btf, offset) : "";

    // The records from the first inside the function to the last before its end (libbpf stops at the first past it).
    private static List<T>? Slice<T>(Dictionary<int, List<T>> bySection, LinkProgram program, Func<T, uint> offsetOf)
    {
        if (!bySection.TryGetValue(program.Section.Index, out List<T>? all)) return null;
        List<T>? result = null;
        foreach (T record in all)
        {
            uint insn = offsetOf(record) / Instruction.Size;
            if (insn < program.SectionInstructionOffset) continue;
            if (insn >= program.SectionInstructionOffset + program.SectionInstructionCount) break;
            (result ??= []).Add(record);
        }
        return result;
    }

    private ProgramSpec BuildSpec(MainProgram main)
    {
        LinkProgram p = main.Program;
        var (type, attach, target, row, flags) = Classify(p.SectionName);
        uint funcId = main.FuncInfo is { Count: > 0 } fi ? fi[0].TypeId : 0;
        return new ProgramSpec
        {
            Name = p.Name,
            SectionName = p.SectionName,
            Type = type,
            ExpectedAttachType = attach,
            AttachTo = target,
            Section = row,
            Flags = flags,
            AutoLoad = p.AutoLoad,
            License = _license,
            KernelVersion = _kernelVersion,
            Instructions = [.. main.Code],
            MapReferences = [.. main.MapReferences],
            BoundMaps = [.. _maps.Where(m => m.Spec.Kind == MapKind.ReadOnlyData).Select(m => m.Spec.Name)],
            FuncInfo = main.FuncInfoFailed || main.FuncInfo is null ? [] : [.. main.FuncInfo],
            LineInfo = main.LineInfoFailed || main.LineInfo is null ? [] : [.. main.LineInfo],
            BtfFuncId = funcId,
            CoReRelocationCount = _programs.Where(s => s == p || (s.IsSubprogram && s.SubInstructionOffset != 0)).Sum(s => s.CoReCount),
            PendingCoRe = [.. main.PendingCoRe],
            PendingKernelSymbols = [.. main.PendingKernelSymbols],
        };
    }
}
